-- The party each account leans to, from all its posts in the archive: the reference signals they
-- carry (its own listing as the party's account, hashtags, link domains, apps, whom it retweets;
-- mentions aside: attacks mention rivals), summed by party. An operation's persona rarely names a
-- party in a headline; its lean is in everything else it posts. One row per account whose top
-- party holds at least min_lean_confidence of its signals.
-- Kept in the build state on DuckDB, as int_accounts: a build works out again the accounts whose
-- tweets it can change (the affected_accounts macro) from all their tweets; a table on Spark.
-- (The party reference is part of the build's fingerprint: another one rebuilds it whole.)

-- depends_on: {{ ref('int_lake_accounts_affected') }}, {{ ref('int_lake_days_affected') }}
{{ kept_in_state("user_id in ({{ affected_accounts() }})") }}

with signals as (
    select * from {{ ref('int_tweet_party_signals') }}
    where signal_type <> 'mention'
),

tweets as (
    select
        tweet_id,
        user_id
    from {{ ref('int_tweets_deduplicated') }}
    where user_id is not null
    {% if is_incremental() %}
    and user_id in ({{ affected_accounts() }})
    {% endif %}
),

votes as (
    select
        tweets.user_id,
        signals.party,
        sum(signals.weight) as weight,
        count(distinct signals.tweet_id) as n_tweets
    from signals
    inner join tweets using (tweet_id)
    group by tweets.user_id, signals.party
),

ranked as (
    select
        *,
        row_number() over (partition by user_id order by weight desc, party asc) as party_rank,
        sum(weight) over (partition by user_id) as total_weight
    from votes
),

final as (
    select
        user_id,
        party,
        floor((weight / total_weight) * 1e4 + 0.5) / 1e4 as lean_confidence,
        n_tweets as n_signal_tweets
    from ranked
    where party_rank = 1 and weight / total_weight >= {{ var('min_lean_confidence') }}
)

select * from final
