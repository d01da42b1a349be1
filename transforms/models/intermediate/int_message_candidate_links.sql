-- Near-duplicate candidates by locality-sensitive hashing: texts whose MinHash signatures agree
-- on a whole band share a bucket (int_message_band_members), and each member of a bucket is
-- paired with the bucket's first text (its representative), once per band they share. Buckets
-- larger than near_dup_max_bucket (texts made of the commonest words) are skipped.
-- Incremental on DuckDB: a build deletes the links of the texts removed and of the buckets
-- remade (int_message_bucket_changes: another representative, or links given or no longer),
-- then links every member of the buckets remade and the texts added to the others; every other
-- link has the same bucket members before it, so the same representative, as when it was made.
-- A table on Spark.

-- depends_on: {{ ref('int_message_band_changes') }}
-- depends_on: {{ ref('int_message_bucket_changes') }}

{% set bucket = bucket_columns() | join(', ') %}

{% set removed = "message_key in (select message_key from {{ ref('int_message_band_changes') }} where not is_added)" %}
{% set remade_buckets = "select " ~ bucket ~ " from {{ ref('int_message_bucket_changes') }} where is_remade" %}
{% set remade = "(" ~ bucket ~ ") in (" ~ remade_buckets ~ ")" %}
{{ kept_in_state(removed ~ " or " ~ remade) }}

-- the buckets whose links a build makes (every bucket giving links, on a full build)
with buckets as {{ materialized() }} (
    {% if is_incremental() %}
        select
            {{ bucket }},
            representative,
            is_remade
        from {{ ref('int_message_bucket_changes') }}
        where representative is not null
    {% else %}
        select
            {{ bucket }},
            min(message_key) as representative,
            true as is_remade
        from {{ ref('int_message_band_members') }}
        group by {{ bucket }}
        having count(*) between 2 and {{ var('near_dup_max_bucket') }}
    {% endif %}
),

-- every text in a bucket that is remade (every bucket giving links, on a full build) is linked,
-- and in a bucket that is not, each text added
texts as (
    select
        message_key,
        {{ bucket }},
        true as in_remade
    from {{ ref('int_message_band_members') }}
    {% if is_incremental() %}
        union all
        select
            message_key,
            {{ bucket }},
            false as in_remade
        from {{ ref('int_message_band_changes') }}
        where is_added
    {% endif %}
),

-- A pair sharing several bands is listed once per band (1-2% of the pairs): dropping the
-- repeats here would order millions of pairs, the similarity model drops them after measuring.
final as (
    select
        texts.message_key,
        {{ bucket }},
        buckets.representative
    from texts
    inner join buckets using ({{ bucket }})
    where texts.in_remade = buckets.is_remade and texts.message_key <> buckets.representative
)

select * from final
