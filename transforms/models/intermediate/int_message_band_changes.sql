-- What a build changes in the LSH buckets: the band keys of the texts the lake now holds that the
-- last build's buckets did not (added), and those of the texts it held that the lake no longer
-- holds (removed: their tweets deleted, or their files removed). A band key is a text's band
-- number and the near_dup_rows signature values of that band; a bucket is the texts that share
-- one. Only the buckets named here can have other members or another representative than at the
-- last build (int_message_bucket_changes: which of them give other links).
-- The last build's buckets are int_message_band_members (kept in the build state); with none (a
-- first build, a full refresh, Spark) every text is added.

{% set rows = var('near_dup_rows') %}
{% set value_columns = [] %}
{% set band_values = [] %}
{% for row in range(rows) %}
    {% do value_columns.append('value_' ~ row) %}
    {% set position = 'bands.band * ' ~ rows ~ ' + ' ~ (row + 1) %}
    {% do band_values.append(list_at('added_texts.signature', position) ~ ' as value_' ~ row) %}
{% endfor %}

with current_messages as (
    select distinct message_key
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%'
),

-- the texts the lake holds that have a signature (keys only: the signatures are read for the added)
current_texts as {{ materialized() }} (
    select message_key
    from {{ ref('int_message_signatures') }}
    semi join current_messages using (message_key)
),

kept as (
    select
        message_key,
        band,
        {{ value_columns | join(', ') }}
    from {{ kept_rows('int_message_band_members', ['message_key', 'band'] + value_columns) }}
),

-- every text has a key in band 0
kept_texts as {{ materialized() }} (
    select message_key from kept where band = 0
),

added_keys as (
    select message_key
    from current_texts
    anti join kept_texts using (message_key)
),

added_texts as (
    select
        signatures.message_key,
        signatures.signature
    from {{ ref('int_message_signatures') }} as signatures
    semi join added_keys using (message_key)
),

removed_texts as (
    select message_key
    from kept_texts
    anti join current_texts using (message_key)
),

bands as (
    select {{ unnest(series(0, var('near_dup_bands') - 1)) }} as band
),

final as (
    select
        added_texts.message_key,
        bands.band,
        {{ band_values | join(',\n        ') }},
        true as is_added
    from added_texts
    cross join bands
    union all
    select
        kept.message_key,
        kept.band,
        {{ value_columns | join(', ') }},
        false as is_added
    from kept
    semi join removed_texts using (message_key)
)

select * from final
