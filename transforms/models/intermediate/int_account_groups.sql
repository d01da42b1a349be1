-- Groups of accounts that act together: the connected components of the recurring ties
-- (int_account_ties).
-- Deterministic: a group's id is the md5 of its smallest account id, so the same input gives the
-- same groups and ids on every run.
-- Components by min-label propagation (see the connected_components macro: each account takes
-- the smallest label among its neighbours until nothing changes).
-- Layout unchecked from here: DuckDB syntax sqlfluff's parser does not read yet (see .sqlfluff).
-- noqa: disable=LT01,LT02,LT05,LT09

with ties as (
    select * from {{ ref('int_account_ties') }}
),

edges as {{ materialized() }} (  -- noqa: ST03
    select account_a as node, account_b as neighbour from ties
    union all
    select account_b, account_a from ties
),

components as {{ materialized() }} (
    {{ connected_components('edges') }}
),

final as (
    select
        node as user_id,
        'g' || substr(md5(label), 1, 12) as group_id,
        converged
    from components
)

select * from final
