-- One row per completely ingested input, as the lake's audit records it (the list of its parts
-- stays in the lake: it names files, not data).

with files as (
    select * from {{ ref('base_lake__ingest_files') }}
),

final as (
    select * except (parts) from files
)

select * from final
