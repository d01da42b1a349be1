{#- 0 below `floor`, 1 from `floor + span`, linear between; NULL stays NULL (missing evidence). -#}
{% macro ramp(column, floor, span) -%}
case when {{ column }} is not null then least(1.0, greatest(0.0, ({{ column }} - {{ floor }}) / {{ span }})) end
{%- endmacro %}

{#- How far a crowd's size makes its coordination count: ln(accounts) / ln(accounts_for_full_burst),
    at most 1 (one account: 0; three: a third; twenty: full). -#}
{% macro accounts_factor(column) -%}
least(1.0, ln({{ column }}) / ln({{ var('accounts_for_full_burst') }}))
{%- endmacro %}

{#- The lower bound of a share `hits / n` (Wilson score interval, `z` standard errors): how low the
    true share may be, given how few posts it is read from. -#}
{% macro wilson_lower(hits, n, z) -%}
(({{ hits }}) / ({{ n }}) + {{ z * z }} / (2.0 * ({{ n }}))
    - {{ z }} * sqrt(({{ hits }}) / ({{ n }}) * (1 - ({{ hits }}) / ({{ n }})) / ({{ n }}) + {{ z * z }} / (4.0 * ({{ n }}) * ({{ n }}))))
    / (1 + {{ z * z }} / ({{ n }}))
{%- endmacro %}
