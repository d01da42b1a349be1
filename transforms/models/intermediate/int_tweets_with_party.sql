-- Every tweet that belongs to a party's visible volume: it carries one of the party's reference
-- signals, or it sits in a campaign attributed to the party. Tweets of campaigns attributed to
-- no party appear with party NULL. A tweet may count for several parties; `is_automated` is
-- true only for the party (or NULL) of the automated campaign it belongs to.

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

members as (
    select
        members.tweet_id,
        attributed.party,
        members.campaign_id,
        scored.is_automated
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    inner join {{ ref('int_campaigns_scored') }} as scored using (campaign_id)
    inner join {{ ref('int_campaigns_attributed') }} as attributed using (campaign_id)
),

pairs as (
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

final as (
    select
        pairs.tweet_id,
        tweets.created_at,
        pairs.party,
        members.campaign_id,
        coalesce(members.is_automated, false) as is_automated
    from pairs
    inner join tweets using (tweet_id)
    left join members
        on
            pairs.tweet_id = members.tweet_id
            and pairs.party is not distinct from members.party
)

select * from final
