-- The accounts of each automated campaign as its report page lists them: what the archive says
-- of each, its group, and its posts in this campaign.

with automated as (
    select campaign_id from {{ ref('campaigns') }} where verdict <> 'organic'
),

members as (
    select members.*
    from {{ ref('campaign_tweets') }} as members
    semi join automated using (campaign_id)
),

accounts as (
    select * from {{ ref('accounts') }}
),

final as (
    select
        members.campaign_id,
        accounts.user_id,
        accounts.screen_name,
        accounts.account_created_at,
        accounts.followers,
        accounts.following,
        accounts.group_id,
        accounts.n_campaigns,
        accounts.n_automated_campaigns,
        count(*) as posts_here,
        min(members.created_at) as first_post
    from members
    inner join accounts using (user_id)
    group by all
)

select * from final
