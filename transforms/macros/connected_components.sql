{#- Connected components of an undirected edge relation with columns (node, neighbour), both
    directions present: one row (node, label, converged) per node, label = the smallest node of
    its component. Min-label propagation: on DuckDB in a recursive CTE keyed on the node (USING KEY
    keeps one row per node and updates it in place, so each round costs the edges once), until
    nothing changes; on Spark (whose recursive CTEs allow no aggregate) in component_rounds
    rounds, `converged` false where the last round still changed a label (a test fails then). -#}
{% macro connected_components(edges) -%}
{{ return(adapter.dispatch('connected_components', 'chorus')(edges)) }}
{%- endmacro %}

{% macro default__connected_components(edges) -%}
with recursive labels(node, label) using key (node) as (
    select node, least(node, min(neighbour)) as label
    from {{ edges }}
    group by node

    union

    select
        {{ edges }}.node,
        min(labels.label) as label
    from {{ edges }}
    inner join labels on {{ edges }}.neighbour = labels.node
    group by {{ edges }}.node
    having min(labels.label) < (
        select previous.label from recurring.labels as previous where previous.node = {{ edges }}.node
    )
)
select node, label, true as converged from labels
{%- endmacro %}

{% macro spark__connected_components(edges) -%}
{%- set rounds = var('component_rounds') -%}
with looped as (
    select node, neighbour from {{ edges }}
    union
    select node, node from {{ edges }}
),

labels_0 as (
    select node, min(neighbour) as label from looped group by node
),
{% for round in range(1, rounds + 1) %}
labels_{{ round }} as (
    select looped.node, min(previous.label) as label
    from looped
    inner join labels_{{ round - 1 }} as previous on looped.neighbour = previous.node
    group by looped.node
){{ ',' if not loop.last }}
{% endfor %}
select
    labels_{{ rounds }}.node,
    labels_{{ rounds }}.label,
    labels_{{ rounds }}.label = labels_{{ rounds - 1 }}.label as converged
from labels_{{ rounds }}
inner join labels_{{ rounds - 1 }} using (node)
{%- endmacro %}
