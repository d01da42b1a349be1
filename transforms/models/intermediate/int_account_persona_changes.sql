-- The accounts whose copy-persona status an incremental build works out again
-- (int_account_personas keeps the others' rows): the accounts with a tweet on a day it stages
-- again, at the last build or now (their own posts or their profile changed), and the posters of
-- the messages whose tweets changed (int_message_changes: a message that reaches or falls below
-- min_accounts accounts turns its posts into copies or back). With what the last build said of
-- each (read before int_account_personas replaces their rows; false for an account it did not
-- hold): int_message_grouping_changes groups again the messages of those that changed. Empty on
-- a first build, a full refresh and Spark (every account is then worked out).

-- depends_on: {{ ref('int_lake_days_affected') }}

{% set compared = kept_relation('int_account_personas') is not none %}

with changed as (
    select message_key from {{ ref('int_message_changes') }}
),

changed_exact as (
    {{ exact_messages('changed') }}
),

listed as (
    {{ accounts_of_changes('changed_exact') }}
),

previous as (
    select
        user_id,
        is_persona
    from {{ kept_rows('int_account_personas', ['user_id', 'is_persona']) }}
),

final as (
    select
        listed.user_id,
        coalesce(previous.is_persona, false) as was_persona
    from listed
    left join previous on listed.user_id = previous.user_id
    where {{ compared }}
)

select * from final
