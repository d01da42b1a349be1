{#- The rows another model of the build state holds from the last build, read without a ref (so
    that a model dbt runs before it may compare against them), or no rows at all where there is
    nothing to compare against: a first build, a full refresh (the state starts empty, see
    chorus/build/state.py), Spark (its Parquet tables cannot delete rows, so there every model
    that follows the changes is a table made whole) and a dbt unit test (its given rows
    stand for the models it reads). `columns` name the empty rows' columns. -#}
{% macro kept_rows(model_name, columns) %}
{%- set relation = none -%}
{%- if execute and target.type != 'spark' and this is not none -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, model_name) -%}
{%- endif -%}
{%- if relation is not none -%}
{{ relation }}
{%- else -%}
(select {% for column in columns %}null as {{ column }}{{ ', ' if not loop.last }}{% endfor %} where false) as none_yet
{%- endif -%}
{% endmacro %}
