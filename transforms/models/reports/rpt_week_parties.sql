-- Each party's row of a week's report page: marts.party_weekly with the posting apps behind the
-- party's automated campaigns active that week.

with party_weekly as (
    select * from {{ ref('party_weekly') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

campaign_tweets as (
    select * from {{ ref('campaign_tweets') }}
),

apps as (
    select
        date_trunc('week', campaign_tweets.created_at)::date as week_start,
        campaigns.party,
        {{ sorted_set_agg('campaigns.top_source') }} as apps
    from campaign_tweets
    inner join campaigns on campaign_tweets.campaign_id = campaigns.campaign_id
    -- no app named: no row, so apps is NULL on both engines (not an empty list on Spark)
    where campaigns.is_automated and campaigns.top_source is not null
    group by 1, 2
),

final as (
    select
        party_weekly.week_start,
        party_weekly.iso_week,
        party_weekly.party,
        party_weekly.n_campaigns,
        party_weekly.n_automated_campaigns,
        party_weekly.n_automated_tweets,
        party_weekly.n_automated_accounts,
        party_weekly.n_party_tweets,
        party_weekly.automated_share,
        apps.apps
    from party_weekly
    left join apps
        on
            party_weekly.week_start = apps.week_start
            and party_weekly.party is not distinct from apps.party
)

select * from final
