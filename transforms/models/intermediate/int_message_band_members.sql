-- The LSH band keys of every text the lake holds (see the band_keys macro), kept in the build
-- state: an incremental build deletes the removed texts' keys and adds the new texts'
-- (int_message_band_changes), so that only the buckets they touch are grouped again
-- (int_message_candidate_links). A full build, and Spark, key every text.

{{ kept_in_state("message_key in (select message_key from {{ ref('int_message_band_changes') }} where not is_added)") }}

-- depends_on: {{ ref('int_message_band_changes') }}

{% if is_incremental() %}
    select
        message_key,
        {{ bucket_columns() | join(', ') }}
    from {{ ref('int_message_band_changes') }}
    where is_added
{% else %}
    {{ band_keys('(' ~ current_signatures() ~ ')') }}
{% endif %}
