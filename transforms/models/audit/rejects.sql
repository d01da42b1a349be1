with rejects as (
    select * from {{ ref('base_lake__rejects') }}
),

final as (
    select
        path as file,
        file_sha256,
        line_no,
        reject_no,
        reason,
        left(raw, 4096) as raw
    from rejects
)

select * from final
