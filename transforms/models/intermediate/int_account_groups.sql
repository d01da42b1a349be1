-- Groups of accounts that act together: the connected components of the co-activity network
-- once only recurring ties are kept (pairs that posted or retweeted together, within the window,
-- in at least group_min_campaigns distinct campaigns). Deterministic: a group's id is the md5 of
-- its smallest account id, so the same input gives the same groups and ids on every run.
-- Components by min-label propagation in a recursive CTE (each account takes the smallest label
-- among its neighbours until nothing changes).

with pairs as (
    select
        account_a,
        account_b
    from {{ ref('account_pairs') }}
    group by account_a, account_b
    having len(list_distinct(flatten(list(campaign_ids)))) >= {{ var('group_min_campaigns') }}
),

edges as materialized (
    select account_a as node, account_b as neighbour from pairs
    union all
    select account_b, account_a from pairs
),

components as materialized (
    {{ connected_components('edges') }}
),

final as (
    select
        node as user_id,
        'g' || substr(md5(label), 1, 12) as group_id
    from components
)

select * from final
