{#- On DuckDB the published tables are built straight into a file of their own, attached as
    `published` (profiles.yml), which becomes the candidate with no copy; the internal schema stays
    in the build state, so the candidate never holds an internal row. Views (the lake's base
    models) stay in the state too. Elsewhere dbt's own macro for the adapter applies (Spark's: no
    database). -#}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- if target.type == 'duckdb' and node is not none
          and node.resource_type in ('model', 'seed')
          and node.config.schema not in var('internal_schemas')
          and node.config.materialized != 'view' -%}
        {{ return('published') }}
    {%- endif -%}
    {{ return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) }}
{%- endmacro %}
