-- One row per account of the archive: what the archive says of it (creation time, followers,
-- following, tweet count, and its profile: name, description, location, verified, protected,
-- default image, lists, likes; the latest value any of its tweets carries, NULL where none does:
-- a missing field is missing, not 0) and its activity in the archive.

{% set latest = tuple(['created_at', 'tweet_id']) %}

with tweets as (
    select * from {{ ref('stg_tweets') }}
    where user_id is not null
),

final as (
    select
        user_id,
        max_by(screen_name, {{ latest }}) filter (where screen_name is not null) as screen_name,
        max_by(user_created_at, {{ latest }}) filter (where user_created_at is not null) as account_created_at,
        max_by(user_followers, {{ latest }}) filter (where user_followers is not null) as followers,
        max_by(user_following, {{ latest }}) filter (where user_following is not null) as following,
        max_by(user_tweets, {{ latest }}) filter (where user_tweets is not null) as statuses,
        max_by(user_name, {{ latest }}) filter (where user_name is not null) as display_name,
        max_by(user_description, {{ latest }}) filter (where user_description is not null) as description,
        max_by(user_location, {{ latest }}) filter (where user_location is not null) as location,
        max_by(user_verified, {{ latest }}) filter (where user_verified is not null) as is_verified,
        max_by(user_protected, {{ latest }}) filter (where user_protected is not null) as is_protected,
        max_by(user_default_image, {{ latest }}) filter (where user_default_image is not null) as has_default_image,
        max_by(user_listed, {{ latest }}) filter (where user_listed is not null) as listed,
        max_by(user_favourites, {{ latest }}) filter (where user_favourites is not null) as favourites,
        count(*) as n_tweets,
        min(created_at) as first_tweet_at,
        max(created_at) as last_tweet_at
    from tweets
    group by user_id
)

select * from final
