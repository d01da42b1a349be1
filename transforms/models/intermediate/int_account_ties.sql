-- The ties that make groups of accounts (int_account_groups): pairs that posted or retweeted
-- together within the coordination window in at least group_min_campaigns distinct campaigns
-- (Keller et al.), or that took part in at least group_min_campaigns of the same automated
-- campaigns, however spread in time (a state operation's accounts push each headline over half an
-- hour, at minute resolution: few of their posts fall within a minute of each other, every
-- headline has most of them). Pairs inside automated campaigns of more than
-- group_max_campaign_accounts accounts are not enumerated (n^2 pairs); those accounts group
-- through their other campaigns. One row per pair, account_a < account_b.
-- Kept in the build state: an incremental build makes again only the pairs whose consistency row
-- or shared automated campaigns changed (int_account_tie_changes); on Spark a table made whole.

-- depends_on: {{ ref('int_account_tie_changes') }}
{{ kept_per_listed('int_account_tie_changes', ['account_a', 'account_b']) }}

with
{% if is_incremental() %}
changed as {{ materialized() }} (
    select
        account_a,
        account_b
    from {{ ref('int_account_tie_changes') }}
),
{% endif %}

recurring_ties as (
    -- tied within the window in group_min_campaigns campaigns or more
    select
        account_a,
        account_b
    from {{ ref('int_account_pair_consistency') }}
    {% if is_incremental() %}
    semi join changed using (account_a, account_b)
    {% endif %}
),

automated_members as (
    select
        campaign_id,
        user_id
    from {{ ref('int_account_automated_members') }}
),

-- the layout check indents the second branch as if the first were open: unchecked there
-- noqa: disable=LT02
co_campaign as (
    {% if is_incremental() %}
    -- the changed pairs' shared campaigns: each pair's first account's campaigns, probed for the second
    select
        changed.account_a,
        changed.account_b
    from changed
    inner join automated_members as a on changed.account_a = a.user_id
    inner join automated_members as b
        on a.campaign_id = b.campaign_id and changed.account_b = b.user_id
    {% else %}
    select
        a.user_id as account_a,
        b.user_id as account_b
    from automated_members as a
    inner join automated_members as b
        on a.campaign_id = b.campaign_id and a.user_id < b.user_id
    {% endif %}
    group by all
    having count(*) >= {{ var('group_min_campaigns') }}
),
-- noqa: enable=LT02

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
