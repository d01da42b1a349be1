-- The hashtags and links of each automated campaign with their counts, the 40 commonest.

with automated as (
    select campaign_id from {{ ref('campaigns') }} where verdict <> 'organic'
),

members as (
    select
        members.campaign_id,
        tweets.hashtags,
        tweets.urls
    from {{ ref('campaign_tweets') }} as members
    inner join {{ ref('int_tweets_deduplicated') }} as tweets using (tweet_id)
    semi join automated using (campaign_id)
),

entities as (
    select
        campaign_id,
        'hashtag' as kind,
        '#' || hashtag as value
    from (select
        campaign_id,
        {{ unnest('hashtags') }} as hashtag
    from members) as hashtags
    union all
    select
        campaign_id,
        'link' as kind,
        {{ unnest('urls') }} as value
    from members
),

counted as (
    select
        campaign_id,
        kind,
        value,
        count(*) as n,
        row_number() over (partition by campaign_id order by count(*) desc, value, kind asc) as entity_rank
    from entities
    group by campaign_id, kind, value
),

final as (
    select
        campaign_id,
        entity_rank,
        kind,
        value,
        n
    from counted
    where entity_rank <= 40
)

select * from final
