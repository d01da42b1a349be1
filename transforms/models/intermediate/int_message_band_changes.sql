-- What a build changes in the LSH buckets: the band keys (see the band_keys macro) of the texts
-- the lake now holds that the last build's buckets did not (added), and those of the texts they
-- held that the lake no longer holds (removed: their tweets deleted, or their files removed).
-- Only the buckets named here can have other members or another representative than at the
-- last build (int_message_bucket_changes: which of them give other links).
-- The last build's buckets are int_message_band_members (kept in the build state). With none (a
-- first build, a full refresh, Spark) this is empty: int_message_band_members then makes every
-- text's keys itself and the links are made whole.

with current_texts as {{ materialized() }} (
    select message_key from ({{ current_signatures() }}) as current_signatures
),

kept as (
    select
        message_key,
        {{ bucket_columns() | join(', ') }}
    from {{ kept_rows('int_message_band_members', ['message_key'] + bucket_columns()) }}
),

-- every text has a key in band 0
kept_texts as {{ materialized() }} (
    select message_key from kept where band = 0
),

added_texts as (
    select
        signatures.message_key,
        signatures.signature
    from {{ ref('int_message_signatures') }} as signatures
    semi join current_texts using (message_key)
    anti join kept_texts using (message_key)
),

removed_texts as (
    select message_key
    from kept_texts
    anti join current_texts using (message_key)
),

final as (
    select
        added.*,
        true as is_added
    from ({{ band_keys('added_texts') }}) as added
    union all
    select
        kept.*,
        false as is_added
    from kept
    semi join removed_texts using (message_key)
)

select * from final
{% if kept_relation('int_message_band_members') is none %}where false{% endif %}
