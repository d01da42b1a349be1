-- The lake's tweet records' ids, inputs and UTC days, the day read from the partition a record
-- lies in (tweets/day=YYYY-MM-DD/, chorus/ingest/lake.py): a filter or a join on the day reads
-- only those days' parts, where base_lake__tweets reads every part. Spark, whose builds read every
-- day, takes the day of the time (the same day: ingest partitions by it).

with source as (
    {% if target.type == 'spark' -%}
        select
            tweet_id,
            file_sha256,
            line_no,
            cast(created_at as date) as day
        from {{ source('lake', 'tweets') }}
    {%- else -%}
        select
            tweet_id,
            file_sha256,
            line_no,
            -- a date already (hive partitions' values are typed): no cast to keep from pruning
            day
        from {{ source('lake', 'tweet_partitions') }}
    {%- endif %}
),

renamed as (
    select
        tweet_id,
        file_sha256,
        line_no,
        day
    from source
)

select * from renamed
