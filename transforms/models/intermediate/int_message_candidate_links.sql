-- Near-duplicate candidates by locality-sensitive hashing: texts whose MinHash signatures agree
-- on a whole band share a bucket, and each member of a bucket is paired with the bucket's first
-- text (its representative), once per band they share. Buckets larger than near_dup_max_bucket
-- (texts made of the commonest words) are skipped. Only texts still posted by a tweet in the lake
-- take part.
-- A bucket is a band's number and its near_dup_rows signature values.

{% set rows = var('near_dup_rows') %}
{% set value_columns = [] %}
{% set band_values = [] %}
{% for row in range(rows) %}
    {% do value_columns.append('value_' ~ row) %}
    {% set position = 'bands.band * ' ~ rows ~ ' + ' ~ (row + 1) %}
    {% do band_values.append(list_at('signatures.signature', position) ~ ' as value_' ~ row) %}
{% endfor %}

with current_messages as (
    select distinct message_key
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%'
),

signatures as {{ materialized() }} (
    select
        message_key,
        signature
    from {{ ref('int_message_signatures') }}
    semi join current_messages using (message_key)
),

bands as (
    select {{ unnest(series(0, var('near_dup_bands') - 1)) }} as band
),

band_keys as {{ materialized() }} (
    select
        signatures.message_key,
        bands.band,
        {{ band_values | join(',\n        ') }}
    from signatures
    cross join bands
),

buckets as {{ materialized() }} (
    select
        band,
        {{ value_columns | join(', ') }},
        min(message_key) as representative
    from band_keys
    group by band, {{ value_columns | join(', ') }}
    having count(*) between 2 and {{ var('near_dup_max_bucket') }}
),

-- A pair sharing several bands is listed once per band (1-2% of the pairs): dropping the
-- repeats here would order millions of pairs, the similarity model drops them after measuring.
final as (
    select
        band_keys.message_key,
        band_keys.band,
        buckets.representative
    from band_keys
    inner join buckets using (band, {{ value_columns | join(', ') }})
    where band_keys.message_key <> buckets.representative
)

select * from final
