-- Coordination network (Keller et al. 2020): pairs of accounts that posted the same message
-- (identical or near-duplicate: co_tweet) or retweeted the same post (co_retweet) within
-- coordination_window_seconds of each other. One row per (pair, kind); account_a < account_b.
-- The tweets that tie each pair: `ties` (ids and times), one row each in marts.account_pair_tweets.
-- Most pairs are tied once: only the ties of the others are gathered and put in order (sorting
-- a one-element list per pair cost more than the rest of the model).
-- Kept when the build starts from a copy of the warehouse that holds the state's last build
-- (chorus/build/kept.py): the pairs the campaigns whose pairing changed tie, or tied, are deleted
-- and made again from all their co-events (the changed_account_pairs macro); otherwise (and on
-- Spark) a table written whole.

-- depends_on: {{ ref('int_account_pair_changes') }}, {{ ref('int_account_pairing_changes') }}
{{ kept_in_state("(account_a, account_b, kind) in ({{ changed_account_pairs() }})") }}

{% set tie = {'campaign_id': 'campaign_id', 'tweet_a': 'tweet_a', 'tweeted_a_at': 'tweeted_a_at',
              'tweet_b': 'tweet_b', 'tweeted_b_at': 'tweeted_b_at'} %}

with co_events as (
    select * from {{ ref('int_account_co_events') }}
    {% if is_incremental() %}
    semi join ({{ changed_account_pairs() }}) as changed using (account_a, account_b, kind)
    {% endif %}
),

pairs as {{ materialized() }} (
    select
        account_a,
        account_b,
        kind,
        count(*) as n_events,
        count(distinct campaign_id) as n_campaigns,
        {{ sorted_set_agg('campaign_id') }} as campaign_ids,
        min(least(tweeted_a_at, tweeted_b_at)) as first_at,
        max(least(tweeted_a_at, tweeted_b_at)) as last_at,
        any_value({{ struct_of(tie) }}) as only_tie
    from co_events
    group by account_a, account_b, kind
),

repeated_pairs as (
    select
        account_a,
        account_b,
        kind
    from pairs
    where n_events > 1
),

repeated_ties as (
    select
        account_a,
        account_b,
        kind,
        {{ ordered_struct_agg(tie, ['least(tweeted_a_at, tweeted_b_at)', 'tweet_a', 'tweet_b']) }} as ties
    from co_events
    semi join repeated_pairs using (account_a, account_b, kind)
    group by account_a, account_b, kind
),

final as (
    select
        pairs.account_a,
        pairs.account_b,
        pairs.kind,
        pairs.n_events,
        pairs.n_campaigns,
        pairs.campaign_ids,
        pairs.first_at,
        pairs.last_at,
        coalesce(repeated_ties.ties, {{ list_of(['pairs.only_tie']) }}) as ties
    from pairs
    left join repeated_ties
        on
            pairs.account_a = repeated_ties.account_a
            and pairs.account_b = repeated_ties.account_b
            and pairs.kind = repeated_ties.kind
)

select * from final
