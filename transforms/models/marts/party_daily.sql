-- Per UTC day and party: the party's visible volume and how much of it automated campaigns made.
-- The report's timeline is drawn from this table.

with tweets_with_party as (
    select * from {{ ref('int_tweets_with_party') }}
),

final as (
    select
        created_at::date as day,
        date_trunc('week', created_at)::date as week_start,
        party,
        count(*) as n_party_tweets,
        count(*) filter (where is_automated) as n_automated_tweets,
        count(*) filter (where not is_automated) as n_organic_tweets
    from tweets_with_party
    group by all
)

select * from final
