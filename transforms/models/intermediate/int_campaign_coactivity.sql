-- Repeated co-activity (Keller et al. 2020, Pacheco et al. 2021): do a campaign's accounts push
-- other, distinct messages together? Computed from the account-campaign incidence: for every
-- pair of campaigns within coactivity_window_days that share at least coactivity_min_shared
-- accounts, the share of this campaign's accounts that also pushed the other one.
--
-- Big crowds share accounts with everything by chance (a goal shouted by a fifth of the active
-- accounts holds a fifth of any other campaign's accounts), and a small campaign's share is noisy
-- (3 of 6 accounts is 50%), so what counts is the share beyond chance and beyond coactivity_z
-- standard deviations of it, from a floor to full at floor + coactivity_span.
-- The floor is lower for copy-pasted text (people rarely post the same words as the same group
-- again and again) than for retweets (fans of one leader do retweet together, each with their
-- own habit). Each other message counts once (its best-overlapping campaign); the evidence
-- saturates with the weighted count: 1 - exp(-count / coactivity_scale).
--
-- Beyond chance needs a population to draw from; an archive that holds only an operation's
-- accounts (an Information Operations release) has none: when most of its accounts push every
-- headline, any two headlines share most of them "by chance". So each campaign also gets
-- repeat_copier_share, the share of its accounts that copy-pasted at least repeat_copy_messages
-- other texts together with others (campaigns of min_accounts) within coactivity_window_days: a
-- habit of the account, counted without reference to the archive's population. People do post a
-- slogan, a chain message or a catchphrase with others now and then; an account doing it with
-- several different texts in a month is how an operation's accounts behave.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

campaigns as (
    select
        campaign_id,
        any_value(message_key) as message_key,
        bool_or(is_retweet) as is_retweet_campaign,
        count(distinct user_id) as n_accounts,
        min(created_at) as first_seen
    from members
    group by campaign_id
    having count(distinct user_id) >= {{ var('min_accounts') }}
),

incidence as {{ materialized() }} (
    select distinct members.campaign_id, members.user_id
    from members
    semi join campaigns using (campaign_id)
),

text_incidence as (
    -- copy-pasted texts only: retweets and short comments on a link are what people do together
    select incidence.campaign_id, incidence.user_id, campaigns.message_key, campaigns.first_seen
    from incidence
    inner join campaigns using (campaign_id)
    where not campaigns.is_retweet_campaign and campaigns.message_key like 'tx:%'
),

other_copies as (
    select
        own.campaign_id,
        own.user_id,
        count(distinct other.message_key) as n_other_copies
    from incidence as own
    inner join campaigns as own_campaign using (campaign_id)
    inner join text_incidence as other
        on own.user_id = other.user_id
        and other.message_key <> own_campaign.message_key
        and abs({{ epoch_seconds('other.first_seen') }} - {{ epoch_seconds('own_campaign.first_seen') }})
            <= {{ var('coactivity_window_days') * 86400 }}
    group by own.campaign_id, own.user_id
),

repeat_copiers as (
    select
        incidence.campaign_id,
        floor((avg(
            case when coalesce(other_copies.n_other_copies, 0) >= {{ var('repeat_copy_messages') }} then 1 else 0 end
        )) * 1e6 + 0.5) / 1e6 as repeat_copier_share
    from incidence
    left join other_copies using (campaign_id, user_id)
    group by incidence.campaign_id
),

active as (
    select count(distinct user_id) as n_active_accounts from incidence
),

dated_incidence as (
    select incidence.campaign_id, incidence.user_id, campaigns.first_seen
    from incidence
    inner join campaigns using (campaign_id)
),

shared as (
    -- only campaigns within the co-activity window of each other are compared: an account's
    -- campaigns are paired within the window, not over the whole archive
    select
        own.campaign_id,
        other.campaign_id as other_campaign_id,
        count(*) as n_shared
    from dated_incidence as own
    inner join dated_incidence as other
        on own.user_id = other.user_id
        and own.campaign_id <> other.campaign_id
        and abs({{ epoch_seconds('other.first_seen') }} - {{ epoch_seconds('own.first_seen') }})
            <= {{ var('coactivity_window_days') * 86400 }}
    group by own.campaign_id, other.campaign_id
    having count(*) >= {{ var('coactivity_min_shared') }}
),

weighted as (
    select
        shared.campaign_id,
        other.message_key as other_message_key,
        max(shared.n_shared / own.n_accounts) as shared_share,
        max(least(1.0, greatest(0.0,
            (beyond_chance.excess_share
                - case when own.is_retweet_campaign
                    then {{ var('coactivity_floor_retweet') }}
                    else {{ var('coactivity_floor_text') }} end)
            / {{ var('coactivity_span') }}
        ))) as weight
    from shared
    inner join campaigns as own on shared.campaign_id = own.campaign_id
    inner join campaigns as other on shared.other_campaign_id = other.campaign_id
    cross join active
    cross join lateral (
        -- the accounts shared beyond what chance gives (a binomial draw of this campaign's
        -- accounts at the other's share of all active accounts), and beyond coactivity_z of its
        -- noise, as a share of this campaign's accounts: a small campaign needs a large overlap
        select (
            shared.n_shared
            - own.n_accounts * (other.n_accounts / active.n_active_accounts)
            - {{ var('coactivity_z') }} * sqrt(
                own.n_accounts * (other.n_accounts / active.n_active_accounts)
                * (1 - other.n_accounts / active.n_active_accounts)
            )
        ) / own.n_accounts as excess_share
    ) as beyond_chance
    where other.message_key <> own.message_key
        and abs({{ epoch_seconds('other.first_seen') }} - {{ epoch_seconds('own.first_seen') }})
            <= {{ var('coactivity_window_days') * 86400 }}
    group by shared.campaign_id, other.message_key
),

summed as (
    -- rounded: a parallel sum adds in any order, and the last bits must not change a verdict
    select
        campaigns.campaign_id,
        floor((coalesce(sum(weighted.weight), 0)) * 1e6 + 0.5) / 1e6 as co_messages,
        count(weighted.other_message_key) filter (where weighted.weight > 0) as n_co_messages,
        coalesce(max(weighted.shared_share), 0) as max_shared_share
    from campaigns
    left join weighted using (campaign_id)
    group by campaigns.campaign_id
),

final as (
    select
        summed.*,
        floor((1 - exp(-summed.co_messages / {{ var('coactivity_scale') }})) * 1e6 + 0.5) / 1e6 as coactivity,
        coalesce(repeat_copiers.repeat_copier_share, 0) as repeat_copier_share
    from summed
    left join repeat_copiers using (campaign_id)
)

select * from final
