-- Which party's reference signals each tweet carries: its author (an account the reference lists
-- as the party's own: the strongest signal), its posting app, hashtags, link domains (subdomains
-- match), the account it retweets, and accounts it mentions. One row per (tweet, party, signal
-- type), with the signal type's weight.

-- Incremental on DuckDB: a build makes again the rows of the days it stages again
-- (int_lake_days_affected) and keeps the others; a table on Spark. The party reference is part of
-- the build's fingerprint: another reference rebuilds it whole.

-- depends_on: {{ ref('int_lake_days_affected') }}
{{ kept_per_day('day') }}

with tweets as (
    select * from {{ ref('int_tweets_deduplicated') }}
    {% if is_incremental() %}
        where {{ on_affected_days('day') }}
    {% endif %}
),

reference as (
    select * from {{ ref('stg_reference__parties') }}
),

hashtags as (
    select
        tweet_id,
        day,
        lower(hashtag) as value
    from (select
        tweet_id,
        day,
        {{ unnest('hashtags') }} as hashtag
    from tweets) as exploded
),

mentions as (
    select
        tweet_id,
        day,
        retweeted_screen_name,
        lower(mention) as value
    from (select
        tweet_id,
        day,
        retweeted_screen_name,
        {{ unnest('mentions') }} as mention
    from tweets) as exploded
),

domains as (
    select
        tweet_id,
        day,
        lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)) as host
    from (select
        tweet_id,
        day,
        {{ unnest('urls') }} as url
    from tweets) as exploded
),

hits as (
    select
        tweets.tweet_id,
        tweets.day,
        reference.party,
        'source' as signal_type
    from tweets
    inner join reference
        on reference.signal_type = 'source' and lower(trim(tweets.source)) = reference.value

    union all

    select
        hashtags.tweet_id,
        hashtags.day,
        reference.party,
        'hashtag' as signal_type
    from hashtags
    inner join reference on reference.signal_type = 'hashtag' and hashtags.value = reference.value

    union all

    select
        domains.tweet_id,
        domains.day,
        reference.party,
        'domain' as signal_type
    from domains
    inner join reference
        on reference.signal_type = 'domain'
        -- a subdomain matches: compared as a suffix, never as a LIKE pattern (a `%` or `_` in the
        -- reference is a character, not a wildcard)
        and (
            domains.host = reference.value
            or right(domains.host, length(reference.value) + 1) = '.' || reference.value
        )

    union all

    select
        tweets.tweet_id,
        tweets.day,
        reference.party,
        'retweeted_account' as signal_type
    from tweets
    inner join reference
        on
            reference.signal_type = 'account'
            and lower(tweets.retweeted_screen_name) = reference.value

    union all

    select
        tweets.tweet_id,
        tweets.day,
        reference.party,
        'author' as signal_type
    from tweets
    inner join reference
        on
            reference.signal_type = 'account'
            and lower(tweets.screen_name) = reference.value

    union all

    select
        mentions.tweet_id,
        mentions.day,
        reference.party,
        'mention' as signal_type
    from mentions
    inner join reference on reference.signal_type = 'account' and mentions.value = reference.value
    where mentions.value is distinct from lower(mentions.retweeted_screen_name)
),

final as (
    select distinct
        tweet_id,
        day,
        party,
        signal_type,
        case signal_type
            when 'source' then {{ var('weight_source') }}
            when 'hashtag' then {{ var('weight_hashtag') }}
            when 'domain' then {{ var('weight_domain') }}
            when 'retweeted_account' then {{ var('weight_retweeted_account') }}
            when 'author' then {{ var('weight_author') }}
            else {{ var('weight_mention') }}
        end::double as weight
    from hits
)

select * from final
