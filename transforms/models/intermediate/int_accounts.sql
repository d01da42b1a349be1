-- One row per account of the archive: what the archive says of it (creation time, followers,
-- following, tweet count; the latest value any of its tweets carries, NULL where none does:
-- a missing field is missing, not 0) and its activity in the archive.

with tweets as (
    select * from {{ ref('stg_tweets') }}
    where user_id is not null
),

final as (
    select
        user_id,
        max_by(screen_name, {{ tuple(['created_at', 'tweet_id']) }}) filter (where screen_name is not null) as screen_name,
        max_by(user_created_at, {{ tuple(['created_at', 'tweet_id']) }}) filter (where user_created_at is not null) as account_created_at,
        max_by(user_followers, {{ tuple(['created_at', 'tweet_id']) }}) filter (where user_followers is not null) as followers,
        max_by(user_following, {{ tuple(['created_at', 'tweet_id']) }}) filter (where user_following is not null) as following,
        max_by(user_tweets, {{ tuple(['created_at', 'tweet_id']) }}) filter (where user_tweets is not null) as statuses,
        count(*) as n_tweets,
        min(created_at) as first_tweet_at,
        max(created_at) as last_tweet_at
    from tweets
    group by user_id
)

select * from final
