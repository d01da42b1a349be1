-- Every completely ingested input still has all its tweets in the lake. A tweet part deleted
-- since (a damaged lake) fails the build instead of publishing fewer tweets as if nothing
-- happened; `chorus lake repair` names the inputs, and ingesting them again restores them.

with files as (
    select
        sha256,
        path,
        tweets
    from {{ ref('ingest_files') }}
),

in_lake as (
    select
        file_sha256 as sha256,
        count(*) as n_rows
    from {{ source('lake', 'tweets') }}
    group by file_sha256
),

final as (
    select
        files.path,
        files.tweets as tweets_ingested,
        coalesce(in_lake.n_rows, 0) as tweets_in_lake
    from files
    left join in_lake using (sha256)
    where files.tweets <> coalesce(in_lake.n_rows, 0)
)

select * from final
