-- Per party, the automated tweets counted week by week add up to the automated campaigns' tweets.

with weekly as (
    select
        coalesce(party, '') as party_key,
        sum(n_automated_tweets) as n
    from {{ ref('party_weekly') }}
    group by 1
),

campaigns as (
    select
        coalesce(party, '') as party_key,
        sum(n_tweets) as n
    from {{ ref('campaigns') }}
    where is_automated
    group by 1
),

final as (
    select
        party_key,
        weekly.n as weekly_tweets,
        campaigns.n as campaign_tweets
    from weekly
    full outer join campaigns using (party_key)
    where coalesce(weekly.n, 0) <> coalesce(campaigns.n, 0)
)

select * from final
