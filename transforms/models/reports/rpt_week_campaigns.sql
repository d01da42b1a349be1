-- The campaigns of a week's report page: every campaign with a post that week (one row per week
-- it was active), its posts that week, and the group of accounts that posted most of it (the page
-- folds a group's campaigns into one entry).

with campaigns as (
    select * from {{ ref('campaigns') }}
),

campaign_tweets as (
    select * from {{ ref('campaign_tweets') }}
),

accounts as (
    select * from {{ ref('accounts') }}
),

weekly as (
    select
        campaign_id,
        date_trunc('week', created_at)::date as week_start,
        count(*) as tweets_this_week
    from campaign_tweets
    group by 1, 2
),

group_posts as (
    select
        campaign_tweets.campaign_id,
        accounts.group_id,
        count(*) as n_posts
    from campaign_tweets
    inner join accounts on campaign_tweets.user_id = accounts.user_id
    where accounts.group_id is not null
    group by 1, 2
),

main_group as (
    select
        campaign_id,
        group_id,
        row_number() over (partition by campaign_id order by n_posts desc, group_id asc) as group_rank
    from group_posts
),

final as (
    select
        weekly.week_start,
        campaigns.campaign_id,
        campaigns.party,
        campaigns.party_confidence,
        campaigns.is_automated,
        campaigns.verdict,
        campaigns.verdict_reason,
        campaigns.amplification_score,
        campaigns.n_tweets,
        campaigns.n_accounts,
        campaigns.first_seen,
        campaigns.last_seen,
        campaigns.canonical_text,
        campaigns.reasons,
        campaigns.top_source,
        campaigns.duration_seconds,
        weekly.tweets_this_week,
        main_group.group_id
    from weekly
    inner join campaigns on weekly.campaign_id = campaigns.campaign_id
    left join main_group
        on
            campaigns.campaign_id = main_group.campaign_id
            and main_group.group_rank = 1
)

select * from final
