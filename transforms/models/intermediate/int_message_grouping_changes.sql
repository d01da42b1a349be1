-- The campaign messages (a near-duplicate cluster's key, or a message's own key) whose campaigns
-- an incremental build groups again; int_messages_grouped_to_campaigns keeps the others' rows.
-- A message's grouping reads its tweets (their accounts and times), which of those accounts are
-- copy personas, and the personas' share of all accounts with a message. So a message is grouped
-- again when
-- 1. its tweets changed (int_message_changes: a tweet on a day this build stages again, now or at
--    the last build; a text that joined or left its cluster);
-- 2. one of its accounts became, or stopped being, a copy persona (int_account_persona_changes
--    says what each listed account was, int_account_personas what it is);
-- 3. one of its groups as kept would now be split into personas and people, or no longer be, at
--    this build's persona rate (its accounts and their personas are as they were: else 1 or 2).
-- Every other message has the same tweets, personas and split as at the last build, so the same
-- campaigns. Empty on a first build, a full refresh and Spark (every message is then grouped):
-- the listings it reads are empty then, and so are the kept groups.

with clusters_now as (
    select
        message_key,
        cluster_key
    from {{ ref('int_messages_near_duplicates') }}
),

personas as (
    select
        user_id,
        is_persona
    from {{ ref('int_account_personas') }}
),

flipped_personas as (
    select listed.user_id
    from {{ ref('int_account_persona_changes') }} as listed
    left join personas on listed.user_id = personas.user_id
    where coalesce(personas.is_persona, false) != listed.was_persona
),

of_flipped_personas as (
    select coalesce(clusters_now.cluster_key, tweets.message_key) as message_key
    from {{ ref('int_tweets_normalised') }} as tweets
    semi join flipped_personas on tweets.user_id = flipped_personas.user_id
    left join clusters_now on tweets.message_key = clusters_now.message_key
    where tweets.message_key is not null
),

rate as (
    {{ persona_rate() }}
),

kept as (
    select
        message_key,
        episode,
        cohort,
        user_id
    from {{ kept_rows('int_messages_grouped_to_campaigns', ['message_key', 'episode', 'cohort', 'user_id']) }}
),

kept_groups as (
    select
        kept.message_key,
        kept.episode,
        count(distinct kept.user_id) as n_accounts,
        count(distinct case when personas.is_persona then kept.user_id end) as n_personas,
        max(case when kept.cohort = '' then 0 else 1 end) = 1 as is_split
    from kept
    left join personas on kept.user_id = personas.user_id
    group by kept.message_key, kept.episode
    having count(distinct kept.user_id) >= 2 * {{ var('min_accounts') }}
),

split_or_not as (
    select kept_groups.message_key
    from kept_groups
    cross join rate
    where {{ splits_cohorts('kept_groups.n_personas', 'kept_groups.n_accounts', 'rate.rate') }} != kept_groups.is_split
),

final as (
    select message_key from {{ ref('int_message_changes') }}
    union
    select message_key from of_flipped_personas
    union
    select message_key from split_or_not
)

select message_key from final
where message_key is not null
