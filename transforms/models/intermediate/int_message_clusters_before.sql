-- The near-duplicate clusters of the last build (int_messages_near_duplicates as it was, read
-- before this build replaces it): with the clusters now, the texts whose campaign message a
-- build changed (int_message_grouping_changes). Empty on a first build, a full refresh and Spark.

with final as (
    select
        cast(message_key as string) as message_key,
        cast(cluster_key as string) as cluster_key
    from {{ kept_rows('int_messages_near_duplicates', ['message_key', 'cluster_key']) }}
)

select * from final
