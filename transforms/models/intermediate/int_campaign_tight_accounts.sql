-- Accounts that keep acting within the coordination window with the same partners. One crowd
-- acting at once proves nothing (a goal, a punchline, a leader's post retweeted by fans); a pair
-- of accounts that posted within coordination_window_seconds of each other in most of the
-- campaigns both joined, group_min_campaigns times or more, is a team's habit: an operation's
-- retweet team firing in one minute, day after day. Fans each keep their own delay, so two fans
-- fall within a minute of each other now and then, not in most of their shared campaigns.
--
-- consistent pair: tied in n_tied >= group_min_campaigns campaigns, and n_tied >=
--                  tie_consistency x the campaigns both accounts joined;
-- tight account:   in a campaign, tied to consistent partners making at least tie_consistency of
--                  the campaign's other accounts (in a crowd of hundreds, chance alone gives
--                  every account a consistent partner or two; a team is tied to nearly all);
-- One row per (campaign, tight account); int_campaign_ties gives each campaign its tight_share.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

events as (
    select distinct
        account_a,
        account_b,
        campaign_id
    from {{ ref('int_account_co_events') }}
),

pair_ties as (
    select
        account_a,
        account_b,
        count(*) as n_tied
    from events
    group by account_a, account_b
    having count(*) >= {{ var('group_min_campaigns') }}
),

incidence as (
    select distinct
        campaign_id,
        user_id
    from members
),

shared as (
    select
        pair_ties.account_a,
        pair_ties.account_b,
        any_value(pair_ties.n_tied) as n_tied,
        count(*) as n_shared
    from pair_ties
    inner join incidence as a on pair_ties.account_a = a.user_id
    inner join incidence as b on pair_ties.account_b = b.user_id and a.campaign_id = b.campaign_id
    group by pair_ties.account_a, pair_ties.account_b
),

consistent as (
    select
        account_a,
        account_b
    from shared
    where n_tied >= {{ var('tie_consistency') }} * n_shared
),

consistent_events as (
    select
        events.campaign_id,
        events.account_a,
        events.account_b
    from events
    semi join consistent using (account_a, account_b)
),

partners as (
    select
        campaign_id,
        account_a as user_id,
        count(*) as n_partners
    from (
        select
            campaign_id,
            account_a
        from consistent_events
        union all
        select
            campaign_id,
            account_b
        from consistent_events
    ) as sides
    group by campaign_id, account_a
),

sizes as (
    select
        campaign_id,
        count(distinct user_id) as n_accounts
    from incidence
    group by campaign_id
),

final as (
    select
        partners.campaign_id,
        partners.user_id
    from partners
    inner join sizes using (campaign_id)
    where partners.n_partners >= {{ var('tie_consistency') }} * (sizes.n_accounts - 1)
)

select * from final
