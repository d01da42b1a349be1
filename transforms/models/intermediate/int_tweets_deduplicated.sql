-- One row per distinct tweet id across every completely ingested file and format: the rows of
-- staging.stg_tweets, kept in the build state so that a build stages again only the days whose
-- inputs changed (int_lake_days_affected), not the whole lake. Incremental on DuckDB (the rows of
-- the affected days are deleted, then made again); a table on Spark.
-- A tweet seen in several files keeps its best record (second-resolution time, longest text),
-- chosen by content, not by load order, so loading in any order gives the same table.
-- Tweets named by a `delete` notice are removed (deletion compliance).

-- depends_on: {{ ref('int_lake_accounts_affected') }}, {{ ref('base_lake__tweet_days') }}
{{ kept_per_day('day') }}

with affected as (
    select * from {{ ref('int_lake_days_affected') }}
),

deleted as (
    select distinct tweet_id from ({{ delete_notices() }}) as notices
),

{% if is_incremental() %}
    -- the ids with a record on an affected day, read from those days' partitions of the lake
    -- (materialising every record of the lake, every column, to find them took 36 s of a week's
    -- build at 10M)
    affected_ids as {{ materialized() }} (
        select distinct records.tweet_id
        from ({{ complete_record_days() }}) as records
        semi join affected on records.day = affected.day
    ),

    -- every record of each of those ids: its best record may be on another day
    candidates as (
        select *
        from ({{ complete_tweet_records() }}) as records
        semi join affected_ids on records.tweet_id = affected_ids.tweet_id
    ),
{% else %}
    records as {{ materialized() }} (
        {{ complete_tweet_records() }}
    ),

    candidates as (
        select * from records
    ),
{% endif %}

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
    from candidates
),

final as (
    select
        ranked.tweet_id,
        ranked.user_id,
        ranked.screen_name,
        ranked.created_at,
        ranked.text,
        ranked.source,
        ranked.lang,
        ranked.is_retweet,
        ranked.retweeted_tweet_id,
        ranked.retweeted_screen_name,
        ranked.quoted_tweet_id,
        ranked.in_reply_to_tweet_id,
        coalesce(ranked.hashtags, {{ empty_list() }}) as hashtags,
        coalesce(ranked.mentions, {{ empty_list() }}) as mentions,
        coalesce(ranked.urls, {{ empty_list() }}) as urls,
        ranked.user_created_at,
        ranked.user_followers,
        ranked.user_following,
        ranked.user_tweets,
        ranked.user_name,
        ranked.user_description,
        ranked.user_location,
        ranked.user_verified,
        ranked.user_protected,
        ranked.user_default_image,
        ranked.user_listed,
        ranked.user_favourites,
        ranked.time_precision,
        ranked.source_format,
        ranked.file_sha256,
        ranked.day,
        affected.inputs as day_inputs
    from ranked
    -- a best record on a day that is not affected is already staged, unchanged
    inner join affected on ranked.day = affected.day
    anti join deleted on ranked.tweet_id = deleted.tweet_id
    where ranked.record_rank = 1
)

select * from final
