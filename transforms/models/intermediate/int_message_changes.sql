-- The campaign messages (a near-duplicate cluster's key, or a message's own key) whose tweets a
-- build changed: those with a tweet on a day it stages again, now or at the last build (a tweet
-- added, deleted or staged from another record; the last build's under the clusters of then),
-- and those a text joined or left (both the cluster it left and the one it joined). Every other
-- message holds the same tweets as at the last build. Read by the copy personas (their posters'
-- counts) and the grouping (int_message_grouping_changes). Empty on a first build, a full refresh
-- and Spark (everything is then made whole).

-- depends_on: {{ ref('int_lake_days_affected') }}

{% set compared = kept_relation('int_messages_grouped_to_campaigns') is not none %}

with clusters_now as (
    select
        message_key,
        cluster_key
    from {{ ref('int_messages_near_duplicates') }}
),

clusters_before as (
    select
        message_key,
        cluster_key
    from {{ ref('int_message_clusters_before') }}
),

on_days_now as (
    select coalesce(clusters_now.cluster_key, tweets.message_key) as message_key
    from {{ ref('int_tweets_normalised') }} as tweets
    left join clusters_now on tweets.message_key = clusters_now.message_key
    where
        {{ compared }}
        and tweets.message_key is not null
        and {{ on_affected_days('cast(tweets.created_at as date)') }}
),

on_days_before as (
    select coalesce(clusters_before.cluster_key, affected.message_key) as message_key
    from {{ ref('int_lake_messages_affected') }} as affected
    left join clusters_before on affected.message_key = clusters_before.message_key
    where {{ compared }}
),

moved as (
    select
        coalesce(clusters_before.cluster_key, clusters_before.message_key, clusters_now.message_key) as left_key,
        coalesce(clusters_now.cluster_key, clusters_now.message_key, clusters_before.message_key) as joined_key
    from clusters_before
    full outer join clusters_now on clusters_before.message_key = clusters_now.message_key
    where
        {{ compared }}
        and clusters_before.cluster_key is distinct from clusters_now.cluster_key
),

final as (
    select message_key from on_days_now
    union
    select message_key from on_days_before
    union
    select left_key from moved
    union
    select joined_key from moved
)

select message_key from final
where message_key is not null
