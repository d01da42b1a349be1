with files as (
    select * from {{ ref('base_lake__ingest_files') }}
),

final as (
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
        ingested_at
    from files
)

select * from final
