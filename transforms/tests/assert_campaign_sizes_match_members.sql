-- A campaign's n_tweets and n_accounts are its members' counts, and every member is a tweet of
-- the warehouse by an account (authorless tweets never join a campaign).

with campaigns as (
    select * from {{ ref('campaigns') }}
),

members as (
    select
        campaign_id,
        count(*) as n_tweets,
        count(distinct user_id) as n_accounts,
        count(*) filter (where user_id is null) as n_authorless
    from {{ ref('campaign_tweets') }}
    group by campaign_id
),

final as (
    select campaigns.campaign_id
    from campaigns
    left join members using (campaign_id)
    where
        campaigns.n_tweets is distinct from members.n_tweets
        or campaigns.n_accounts is distinct from members.n_accounts
        or members.n_authorless > 0
)

select * from final
