-- Per UTC day and party: the party's visible volume and how much of it automated campaigns made.
-- The report's timeline is drawn from this table, and party_weekly's volume from its days.
-- A tweet belongs to a party's visible volume when it carries one of the party's reference
-- signals or sits in a campaign attributed to the party; tweets of campaigns attributed to no
-- party count for party NULL. A tweet may count for several parties; it is automated only for
-- the party (or NULL) of the automated campaign it belongs to.

with tweets as (
    select
        tweet_id,
        created_at
    from {{ ref('int_tweets_deduplicated') }}
),

signals as (
    select distinct
        tweet_id,
        party
    from {{ ref('int_tweet_party_signals') }}
),

-- a tweet is in at most one campaign
members as (
    select
        members.tweet_id,
        attributed.party,
        scored.is_automated
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    inner join {{ ref('int_campaigns_scored') }} as scored using (campaign_id)
    inner join {{ ref('int_campaigns_attributed') }} as attributed using (campaign_id)
),

-- each tweet once per party it counts for
tweet_parties as (
    select
        tweet_id,
        party
    from signals
    union
    select
        tweet_id,
        party
    from members
),

tweets_with_party as (
    select
        tweets.created_at,
        tweet_parties.party,
        coalesce(members.is_automated, false) as is_automated
    from tweet_parties
    inner join tweets using (tweet_id)
    left join members
        on
            tweet_parties.tweet_id = members.tweet_id
            and tweet_parties.party is not distinct from members.party
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
