-- One row per distinct tweet id across every completely ingested file and format: the rows of
-- int_tweets_deduplicated (which keeps each tweet's best record and drops deleted tweets, staging
-- again only the days whose inputs changed), published for analysts.
-- Kept per day on DuckDB when the build starts from a copy of the warehouse that holds the state's
-- last build (chorus/build/kept.py): the rows of the days staged again are deleted and inserted
-- from int_tweets_deduplicated, the others kept; otherwise (and on Spark) a table written whole.

-- depends_on: {{ ref('int_lake_days_affected') }}
{{ kept_per_day('cast(created_at as date)') }}

with tweets as (
    select * from {{ ref('int_tweets_deduplicated') }}
    {% if is_incremental() %}
    where {{ on_affected_days('day') }}
    {% endif %}
),

final as (
    select
        tweet_id,
        user_id,
        screen_name,
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
        time_precision,
        source_format,
        file_sha256
    from tweets
)

select * from final
