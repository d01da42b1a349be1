-- The campaigns each group of accounts pushed (two of its accounts or more), for its report page.

with members as (
    select members.campaign_id, members.user_id, accounts.group_id
    from {{ ref('campaign_tweets') }} as members
    inner join {{ ref('accounts') }} as accounts using (user_id)
    where accounts.group_id is not null
),

final as (
    select
        members.group_id,
        campaigns.campaign_id,
        campaigns.party,
        campaigns.is_automated,
        campaigns.amplification_score,
        campaigns.n_accounts,
        campaigns.n_tweets,
        campaigns.first_seen,
        campaigns.canonical_text,
        count(distinct members.user_id) as group_accounts
    from members
    inner join {{ ref('campaigns') }} as campaigns using (campaign_id)
    group by all
    having count(distinct members.user_id) >= 2
)

select * from final
