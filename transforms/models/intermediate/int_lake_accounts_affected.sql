-- The accounts whose tweets the last build staged on the days this build stages again (read
-- before int_tweets_deduplicated deletes those rows). With the authors of the rows staged on
-- those days now (the affected_accounts macro), they are every account whose tweets a build can
-- change: int_accounts makes them again and keeps the others. Empty on a first build, a full
-- refresh and Spark (everything is then made whole).

with final as (
    {{ kept_on_affected_days('int_tweets_deduplicated', 'user_id', 'day', 'kept.user_id is not null') }}
)

select * from final
