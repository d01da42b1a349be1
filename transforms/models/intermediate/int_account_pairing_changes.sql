-- The campaigns whose pairing a build changes: those whose paired members (the paired_members
-- macro: the tweets of campaigns whose accounts are paired) differ in any way from the last
-- build's (int_account_paired_members): new, gone, grown, shrunk, or past a pairing bound either
-- way. Only their co-events are made again (int_account_co_events), and only the account pairs
-- they tie (account_pairs); every other campaign's are kept.
-- With no last build's members (a first build, a full refresh, Spark) this is empty: the
-- co-events and pairs are then made whole.

{% set columns = ['campaign_id', 'tweet_id', 'user_id', 'created_at', 'is_retweet'] %}

with current_members as {{ materialized() }} (
    {{ paired_members() }}
),

kept as {{ materialized() }} (
    select {{ columns | join(', ') }}
    from {{ kept_rows('int_account_paired_members', columns) }}
),

changed as (
    select campaign_id from (
        select {{ columns | join(', ') }} from current_members
        except
        select {{ columns | join(', ') }} from kept
    ) as added
    union all
    select campaign_id from (
        select {{ columns | join(', ') }} from kept
        except
        select {{ columns | join(', ') }} from current_members
    ) as removed
),

final as (
    select distinct campaign_id
    from changed
)

select * from final
{% if kept_relation('int_account_paired_members') is none %}where false{% endif %}
