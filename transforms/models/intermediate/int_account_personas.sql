-- Copy personas: accounts, never verified nor the party's own, whose own posts are mostly copies -
-- texts posted by min_accounts accounts or more - of repeat_copy_messages distinct texts or more,
-- "mostly" beyond doubt (the lower bound of the share, persona_confidence_z: the grouping splits a
-- campaign in two on them, see int_messages_grouped_to_campaigns).
-- One row per account with a tweet that carries a message: whether it is a copy persona. The
-- personas' share of these accounts is the rate the grouping's cohort split compares with.
-- Kept in the build state per account: an incremental build works out again the accounts
-- int_account_persona_changes lists (their own posts, their profile or the copied status of
-- their messages changed) and keeps the others; on Spark a table made whole.

-- depends_on: {{ ref('int_account_persona_changes') }}
{{ kept_per_listed('int_account_persona_changes', ['user_id']) }}

with near_duplicates as (
    select
        message_key,
        cluster_key
    from {{ ref('int_messages_near_duplicates') }}
),

{% if is_incremental() %}
listed as {{ materialized() }} (
    select user_id from {{ ref('int_account_persona_changes') }}
),
{% endif %}

-- every post of each account (each listed one), message or not, under its campaign message (its
-- near-duplicate cluster's key)
posts as {{ materialized() }} (
    select
        tweets.user_id,
        tweets.is_retweet,
        coalesce(near_duplicates.cluster_key, tweets.message_key) as message_key
    from {{ ref('int_tweets_normalised') }} as tweets
    left join near_duplicates on tweets.message_key = near_duplicates.message_key
    where tweets.user_id is not null
    {% if is_incremental() %}
        and tweets.user_id in (select user_id from listed)
    {% endif %}
),

{% if is_incremental() %}
-- the messages of the listed accounts' own posts with every post of them: their other posters
-- count too
their_messages as {{ materialized() }} (
    select distinct message_key
    from posts
    where message_key is not null and not is_retweet
),

their_exact as (
    {{ exact_messages('their_messages') }}
),

message_posts as (
    select
        tweets.user_id,
        coalesce(near_duplicates.cluster_key, tweets.message_key) as message_key
    from {{ ref('int_tweets_normalised') }} as tweets
    semi join their_exact on tweets.message_key = their_exact.message_key
    left join near_duplicates on tweets.message_key = near_duplicates.message_key
    where tweets.user_id is not null
),
{% endif %}

copied_messages as (
    select message_key
    from {{ 'message_posts' if is_incremental() else 'posts' }}
    where message_key is not null
    group by message_key
    having count(distinct user_id) >= {{ var('min_accounts') }}
),

public_accounts as (
    select user_id
    from {{ ref('int_accounts') }}
    where is_public
),

-- each account's own posts (its retweets are not its own), the copied ones among them
own_posts as (
    select
        posts.user_id,
        count(distinct copied_messages.message_key) as n_copied_messages,
        count(copied_messages.message_key) as n_copied_posts,
        count(*) as n_posts
    from posts
    left join copied_messages on posts.message_key = copied_messages.message_key
    where not posts.is_retweet
    group by posts.user_id
),

message_accounts as (
    select distinct user_id
    from posts
    where message_key is not null
),

final as (
    select
        message_accounts.user_id,
        public_accounts.user_id is null
        and {{ is_mostly_pushed(
            'own_posts.n_copied_messages', 'own_posts.n_copied_posts', 'own_posts.n_posts',
            var('persona_confidence_z')
        ) }} as is_persona
    from message_accounts
    left join own_posts on message_accounts.user_id = own_posts.user_id
    left join public_accounts on message_accounts.user_id = public_accounts.user_id
)

select * from final
