-- The LSH buckets of more than near_dup_max_bucket texts (texts made of the commonest words, or
-- very short ones): they give no links, and a build that adds a text to one need not group its
-- members again (in the bench's archives a week's texts touch buckets of 100k-240k members, 92M
-- of 101M band rows). One row per such bucket with its size. Kept in the build state per
-- bucket: an incremental build replaces the rows of the buckets whose members changed with what
-- int_message_bucket_changes worked out. A full build, and Spark, count every bucket.

{% set bucket = bucket_columns() | join(', ') %}
{{ kept_in_state("(" ~ bucket ~ ") in (select " ~ bucket ~ " from {{ ref('int_message_bucket_changes') }})") }}

-- depends_on: {{ ref('int_message_bucket_changes') }}

{% if is_incremental() %}
    select
        {{ bucket }},
        n_members
    from {{ ref('int_message_bucket_changes') }}
    where n_members > {{ var('near_dup_max_bucket') }}
{% else %}
    select
        {{ bucket }},
        count(*) as n_members
    from {{ ref('int_message_band_members') }}
    group by {{ bucket }}
    having count(*) > {{ var('near_dup_max_bucket') }}
{% endif %}
