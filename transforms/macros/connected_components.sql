{#- Connected components of an undirected edge relation with columns (node, neighbour), both
    directions present: one row (node, label) per node, label = the smallest node of its
    component. Min-label propagation in a recursive CTE keyed on the node (DuckDB's USING KEY
    keeps one row per node and updates it in place, so each round costs the edges once). -#}
{% macro connected_components(edges) -%}
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
select node, label from labels
{%- endmacro %}
