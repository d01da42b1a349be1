-- What a build changes in the LSH buckets: the band keys (see the band_keys macro) of the texts
-- the lake now holds that the last build's buckets did not (added), and those of the texts they
-- held that the lake no longer holds (removed: their tweets deleted, or their files removed).
-- Only the buckets named here can have other members or another representative than at the
-- last build (int_message_bucket_changes: which of them give other links).
-- The last build's buckets (int_message_band_members, kept in the build state) hold the keys of
-- every text the lake held then that has a signature. A text on no day this build stages again
-- is in the lake exactly as it was, so only the texts of the affected days are compared: those
-- the last build held there (the texts of int_lake_messages_affected) and those held there now. A text on one
-- side only is added or removed unless the lake holds it on another day (then it stays). The
-- removed texts' keys are made again from their signatures (a cached signature stays when its
-- tweets go), as the band members' were: the build never reads the whole of the kept keys.
-- With no kept keys (a first build, a full refresh, Spark) this is empty: int_message_band_members
-- then makes every text's keys itself and the links are made whole.

-- depends_on: {{ ref('int_lake_days_affected') }}

{% set compared = kept_relation('int_message_band_members') is not none %}

with before_on_days as (
    select message_key from {{ ref('int_lake_messages_affected') }}
    where {{ compared }} and message_key like 'tx:%'
),

now_on_days as {{ materialized() }} (
    select distinct message_key
    from {{ ref('int_tweets_normalised') }}
    where {{ compared }} and message_key like 'tx:%' and {{ on_affected_days('cast(created_at as date)') }}
),

one_side as {{ materialized() }} (
    select
        message_key,
        true as is_added
    from now_on_days
    anti join before_on_days using (message_key)
    union all
    select
        message_key,
        false as is_added
    from before_on_days
    anti join now_on_days using (message_key)
),

-- texts the lake holds on days no step changed: in the buckets before and after
elsewhere as (
    select distinct normalised.message_key
    from {{ ref('int_tweets_normalised') }} as normalised
    semi join one_side on normalised.message_key = one_side.message_key
    where not {{ on_affected_days('cast(normalised.created_at as date)') }}
),

changed as (
    select
        signatures.message_key,
        signatures.signature,
        one_side.is_added
    from {{ ref('int_message_signatures') }} as signatures
    inner join one_side on signatures.message_key = one_side.message_key
    anti join elsewhere on signatures.message_key = elsewhere.message_key
),

final as (
    {{ band_keys('changed', ['is_added']) }}
)

select * from final
