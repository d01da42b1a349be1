{#- The rows another model of the build state holds from the last build, read without a ref (so
    that a model dbt runs before it may compare against them), or no rows at all where there is
    nothing to compare against: a first build, a full refresh (the state starts empty, see
    chorus/build/state.py), Spark (its Parquet tables cannot delete rows, so there every model
    that follows the changes is a table made whole) and a dbt unit test (its given rows
    stand for the models it reads). `columns` name the empty rows' columns. -#}
{% macro kept_rows(model_name, columns) %}
{%- set relation = kept_relation(model_name) -%}
{%- if relation is not none -%}
{{ relation }}
{%- else -%}
(select {% for column in columns %}null as {{ column }}{{ ', ' if not loop.last }}{% endfor %} where false) as none_yet
{%- endif -%}
{% endmacro %}

{#- The relation kept_rows reads, or none. -#}
{% macro kept_relation(model_name) %}
{%- set relation = none -%}
{%- if execute and target.type != 'spark' and this is not none -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, model_name) -%}
{%- endif -%}
{{ return(relation) }}
{% endmacro %}

{#- The materialisation of a model kept between builds and made again only where a build changed
    something: on DuckDB an incremental model, whose incremental builds first delete the rows
    `delete_where` names (a condition, rendered when the hook runs) and then insert the model's
    rows; on Spark a table made whole each build. A model of the build state is kept there; a
    published one is kept when the build starts from a copy of the warehouse that holds the
    state's last build (chorus/build/kept.py), and else made whole. A new schema is a new project,
    so a fresh build: a contract's incremental model must still say it fails on one. -#}
{% macro kept_in_state(delete_where) -%}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where " ~ delete_where ~ "{% endif %}",
) }}
{%- endmacro %}

{#- A model kept per day: an incremental build makes again the rows whose `day` is one of the
    days it stages again (see on_affected_days). -#}
{% macro kept_per_day(day) -%}
{{ kept_in_state("{{ on_affected_days('" ~ day ~ "') }}") }}
{%- endmacro %}

{#- Whether `day` is one of the days a build stages again (int_lake_days_affected). A model that
    calls it only on incremental builds names the model in a `-- depends_on:` comment. -#}
{% macro on_affected_days(day) %}{{ day }} in (select day from {{ ref('int_lake_days_affected') }}){% endmacro %}

{#- The rows of `model` (`columns`: expressions on it) where `condition` holds, on the days a build
    stages again and with no `day` (an expression on it): two plain filters, so that a model read
    from the lake's day partitions reads only those days' parts. For tests of the lake's records,
    each staged in the build that first reads its input. -#}
{% macro rows_on_affected_days(model, columns, day, condition='true') %}
    select {{ columns | join(', ') }}
    from {{ model }}
    where {{ on_affected_days('cast(' ~ day ~ ' as date)') }} and {{ condition }}
    union all
    select {{ columns | join(', ') }}
    from {{ model }}
    where {{ day }} is null and {{ condition }}
{% endmacro %}

{#- The distinct `key` values another model of the build state kept at the last build on the days
    this build stages again (`day`: its date or timestamp column), where `condition` holds (on
    `kept.`): read before that model deletes those rows. None on a first build, a full refresh and
    Spark. The model read names its caller in a `-- depends_on:` comment, so that it runs after. -#}
{% macro kept_on_affected_days(model_name, key, day, condition='true') %}
    select distinct kept.{{ key }}
    from (
        select
            {{ key }},
            {{ day }}
        from {{ kept_rows(model_name, [key, day]) }}
    ) as kept
    where {{ condition }} and {{ on_affected_days('cast(kept.' ~ day ~ ' as date)') }}
{% endmacro %}

{#- The complete tweet records of the lake: the records of completely ingested inputs that have
    an id and a time, every column of base_lake__tweets, and their UTC day. -#}
{% macro complete_tweet_records() %}
    select
        tweets.*,
        cast(tweets.created_at as date) as day
    from {{ ref('base_lake__tweets') }} as tweets
    semi join {{ ref('base_lake__ingest_files') }} as complete_files
        on tweets.file_sha256 = complete_files.sha256
    where tweets.tweet_id is not null and tweets.created_at is not null
{% endmacro %}

{#- The same records' ids, inputs and days only, read from the lake's day partitions
    (base_lake__tweet_days): a join on `day` reads only those days' parts. A model that calls it
    only on incremental builds names base_lake__tweet_days in a `-- depends_on:` comment. -#}
{% macro complete_record_days() %}
    select
        records.tweet_id,
        records.file_sha256,
        records.day
    from {{ ref('base_lake__tweet_days') }} as records
    semi join {{ ref('base_lake__ingest_files') }} as complete_files
        on records.file_sha256 = complete_files.sha256
    where records.tweet_id is not null
{% endmacro %}

{#- The `delete` notices of the lake naming a tweet: the tweet and the input that holds the notice. -#}
{% macro delete_notices() %}
    select
        tweet_id,
        file_sha256
    from {{ ref('base_lake__notices') }}
    where kind = 'delete' and tweet_id is not null
{% endmacro %}

{#- The accounts whose tweets an incremental build can change: the authors of the rows staged on
    the days it stages again, at the last build (int_lake_accounts_affected) and now. -#}
{% macro affected_accounts() %}
    select user_id from {{ ref('int_lake_accounts_affected') }}
    union
    select user_id
    from {{ ref('int_tweets_deduplicated') }}
    where user_id is not null and {{ on_affected_days('day') }}
{% endmacro %}

{#- The accounts an incremental build works out again when the campaign messages whose exact
    messages the CTE `exact` lists (see exact_messages) changed: the accounts with a tweet on a
    day it stages again, at the last build or now, and every poster of those messages. -#}
{% macro accounts_of_changes(exact) %}
    {{ affected_accounts() }}
    union
    select tweets.user_id
    from {{ ref('int_tweets_normalised') }} as tweets
    semi join {{ exact }} on tweets.message_key = {{ exact }}.message_key
    where tweets.user_id is not null
{% endmacro %}
