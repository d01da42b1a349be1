{#- The persona rule, in one place: an account that exists to push copies. Its posts hold at least
    repeat_copy_messages distinct pushed items (texts copied with others, or campaigns fired with
    a team), and those posts make up persona_copy_share or more of the posts they are read from:
    the share itself (`z` 0), or its lower bound when the caller needs it beyond doubt (Wilson, `z`
    standard errors: five copies among ten posts, a person an app also posts for, is not enough).
    int_account_habits reads the share (a campaign's personas are graded evidence, ramped over its
    accounts); the grouping splits a campaign only on personas beyond doubt
    (persona_confidence_z). Never true for NULL or zero counts. -#}
{% macro is_mostly_pushed(n_distinct_items, n_pushed_posts, n_posts, z) -%}
coalesce(
    {{ n_distinct_items }} >= {{ var('repeat_copy_messages') }}
    and {{ wilson_lower(n_pushed_posts, 'nullif(' ~ n_posts ~ ', 0)', z) }}
    >= {{ var('persona_copy_share') }},
    false
)
{%- endmacro %}

{#- The share of copy personas among the accounts with a message (int_account_personas), as one
    row with one column, `rate`: what a group's personas are compared with (splits_cohorts). -#}
{% macro persona_rate() %}
    select
        sum(case when is_persona then 1 else 0 end) / greatest(1, count(*)) as rate
    from {{ ref('int_account_personas') }}
{% endmacro %}

{#- Whether a group of a message's posters is two campaigns, its copy personas and its people:
    each a campaign's worth of accounts (min_accounts), and more personas than a binomial draw of
    its accounts at `rate` (persona_rate) gives by cohort_z standard deviations. -#}
{% macro splits_cohorts(n_personas, n_accounts, rate) -%}
(
    {{ n_personas }} >= {{ var('min_accounts') }}
    and {{ n_accounts }} - {{ n_personas }} >= {{ var('min_accounts') }}
    and {{ n_personas }} > {{ n_accounts }} * {{ rate }}
    + {{ var('cohort_z') }} * sqrt({{ n_accounts }} * {{ rate }} * (1 - {{ rate }}))
)
{%- endmacro %}
