-- Every time two accounts posted the same message (identical or near-duplicate: co_tweet) or
-- retweeted the same post (co_retweet) within coordination_window_seconds of each other (Keller
-- et al. 2020), with the two tweets that tie them: the evidence behind marts.account_pairs.
-- Layout unchecked from here: DuckDB syntax sqlfluff's parser does not read yet (see .sqlfluff).
-- noqa: disable=LT01,LT02,LT05,LT09

-- Only campaigns whose crowd is not one event (int_account_paired_members). Incremental on DuckDB:
-- a build makes again the co-events of the campaigns whose pairing changed
-- (int_account_pairing_changes) and keeps the others; a table on Spark.

-- depends_on: {{ ref('int_account_pair_changes') }}, {{ ref('int_account_pairing_changes') }}
{{ kept_per_paired_campaign('campaign_id') }}

with members as (
    select * from {{ ref('int_account_paired_members') }}
    {% if is_incremental() %}
    where {{ on_pairing_changes('campaign_id') }}
    {% endif %}
),

final as (
    select
        a.user_id as account_a,
        b.user_id as account_b,
        case when a.is_retweet then 'co_retweet' else 'co_tweet' end as kind,
        a.campaign_id,
        a.tweet_id as tweet_a,
        b.tweet_id as tweet_b,
        a.created_at as tweeted_a_at,
        b.created_at as tweeted_b_at
    from members as a
    inner join members as b
        on a.campaign_id = b.campaign_id
        and a.user_id < b.user_id
        and b.created_at between a.created_at - interval {{ var('coordination_window_seconds') }} seconds
            and a.created_at + interval {{ var('coordination_window_seconds') }} seconds
)

select * from final
