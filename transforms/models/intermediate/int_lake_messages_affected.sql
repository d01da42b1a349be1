-- The messages (message keys of every kind) the last build's int_tweets_normalised held on the
-- days this build stages again, read before int_tweets_normalised deletes those rows. With the
-- messages those days hold now, they are every message whose tweets a build can change on those
-- days: the texts ('tx:') are the only ones int_message_band_changes compares (a text on no
-- affected day is in the lake now exactly when it was at the last build), and every kind is
-- grouped again into campaigns (int_message_grouping_changes). Empty on a first build, a full
-- refresh and Spark (everything is then made whole).

with final as (
    {{ kept_on_affected_days('int_tweets_normalised', 'message_key', 'created_at', 'kept.message_key is not null') }}
)

select * from final
