-- The share of each campaign's accounts that are tight in it (int_campaign_tight_accounts: tied
-- within the coordination window to consistent partners making up most of the campaign): a
-- team's timing, which one crowd reacting to one event does not show.

with members as (
    select
        campaign_id,
        user_id
    from {{ ref('int_campaign_members') }}
),

tight_accounts as (
    select * from {{ ref('int_campaign_tight_accounts') }}
),

sizes as (
    select
        campaign_id,
        count(*) as n_accounts
    from members
    group by campaign_id
),

tight as (
    select
        campaign_id,
        count(*) as n_tight_accounts
    from tight_accounts
    group by campaign_id
),

final as (
    select
        sizes.campaign_id,
        coalesce(tight.n_tight_accounts, 0) as n_tight_accounts,
        floor((coalesce(tight.n_tight_accounts, 0) / sizes.n_accounts) * 1e6 + 0.5) / 1e6 as tight_share
    from sizes
    left join tight using (campaign_id)
)

select * from final
