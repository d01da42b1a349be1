{#- The lake as Spark sees it. DuckDB reads the sources in place (their external_location); Spark
    reads them through views of a `lake` schema, made again at the start of every run from the
    paths chorus.build passes (Hadoop glob characters and backticks already escaped). -#}
{% macro register_lake() %}
{{ return(adapter.dispatch('register_lake', 'chorus')()) }}
{% endmacro %}

{% macro default__register_lake() %}select 1{% endmacro %}

{% macro spark__register_lake() %}
{%- if execute -%}
{%- set lake = env_var('CHORUS_SPARK_LAKE') -%}
{%- set views = {
    'tweets': 'parquet.`' ~ env_var('CHORUS_SPARK_TWEETS') ~ '`',
    'ingest_files': 'parquet.`' ~ lake ~ '/_audit/files/*.parquet`',
    'rejects': 'parquet.`' ~ lake ~ '/_audit/rejects/*.parquet`',
    'notices': 'parquet.`' ~ lake ~ '/_audit/notices/*.parquet`',
    'party_reference': 'json.`' ~ env_var('CHORUS_SPARK_PARTIES') ~ '`',
} -%}
{% do run_query('create schema if not exists lake') %}
{% for name, relation in views.items() %}
{% do run_query('create or replace view lake.' ~ name ~ ' as select * from ' ~ relation) %}
{% endfor %}
{%- endif -%}
select 1
{% endmacro %}

{#- The party reference applied to this build (see stg_reference__parties): DuckDB reads the
    checked CSV; Spark the same rows as JSON lines beside it (Spark's CSV reader escapes quotes
    differently). -#}
{% macro party_reference_rows() %}
{{ return(adapter.dispatch('party_reference_rows', 'chorus')()) }}
{% endmacro %}

{% macro default__party_reference_rows() -%}
select * from read_csv(
    {{ sql_literal(var('parties_csv')) }},
    header = true,
    all_varchar = true,
    columns = {'party': 'varchar', 'signal_type': 'varchar', 'value': 'varchar'}
)
{%- endmacro %}

{% macro spark__party_reference_rows() -%}
select party, signal_type, value from lake.party_reference
{%- endmacro %}
