{#- No NULL in `columns` of the lake's records, read on the days a build stages again: the rows on
    those days (int_lake_days_affected, by `day`, an expression on the model's columns) and those
    with no day (rows_on_affected_days). As primary_key's `days_whole`: every day of an input is
    staged again in the build that first reads it, so each record is checked once. Spark's builds
    are whole: every row there. Returns each offending row's columns. -#}
{% test not_null_on_days(model, columns, day) %}
{%- set any_null -%}
({% for column in columns %}{{ column }} is null{{ ' or ' if not loop.last }}{% endfor %})
{%- endset -%}
{%- if target.type == 'spark' %}
select {{ columns | join(', ') }}
from {{ model }}
where {{ any_null }}
{%- else %}
{{ rows_on_affected_days(model, columns, day, any_null) }}
{%- endif %}
{% endtest %}
