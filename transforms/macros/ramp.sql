{#- 0 below `floor`, 1 from `floor + span`, linear between; NULL stays NULL (missing evidence). -#}
{% macro ramp(column, floor, span) -%}
case when {{ column }} is not null then least(1.0, greatest(0.0, ({{ column }} - {{ floor }}) / {{ span }})) end
{%- endmacro %}

{#- How far a crowd's size makes its coordination count: ln(accounts) / ln(accounts_for_full_burst),
    at most 1 (one account: 0; three: a third; twenty: full). -#}
{% macro accounts_factor(column) -%}
least(1.0, ln({{ column }}) / ln({{ var('accounts_for_full_burst') }}))
{%- endmacro %}
