-- Near-duplicate candidates by locality-sensitive hashing: texts whose MinHash signatures agree
-- on a whole band share a bucket, and each member of a bucket is paired with the bucket's first
-- text (its representative). Buckets larger than near_dup_max_bucket (texts made of the
-- commonest words) are skipped. Only texts still posted by a tweet in the lake take part.

{% set rows = var('near_dup_rows') %}

with current_messages as (
    select distinct message_key
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%'
),

signatures as materialized (
    select message_key, signature
    from {{ ref('int_message_signatures') }}
    semi join current_messages using (message_key)
),

band_keys as materialized (
    select
        message_key,
        band,
        hash(band, signature[band * {{ rows }} + 1 : (band + 1) * {{ rows }}]) as bucket
    from signatures, range({{ var('near_dup_bands') }}) as bands(band)
),

buckets as materialized (
    select
        bucket,
        min(message_key) as representative
    from band_keys
    group by bucket
    having count(*) between 2 and {{ var('near_dup_max_bucket') }}
),

final as (
    select distinct
        band_keys.message_key,
        buckets.representative
    from band_keys
    inner join buckets using (bucket)
    where band_keys.message_key <> buckets.representative
)

select * from final
