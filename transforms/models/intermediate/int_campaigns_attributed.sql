-- The party behind each campaign: every member tweet votes for the parties whose reference
-- signals it carries, weighted by signal type (author listed in the reference > app > hashtag,
-- domain, retweeted account > mention, so an attack message that mentions a rival still goes to
-- the party that ran it), and for the party its author leans to across all its posts
-- (int_account_leans, weight_lean x the lean's confidence; leans of min_lean_tweets signal tweets
-- or more, in campaigns of min_accounts accounts or more). The party with the highest mean vote
-- wins if it reaches min_party_score; a tie leaves the party NULL.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

leans as (
    select * from {{ ref('int_account_leans') }}
    where n_signal_tweets >= {{ var('min_lean_tweets') }}
),

crowds as (
    select campaign_id
    from {{ ref('int_messages_grouped_to_campaigns') }}
    group by campaign_id
    having count(distinct user_id) >= {{ var('min_accounts') }}
),

signals as (
    select tweet_id, party, signal_type, weight from {{ ref('int_tweet_party_signals') }}
    union all
    select members.tweet_id, leans.party, 'account_lean' as signal_type,
        {{ var('weight_lean') }} * leans.lean_confidence as weight
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    inner join leans using (user_id)
    -- a crowd's lean needs a crowd: one account's drip gets a party from its own posts' signals
    semi join crowds using (campaign_id)
),

campaign_sizes as (
    select campaign_id, count(*) as n_tweets from members group by campaign_id
),

votes as (
    select
        members.campaign_id,
        signals.party,
        sum(signals.weight) / any_value(campaign_sizes.n_tweets) as score,
        {{ sorted_set_agg('signals.signal_type') }} as signal_types
    from members
    inner join signals using (tweet_id)
    inner join campaign_sizes using (campaign_id)
    group by members.campaign_id, signals.party
),

ranked as (
    select
        *,
        row_number() over (partition by campaign_id order by score desc, party) as party_rank,
        lead(score) over (partition by campaign_id order by score desc, party) as runner_up_score,
        sum(score) over (partition by campaign_id) as total_score
    from votes
),

final as (
    select
        campaign_sizes.campaign_id,
        case
            when ranked.score >= {{ var('min_party_score') }}
                and ranked.score > coalesce(ranked.runner_up_score, 0)
                then ranked.party
        end as party,
        case
            when ranked.score >= {{ var('min_party_score') }}
                and ranked.score > coalesce(ranked.runner_up_score, 0)
                then floor((ranked.score / ranked.total_score) * 1e3 + 0.5) / 1e3
        end as party_confidence,
        ranked.party as leading_party,
        ranked.score as party_score,
        ranked.signal_types as party_signals,
        ranked.runner_up_score = ranked.score as party_tied
    from campaign_sizes
    left join ranked
        on campaign_sizes.campaign_id = ranked.campaign_id and ranked.party_rank = 1
)

select * from final
