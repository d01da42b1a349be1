-- Coordination network (Keller et al. 2020): pairs of accounts that posted the same message
-- (identical or near-duplicate: co_tweet) or retweeted the same post (co_retweet) within
-- coordination_window_seconds of each other. One row per (pair, kind); account_a < account_b.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

co_events as (
    select
        a.user_id as account_a,
        b.user_id as account_b,
        case when a.is_retweet then 'co_retweet' else 'co_tweet' end as kind,
        a.campaign_id,
        least(a.created_at, b.created_at) as happened_at
    from members as a
    inner join members as b
        on a.campaign_id = b.campaign_id
        and a.user_id < b.user_id
        and b.created_at between a.created_at - to_seconds({{ var('coordination_window_seconds') }}::bigint)
            and a.created_at + to_seconds({{ var('coordination_window_seconds') }}::bigint)
),

final as (
    select
        account_a,
        account_b,
        kind,
        count(*) as n_events,
        count(distinct campaign_id) as n_campaigns,
        list(distinct campaign_id order by campaign_id) as campaign_ids,
        min(happened_at) as first_at,
        max(happened_at) as last_at
    from co_events
    group by account_a, account_b, kind
)

select * from final
