-- One row per completely ingested input: its row in the lake's audit marks the input complete.

with source as (
    select * from {{ source('lake', 'ingest_files') }}
),

renamed as (
    select
        path,
        sha256,
        format,
        bytes,
        lines,
        blanks,
        tweets,
        notices,
        rejects,
        skipped,
        note,
        parts,
        ingested_at
    from source
)

select * from renamed
