-- The campaigns each group of accounts pushed (two of its accounts or more), for its report page.

with group_campaigns as (
    select * from {{ ref('int_group_campaigns') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

final as (
    select
        group_campaigns.group_id,
        campaigns.campaign_id,
        campaigns.party,
        campaigns.is_automated,
        campaigns.amplification_score,
        campaigns.n_accounts,
        campaigns.n_tweets,
        campaigns.first_seen,
        campaigns.canonical_text,
        group_campaigns.n_members as group_accounts
    from group_campaigns
    inner join campaigns using (campaign_id)
)

select * from final
