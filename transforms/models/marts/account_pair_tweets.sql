-- The evidence of every edge of marts.account_pairs: each pair of tweets, one by each account,
-- that tied the two accounts (same message or same retweeted post, within the window).

with co_events as (
    select * from {{ ref('int_account_co_events') }}
),

final as (
    select
        account_a,
        account_b,
        kind,
        campaign_id,
        tweet_a,
        tweet_b,
        tweeted_a_at,
        tweeted_b_at,
        abs({{ epoch_seconds('tweeted_b_at') }} - {{ epoch_seconds('tweeted_a_at') }}) as seconds_apart
    from co_events
)

select * from final
