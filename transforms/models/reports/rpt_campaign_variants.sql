-- The text variants of each automated campaign with their counts, the 50 commonest.

with automated as (
    select campaign_id from {{ ref('campaigns') }} where verdict <> 'organic'
),

members as (
    select
        members.campaign_id,
        tweets.text
    from {{ ref('campaign_tweets') }} as members
    inner join {{ ref('int_tweets_deduplicated') }} as tweets using (tweet_id)
    semi join automated using (campaign_id)
),

counted as (
    select
        campaign_id,
        text,
        count(*) as n,
        row_number() over (partition by campaign_id order by count(*) desc, text) as variant_rank
    from members
    group by campaign_id, text
),

final as (
    select
        campaign_id,
        variant_rank,
        text,
        n
    from counted
    where variant_rank <= 50
)

select * from final
