-- The evidence of every edge of marts.account_pairs: each pair of tweets, one by each account,
-- that tied the two accounts (same message or same retweeted post, within the window).
-- Kept like int_account_co_events when the build starts from a copy of the warehouse that holds
-- the state's last build (chorus/build/kept.py): the rows of the campaigns whose pairing changed
-- are deleted and made again; otherwise (and on Spark) a table written whole.

-- depends_on: {{ ref('int_account_pairing_changes') }}
{{ kept_per_paired_campaign('campaign_id') }}

with co_events as (
    select * from {{ ref('int_account_co_events') }}
    {% if is_incremental() %}
    where {{ on_pairing_changes('campaign_id') }}
    {% endif %}
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
