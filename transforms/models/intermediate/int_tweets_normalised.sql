-- Each tweet with its normalised text, the message it carries (a retweet carries the tweet it
-- retweets) and the kind of app that posted it (manual client, share button, unknown, missing).
-- The normalised text comes from the per-text cache int_text_normalised.

with tweets as (
    select * from {{ ref('stg_tweets') }}
),

apps as (
    select * from {{ ref('stg_reference__apps') }}
),

texts as (
    select * from {{ ref('int_text_normalised') }}
),

normalised as (
    select
        tweet_id,
        user_id,
        screen_name,
        created_at,
        source,
        text,
        is_retweet,
        retweeted_tweet_id,
        user_created_at,
        user_followers,
        texts.text_norm
    from tweets
    left join texts on md5(tweets.text) = texts.text_md5
),

final as (
    select
        normalised.*,
        case
            when is_retweet and retweeted_tweet_id is not null then 'rt:' || retweeted_tweet_id
            else 'tx:' || md5(text_norm)
        end as message_key,
        case
            when normalised.source is null then 'missing'
            else coalesce(apps.kind, 'unknown')
        end as app_kind
    from normalised
    left join apps on lower(trim(normalised.source)) = apps.source_key
)

select * from final
