-- Coordination network (Keller et al. 2020): pairs of accounts that posted the same message
-- (identical or near-duplicate: co_tweet) or retweeted the same post (co_retweet) within
-- coordination_window_seconds of each other. One row per (pair, kind); account_a < account_b.
-- The tweets that tie each pair: `ties` (ids and times), one row each in marts.account_pair_tweets.

with co_events as (
    select * from {{ ref('int_account_co_events') }}
),

final as (
    select
        account_a,
        account_b,
        kind,
        count(*) as n_events,
        count(distinct campaign_id) as n_campaigns,
        {{ sorted_set_agg('campaign_id') }} as campaign_ids,
        min(least(tweeted_a_at, tweeted_b_at)) as first_at,
        max(least(tweeted_a_at, tweeted_b_at)) as last_at,
        {{ ordered_struct_agg(
            {'campaign_id': 'campaign_id', 'tweet_a': 'tweet_a', 'tweeted_a_at': 'tweeted_a_at',
             'tweet_b': 'tweet_b', 'tweeted_b_at': 'tweeted_b_at'},
            ['least(tweeted_a_at, tweeted_b_at)', 'tweet_a', 'tweet_b']
        ) }} as ties
    from co_events
    group by account_a, account_b, kind
)

select * from final
