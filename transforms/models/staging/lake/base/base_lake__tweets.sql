-- The lake's tweet records as written by ingest, columns named and typed once, every record
-- (a tweet may repeat across files; stg_tweets keeps one per id).

with source as (
    select * from {{ source('lake', 'tweets') }}
),

renamed as (
    select
        tweet_id,
        user_id,
        screen_name,
        user_created_at,
        user_followers,
        user_following,
        user_tweets,
        user_name,
        user_description,
        user_location,
        user_verified,
        user_protected,
        user_default_image,
        user_listed,
        user_favourites,
        created_at,
        text,
        source,
        lang,
        is_retweet,
        retweeted_tweet_id,
        retweeted_screen_name,
        quoted_tweet_id,
        in_reply_to_tweet_id,
        hashtags,
        mentions,
        urls,
        time_precision,
        source_format,
        file_sha256,
        line_no
    from source
)

select * from renamed
