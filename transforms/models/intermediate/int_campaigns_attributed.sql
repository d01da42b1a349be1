-- The party behind each campaign: every member tweet votes for the parties whose reference
-- signals it carries, weighted by signal type (author listed in the reference > app > hashtag,
-- domain, retweeted account > mention, so an attack message that mentions a rival still goes to
-- the party that ran it), and for the party its author leans to across all its posts
-- (int_account_leans, weight_lean x the lean's confidence; leans of min_lean_tweets signal tweets
-- or more, in campaigns of min_accounts accounts or more whose posts lean that way for the most
-- part). The party with the highest mean vote
-- wins if it reaches min_party_score; a tie leaves the party NULL.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

leans as (
    select * from {{ ref('int_account_leans') }}
    where n_signal_tweets >= {{ var('min_lean_tweets') }}
),

lean_votes as (
    select
        members.campaign_id,
        members.tweet_id,
        leans.party,
        {{ var('weight_lean') }} * leans.lean_confidence as weight
    from {{ ref('int_messages_grouped_to_campaigns') }} as members
    inner join leans using (user_id)
),

crowd_leans as (
    -- a crowd's lean needs a crowd (min_accounts accounts: one account's drip gets a party from
    -- its own posts' signals) whose posts lean that way for the most part
    select
        lean_votes.campaign_id,
        lean_votes.party
    from lean_votes
    inner join (  -- noqa: ST05
        select
            campaign_id,
            count(*) as n_tweets,
            count(distinct user_id) as n_accounts
        from {{ ref('int_messages_grouped_to_campaigns') }}
        group by campaign_id
    ) as sizes using (campaign_id)
    where sizes.n_accounts >= {{ var('min_accounts') }}
    group by lean_votes.campaign_id, lean_votes.party
    having count(*) >= 0.5 * any_value(sizes.n_tweets)
),

signals as (
    select
        tweet_id,
        party,
        signal_type,
        weight
    from {{ ref('int_tweet_party_signals') }}
    union all
    select
        lean_votes.tweet_id,
        lean_votes.party,
        'account_lean' as signal_type,
        lean_votes.weight
    from lean_votes
    -- a crowd's lean: the posts of accounts leaning to the party are half the campaign's or more
    semi join crowd_leans using (campaign_id, party)
),

campaign_sizes as (
    select
        campaign_id,
        count(*) as n_tweets
    from members group by campaign_id
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
        row_number() over (partition by campaign_id order by score desc, party asc) as party_rank,
        lead(score) over (partition by campaign_id order by score desc, party asc) as runner_up_score,
        sum(score) over (partition by campaign_id) as total_score
    from votes
),

final as (
    select
        campaign_sizes.campaign_id,
        case
            when
                ranked.score >= {{ var('min_party_score') }}
                and ranked.score > coalesce(ranked.runner_up_score, 0)
                then ranked.party
        end as party,
        case
            when
                ranked.score >= {{ var('min_party_score') }}
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
