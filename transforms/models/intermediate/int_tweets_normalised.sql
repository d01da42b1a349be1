-- Each tweet with its normalised text, the message it carries and the kind of app that posted it.
--
-- The message key decides what a campaign groups:
--   a retweet carries the post it retweets ('rt:' + its id; without the id, 'rx:' + its full
--   text, link included, which every retweet of one post shares);
--   a text of at least near_dup_min_words words carries itself ('tx:' + md5 of the normalised
--   text; near-duplicates are merged later);
--   a shorter text with a link carries the link ('url:' + md5 of the normalised link), so a link
--   blast with a dozen short comments is one message;
--   a shorter text without a link carries itself if it has min_message_words words;
--   anything else (an emoji, a bare link's leftovers, one word) carries no message, and neither
--   does a tweet without an author: they never join a campaign.
-- The normalised text comes from the per-text cache int_text_normalised.
-- Incremental on DuckDB: a build makes again the rows of the days it stages again
-- (int_lake_days_affected) and keeps the others; a table on Spark.
-- Layout unchecked from here: DuckDB syntax sqlfluff's parser does not read yet (see .sqlfluff).
-- noqa: disable=LT01,LT02,LT05,LT09

-- depends_on: {{ ref('int_lake_days_affected') }}, {{ ref('int_lake_messages_affected') }}
{{ kept_per_day('cast(created_at as date)') }}

with tweets as (
    select * from {{ ref('int_tweets_deduplicated') }}
    {% if is_incremental() %}
    where {{ on_affected_days('day') }}
    {% endif %}
),

apps as (
    select * from {{ ref('stg_reference__apps') }}
),

texts as (
    select * from {{ ref('int_text_normalised') }}
),

normalised as (
    select
        tweets.tweet_id,
        tweets.user_id,
        tweets.screen_name,
        tweets.created_at,
        tweets.time_precision,
        tweets.source,
        tweets.text,
        tweets.is_retweet,
        tweets.retweeted_tweet_id,
        coalesce({{ list_first('tweets.urls') }}, regexp_extract(tweets.text, 'https?://[^ ]+', 0)) as first_url,
        texts.text_norm,
        {{ word_count('texts.text_norm') }} as n_words
    from tweets
    left join texts on md5(tweets.text) = texts.text_md5
),

final as (
    select
        normalised.* except (first_url, n_words),
        case
            when user_id is null then null
            when is_retweet and retweeted_tweet_id is not null then 'rt:' || retweeted_tweet_id
            when is_retweet then 'rx:' || md5(lower(trim(text)))
            when n_words >= {{ var('near_dup_min_words') }} then 'tx:' || md5(text_norm)
            when nullif(first_url, '') is not null then 'url:' || md5({{ normalise_url('first_url') }})
            when n_words >= {{ var('min_message_words') }} then 'tx:' || md5(text_norm)
        end as message_key,
        case
            when normalised.source is null then 'missing'
            else coalesce(apps.kind, 'unknown')
        end as app_kind
    from normalised
    left join apps on lower(trim(normalised.source)) = apps.source_key  -- noqa: ST11
)

select * from final
