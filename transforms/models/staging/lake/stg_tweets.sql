-- One row per distinct tweet id across every completely ingested file and format.
-- A tweet seen in several files keeps its best record (second-resolution time, longest text),
-- chosen by content, not by load order, so loading in any order gives the same table.
-- Tweets named by a `delete` notice are removed (deletion compliance).

with tweets as (
    select * from {{ ref('base_lake__tweets') }}
),

complete_files as (
    select sha256 from {{ ref('base_lake__ingest_files') }}
),

deleted as (
    select distinct tweet_id
    from {{ ref('base_lake__notices') }}
    where kind = 'delete' and tweet_id is not null
),

complete as (
    select tweets.*
    from tweets
    semi join complete_files on tweets.file_sha256 = complete_files.sha256
),

ranked as (
    select
        *,
        row_number() over (
            partition by tweet_id
            order by
                time_precision = 'second' desc,
                length(text) desc,
                file_sha256,
                line_no asc
        ) as record_rank
    from complete
    where tweet_id is not null and created_at is not null
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
        coalesce(hashtags, {{ empty_list() }}) as hashtags,
        coalesce(mentions, {{ empty_list() }}) as mentions,
        coalesce(urls, {{ empty_list() }}) as urls,
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
    from ranked
    anti join deleted using (tweet_id)
    where record_rank = 1
)

select * from final
