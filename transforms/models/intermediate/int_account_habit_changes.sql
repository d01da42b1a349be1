-- The accounts whose habits an incremental build works out again (int_account_habits keeps the
-- others' rows): the accounts with a tweet on a day it stages again, at the last build or now
-- (their posts, apps or profile changed), and the posters of the campaign messages it groups
-- again (int_message_grouping_changes: which of their posts are copies shared with others, and
-- their campaigns' ties, may change, at the last build's grouping or now). Every other account's
-- tweets and campaigns are those of the last build, and so are its tight campaigns: an account is
-- tight in a campaign through its own consistent pairs, and a pair's ties and shared campaigns
-- change only where a campaign of both accounts does. Empty on a first build, a full refresh and
-- Spark (every account is then worked out).

-- depends_on: {{ ref('int_lake_accounts_affected') }}, {{ ref('int_lake_days_affected') }}

{% set compared = kept_relation('int_account_habits') is not none %}

with regrouped as (
    select message_key from {{ ref('int_message_grouping_changes') }}
),

regrouped_exact as (
    {{ exact_messages('regrouped') }}
),

listed as (
    {{ accounts_of_changes('regrouped_exact') }}
)

select user_id from listed
where {{ compared }}
