-- Per ISO week (Monday start, UTC) and party: campaigns, their tweets, and the share of the
-- party's visible volume that automated campaigns made up, and apart from it the share that
-- coordinated or overt messaging made up (acting together, not shown to be automation). A
-- party's visible volume is every tweet carrying one of its reference signals or sitting in a
-- campaign attributed to it. Campaign tweets count in the week they were posted. The row with
-- party NULL covers campaigns attributed to no party (its volume is those campaigns' tweets).

with days as (
    select * from {{ ref('party_daily') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

campaign_tweets as (
    select * from {{ ref('campaign_tweets') }}
),

volume as (
    select
        week_start,
        party,
        sum(n_party_tweets)::bigint as n_party_tweets
    from days
    group by all
),

campaign_activity as (
    select
        date_trunc('week', campaign_tweets.created_at)::date as week_start,
        campaigns.party,
        count(distinct campaigns.campaign_id) as n_campaigns,
        count(distinct campaigns.campaign_id) filter (where campaigns.is_automated)
            as n_automated_campaigns,
        count(*) as n_campaign_tweets,
        count(*) filter (where campaigns.is_automated) as n_automated_tweets,
        count(distinct campaign_tweets.user_id) filter (where campaigns.is_automated)
            as n_automated_accounts,
        count(distinct campaigns.campaign_id) filter (where campaigns.verdict = 'coordinated')
            as n_coordinated_campaigns,
        count(distinct campaigns.campaign_id) filter (where campaigns.verdict = 'overt')
            as n_overt_campaigns,
        count(*) filter (where campaigns.verdict in ('coordinated', 'overt')) as n_messaging_tweets
    from campaign_tweets
    inner join campaigns using (campaign_id)
    group by all
),

final as (
    select
        coalesce(volume.week_start, campaign_activity.week_start) as week_start,
        {{ format_timestamp('coalesce(volume.week_start, campaign_activity.week_start)', 'iso_week') }} as iso_week,
        coalesce(volume.party, campaign_activity.party) as party,
        coalesce(campaign_activity.n_campaigns, 0) as n_campaigns,
        coalesce(campaign_activity.n_automated_campaigns, 0) as n_automated_campaigns,
        coalesce(campaign_activity.n_campaign_tweets, 0) as n_campaign_tweets,
        coalesce(campaign_activity.n_automated_tweets, 0) as n_automated_tweets,
        coalesce(campaign_activity.n_automated_accounts, 0) as n_automated_accounts,
        coalesce(volume.n_party_tweets, 0) as n_party_tweets,
        floor((
            coalesce(campaign_activity.n_automated_tweets, 0)
            / nullif(coalesce(volume.n_party_tweets, 0), 0)
        ) * 1e4 + 0.5) / 1e4 as automated_share,
        coalesce(campaign_activity.n_coordinated_campaigns, 0) as n_coordinated_campaigns,
        coalesce(campaign_activity.n_overt_campaigns, 0) as n_overt_campaigns,
        coalesce(campaign_activity.n_messaging_tweets, 0) as n_messaging_tweets,
        floor((
            coalesce(campaign_activity.n_messaging_tweets, 0)
            / nullif(coalesce(volume.n_party_tweets, 0), 0)
        ) * 1e4 + 0.5) / 1e4 as messaging_share
    from volume
    full outer join campaign_activity
        on
            volume.week_start = campaign_activity.week_start
            and volume.party is not distinct from campaign_activity.party
)

select * from final
