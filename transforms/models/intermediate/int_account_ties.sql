-- The ties that make groups of accounts (int_account_groups): pairs that posted or retweeted
-- together within the coordination window in at least group_min_campaigns distinct campaigns
-- (Keller et al.), or that took part in at least group_min_campaigns of the same automated
-- campaigns, however spread in time (a state operation's accounts push each headline over half an
-- hour, at minute resolution: few of their posts fall within a minute of each other, every
-- headline has most of them). Pairs inside automated campaigns of more than
-- group_max_campaign_accounts accounts are not enumerated (n^2 pairs); those accounts group
-- through their other campaigns. One row per pair, account_a < account_b.

with recurring_ties as (
    select
        account_a,
        account_b
    from {{ ref('account_pairs') }}
    group by account_a, account_b
    having {{ list_length(distinct_elements_agg('campaign_ids')) }} >= {{ var('group_min_campaigns') }}
),

automated_members as (
    select distinct
        members.campaign_id,
        members.user_id
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    inner join {{ ref('int_campaigns_scored') }} as scored using (campaign_id)
    where
        scored.is_automated
        and scored.n_accounts <= {{ var('group_max_campaign_accounts') }}
        and members.user_id is not null
),

co_campaign as (
    select
        a.user_id as account_a,
        b.user_id as account_b
    from automated_members as a
    inner join automated_members as b
        on a.campaign_id = b.campaign_id and a.user_id < b.user_id
    group by all
    having count(*) >= {{ var('group_min_campaigns') }}
),

pairs as (
    select
        account_a,
        account_b
    from recurring_ties
    union
    select
        account_a,
        account_b
    from co_campaign
)

select
    account_a,
    account_b
from pairs
