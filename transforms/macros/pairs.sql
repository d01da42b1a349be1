{#- The tweets through which accounts are paired (int_account_paired_members): the members of the
    campaigns whose crowd is not one event (int_campaign_pairing: at most
    pair_max_campaign_accounts accounts and the co-events of such a crowd posting once), with what
    the pairing reads of them. -#}
{% macro paired_members() %}
    select
        members.campaign_id,
        members.tweet_id,
        members.user_id,
        members.created_at,
        members.is_retweet
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    semi join (
        select campaign_id
        from {{ ref('int_campaign_pairing') }}
        where is_paired
    ) as pairable on members.campaign_id = pairable.campaign_id
{% endmacro %}

{#- The account pairs an incremental build makes again in account_pairs: those the co-events of
    the campaigns whose pairing changed tied at the last build (int_account_pair_changes) or tie
    now. -#}
{% macro changed_account_pairs() %}
    select
        account_a,
        account_b,
        kind
    from {{ ref('int_account_pair_changes') }}
    union
    select
        co_events.account_a,
        co_events.account_b,
        co_events.kind
    from {{ ref('int_account_co_events') }} as co_events
    where {{ on_pairing_changes('co_events.campaign_id') }}
{% endmacro %}

{#- Whether `campaign_id` is one of the campaigns whose pairing a build changes
    (int_account_pairing_changes). A model that calls it only on incremental builds names the
    model in a `-- depends_on:` comment. -#}
{% macro on_pairing_changes(campaign_id) %}{{ campaign_id }} in (select campaign_id from {{ ref('int_account_pairing_changes') }}){% endmacro %}

{#- A model kept per paired campaign: an incremental build makes again the rows whose
    `campaign_id` is one of the campaigns whose pairing changed (see on_pairing_changes). -#}
{% macro kept_per_paired_campaign(campaign_id) -%}
{{ kept_in_state("{{ on_pairing_changes('" ~ campaign_id ~ "') }}") }}
{%- endmacro %}

{#- The members of the automated campaigns whose co-members are tied (int_account_ties): one row per
    (campaign, account), in campaigns of at most group_max_campaign_accounts accounts (larger ones'
    pairs are not enumerated: n^2). -#}
{% macro automated_members() %}
    select
        members.campaign_id,
        members.user_id
    from {{ ref('int_campaign_members') }} as members
    inner join {{ ref('int_campaigns_scored') }} as scored on members.campaign_id = scored.campaign_id
    where
        scored.is_automated
        and scored.n_accounts <= {{ var('group_max_campaign_accounts') }}
{% endmacro %}

{#- The CTEs of a model listing the campaigns whose rows changed since the last build:
    `current_members` (the rows of the `current` query, `columns` of them), `kept` (the rows the last
    build kept in `model_name`, none on a first build, a full refresh, Spark) and `changed` (one
    row per campaign whose rows differ either way: new, gone, grown, shrunk). With no kept rows
    every current campaign is changed: the caller says what that means. -#}
{% macro campaign_changes(model_name, columns, current) %}
current_members as {{ materialized() }} (
    {{ current }}
),

kept as {{ materialized() }} (
    select {{ columns | join(', ') }}
    from {{ kept_rows(model_name, columns) }}
),

changed as (
    select distinct campaign_id from (
        select campaign_id from (
            select {{ columns | join(', ') }} from current_members
            except
            select {{ columns | join(', ') }} from kept
        ) as added
        union all
        select campaign_id from (
            select {{ columns | join(', ') }} from kept
            except
            select {{ columns | join(', ') }} from current_members
        ) as removed
    ) as either_way
)
{%- endmacro %}

{#- After campaign_changes: the rows (`columns`), at the last build and now, of the campaigns that
    changed. -#}
{% macro rows_of_changed_campaigns(columns) %}
    select {% for column in columns %}current_members.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from current_members
    semi join changed on current_members.campaign_id = changed.campaign_id
    union
    select {% for column in columns %}kept.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from kept
    semi join changed on kept.campaign_id = changed.campaign_id
{% endmacro %}

{#- The accounts of every campaign: one row per (campaign, account). -#}
{% macro campaign_members() %}
    select distinct
        campaign_id,
        user_id
    from {{ ref('int_messages_grouped_to_campaigns') }}
    where user_id is not null
{% endmacro %}

{#- A model kept per key: an incremental build makes again the rows whose `key` (a list of columns:
    the account pair, or the campaign) is one of those `changes_model` lists. The model names
    `changes_model` in a `-- depends_on:` comment. -#}
{% macro kept_per_listed(changes_model, key) -%}
{%- set columns = key | join(', ') -%}
{%- set row = columns if key | length == 1 else '(' ~ columns ~ ')' -%}
{{ kept_in_state(row ~ " in (select " ~ columns ~ " from {{ ref('" ~ changes_model ~ "') }})") }}
{%- endmacro %}
