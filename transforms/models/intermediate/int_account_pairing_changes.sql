-- The campaigns whose pairing a build changes: those whose paired members (the paired_members
-- macro: the tweets of campaigns whose accounts are paired) differ in any way from the last
-- build's (int_account_paired_members): new, gone, grown, shrunk, or past a pairing bound either
-- way. Only their co-events are made again (int_account_co_events), and only the account pairs
-- they tie (account_pairs); every other campaign's are kept.
-- With no last build's members (a first build, a full refresh, Spark) this is empty: the
-- co-events and pairs are then made whole.

with {{ campaign_changes(
    'int_account_paired_members',
    ['campaign_id', 'tweet_id', 'user_id', 'created_at', 'is_retweet'],
    paired_members()
) }}

select campaign_id
from changed
{% if kept_relation('int_account_paired_members') is none %}where false{% endif %}
