-- One row per ISO week (Monday start, UTC) holding a tweet: the headline of its report page (the
-- archive's volume, and the automated campaigns, tweets and accounts active that week).

with tweets as (
    select * from {{ ref('int_tweets_deduplicated') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

campaign_tweets as (
    select * from {{ ref('campaign_tweets') }}
),

volume as (
    select
        date_trunc('week', created_at)::date as week_start,
        count(*) as tweets_in_archive
    from tweets
    group by 1
),

automated as (
    select
        date_trunc('week', campaign_tweets.created_at)::date as week_start,
        count(distinct campaign_tweets.campaign_id) as automated_campaigns,
        count(*) as automated_tweets,
        count(distinct campaign_tweets.user_id) as automated_accounts
    from campaign_tweets
    inner join campaigns on campaign_tweets.campaign_id = campaigns.campaign_id
    where campaigns.is_automated
    group by 1
),

final as (
    select
        volume.week_start,
        {{ format_timestamp('volume.week_start', 'iso_week') }} as iso_week,
        volume.tweets_in_archive,
        coalesce(automated.automated_campaigns, 0) as automated_campaigns,
        coalesce(automated.automated_tweets, 0) as automated_tweets,
        coalesce(automated.automated_accounts, 0) as automated_accounts
    from volume
    left join automated on volume.week_start = automated.week_start
)

select * from final
