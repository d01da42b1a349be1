-- Posts per minute of each automated campaign: the bars of its report page.

with automated as (
    select campaign_id from {{ ref('campaigns') }} where verdict <> 'organic'
),

final as (
    select
        members.campaign_id,
        date_trunc('minute', members.created_at) as minute,
        count(*) as n_posts
    from {{ ref('campaign_tweets') }} as members
    semi join automated using (campaign_id)
    group by all
)

select * from final
