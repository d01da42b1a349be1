-- Whether a campaign's accounts are paired through it (int_account_co_events, account_pairs):
-- a crowd in one window is one event. Two bounds, one rule: a campaign of more than
-- pair_max_campaign_accounts accounts, or whose co-events (pairs of tweets by two accounts within
-- coordination_window_seconds of each other) outnumber those of a crowd that size posting once
-- (pair_max_campaign_accounts x (pair_max_campaign_accounts - 1) / 2: 499,500 at 1,000), gives
-- no pairs. 3,000 accounts posting within a minute would make 4.5 million pairs, and 999 accounts
-- repeating one message all hour 6.6 million ties, that say nothing of any two of them. Past a
-- bound its accounts pair through their other campaigns, its own verdict still reads its timing,
-- and marts.campaigns says so (accounts_paired).
--
-- The co-events are counted, never made: each tweet's neighbours within the window (a range
-- frame over the campaign's tweets in time order) less its own account's, halved.

{% set window = var('coordination_window_seconds') %}
{% set max_accounts = var('pair_max_campaign_accounts') %}

with members as (
    select
        campaign_id,
        user_id,
        {{ epoch_seconds('created_at') }} as at_second
    from {{ ref('int_messages_grouped_to_campaigns') }}
),

neighbours as (
    select
        campaign_id,
        user_id,
        count(*) over (
            partition by campaign_id order by at_second
            range between {{ window }} preceding and {{ window }} following
        ) - count(*) over (
            partition by campaign_id, user_id order by at_second
            range between {{ window }} preceding and {{ window }} following
        ) as n_others
    from members
),

counts as (
    select
        campaign_id,
        count(distinct user_id) as n_accounts,
        cast(sum(n_others) / 2 as bigint) as n_co_events
    from neighbours
    group by campaign_id
),

final as (
    select
        campaign_id,
        n_accounts,
        n_co_events,
        (
            n_accounts <= {{ max_accounts }}
            and n_co_events <= {{ max_accounts }} * ({{ max_accounts }} - 1) / 2
        ) as is_paired
    from counts
)

select * from final
