-- The texts (message keys 'tx:') the last build's int_tweets_normalised held on the days this
-- build stages again, read before int_tweets_normalised deletes those rows. With the texts those
-- days hold now, they are every text whose presence in the lake a build can change: the only
-- texts int_message_band_changes compares (a text on no affected day is in the lake now exactly
-- when it was at the last build). Empty on a first build, a full refresh and Spark (everything is
-- then made whole).

with final as (
    {{ kept_on_affected_days('int_tweets_normalised', 'message_key', 'created_at', "kept.message_key like 'tx:%'") }}
)

select * from final
