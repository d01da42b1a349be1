-- Each input's reject count in audit.ingest_files equals its rows in audit.rejects.

with files as (
    select
        sha256,
        rejects
    from {{ ref('ingest_files') }}
),

rejects as (
    select
        file_sha256 as sha256,
        count(*) as n
    from {{ ref('rejects') }} group by 1
),

final as (
    select
        files.sha256,
        files.rejects,
        coalesce(rejects.n, 0) as reject_rows
    from files
    left join rejects using (sha256)
    where files.rejects <> coalesce(rejects.n, 0)
)

select * from final
