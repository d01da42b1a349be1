-- The texts (message keys 'tx:') the last build's int_tweets_normalised held on the days this
-- build stages again, read before int_tweets_normalised deletes those rows. With the texts those
-- days hold now, they are every text whose presence in the lake a build can change: the only
-- texts int_message_band_changes compares (a text on no affected day is in the lake now exactly
-- when it was at the last build). Empty on a first build, a full refresh and Spark (everything is
-- then made whole).

with kept as (
    select
        message_key,
        created_at
    from {{ kept_rows('int_tweets_normalised', ['message_key', 'created_at']) }}
),

final as (
    select distinct kept.message_key
    from kept
    where kept.message_key like 'tx:%' and {{ on_affected_days('cast(kept.created_at as date)') }}
)

select * from final
