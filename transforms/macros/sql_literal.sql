{#- A value as a SQL string literal (single quotes doubled), for paths that come from users. -#}
{% macro sql_literal(value) -%}
'{{ value | replace("'", "''") }}'
{%- endmacro %}
