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

-- Cost follows the evidence, not the square of an account's campaigns: an operation's busiest
-- persona is in thousands of campaigns a month, and pairing them all is a hundred million rows
-- (issue 28). Campaigns and messages are numbered; each account's campaigns are put in time order
-- and each is paired with at most coactivity_max_neighbours of the next ones within the window
-- (a step join: exactly that many probes per membership, never an account's full square). An
-- account in more campaigns a month than that counts towards the nearer ones only: n_shared is
-- exact in every archive where no account is that busy, and beyond it the evidence has long
-- saturated (coactivity reaches 1 at about 15 x coactivity_scale full-weight messages). The
-- repeat copiers' counts are one window over each account's campaigns, exact at any density.
-- The campaign pairs are counted in coactivity_chunks slices: in a dense release of 1M tweets
-- (650 accounts, ~92 million probes) one aggregation of them all ran out of DuckDB's 2 GB.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

campaigns as {{ materialized() }} (
    select
        campaign_id,
        message_key,
        is_retweet_campaign,
        n_accounts,
        first_seen,
        row_number() over (order by campaign_id) as campaign_no,
        dense_rank() over (order by message_key) as message_no
    from (
        select
            campaign_id,
            any_value(message_key) as message_key,
            bool_or(is_retweet) as is_retweet_campaign,
            count(distinct user_id) as n_accounts,
            min(created_at) as first_seen
        from members
        group by campaign_id
        having count(distinct user_id) >= {{ var('min_accounts') }}
    ) as sized
),

incidence as {{ materialized() }} (
    -- one row per (account, campaign) in the account's time order; text_message_no is set for
    -- copy-pasted texts only (retweets and short comments on a link are what people do together)
    select
        memberships.user_id,
        campaigns.campaign_no,
        campaigns.message_no,
        case
            when not campaigns.is_retweet_campaign and campaigns.message_key like 'tx:%'
                then campaigns.message_no
        end as text_message_no,
        {{ epoch_seconds('campaigns.first_seen') }} as first_seen_s,
        row_number() over (
            partition by memberships.user_id order by campaigns.first_seen, campaigns.campaign_no
        ) as seq,
        count(*) over (partition by memberships.user_id) as n_memberships
    from (select distinct
        campaign_id,
        user_id
    from members) as memberships
    inner join campaigns using (campaign_id)
),

copies_around as (
    -- distinct copy-pasted texts each account pushed with others within the window around each
    -- of its campaigns, its own message aside
    select
        campaign_no,
        user_id,
        {{ count_distinct_over('text_message_no', 'user_id', 'first_seen_s', var('coactivity_window_days') * 86400) }}
        - case when text_message_no is null then 0 else 1 end as n_other_copies
    from incidence
),

repeat_copiers as (
    select
        campaign_no,
        floor((avg(
            case when n_other_copies >= {{ var('repeat_copy_messages') }} then 1 else 0 end
        )) * 1e6 + 0.5) / 1e6 as repeat_copier_share
    from copies_around
    group by campaign_no
),

active as (
    select count(distinct user_id) as n_active_accounts from incidence
),

probes as (
    -- the next campaigns of the same account, coactivity_max_neighbours at most
    select
        user_id,
        campaign_no,
        first_seen_s,
        seq + step as next_seq
    from (
        select
            user_id,
            campaign_no,
            first_seen_s,
            seq,
            {{ unnest(series(1, 'least(' ~ var('coactivity_max_neighbours') ~ ', n_memberships - seq)')) }} as step
        from incidence
        where seq < n_memberships
    ) as stepped
),

shared_once as (
    -- each pair of campaigns within the window once (the earlier one first), with the accounts
    -- they share; counted in coactivity_chunks slices of the earlier campaign's number, one after
    -- the other, so that one slice's pairs are in memory at a time (a pair falls in one slice
    -- only: the same counts as one aggregation). sqlfluff maps a loop's lines to one source line:
    -- noqa: disable=LT02
    {%- for chunk in range(var('coactivity_chunks')) %}
    select
        probes.campaign_no as campaign_a,
        other.campaign_no as campaign_b,
        count(*) as n_shared
    from probes
    inner join incidence as other
        on probes.user_id = other.user_id and probes.next_seq = other.seq
    where
        probes.campaign_no % {{ var('coactivity_chunks') }} = {{ chunk }}
        and other.first_seen_s - probes.first_seen_s <= {{ var('coactivity_window_days') * 86400 }}
    group by probes.campaign_no, other.campaign_no
    having count(*) >= {{ var('coactivity_min_shared') }}
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
    -- noqa: enable=LT02
),

shared as (
    select
        campaign_a as campaign_no,
        campaign_b as other_campaign_no,
        n_shared
    from shared_once
    union all
    select
        campaign_b,
        campaign_a,
        n_shared
    from shared_once
),

weighted as (
    select
        shared.campaign_no,
        other.message_no as other_message_no,
        max(shared.n_shared / own.n_accounts) as shared_share,
        max(least(1.0, greatest(
            0.0,
            (
                beyond_chance.excess_share
                - case
                    when own.is_retweet_campaign
                        then {{ var('coactivity_floor_retweet') }}
                    else {{ var('coactivity_floor_text') }}
                end
            )
            / {{ var('coactivity_span') }}
        ))) as weight
    from shared
    inner join campaigns as own on shared.campaign_no = own.campaign_no
    inner join campaigns as other on shared.other_campaign_no = other.campaign_no
    cross join active
    cross join
        lateral (  -- noqa: ST05
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
    where other.message_no <> own.message_no
    group by shared.campaign_no, other.message_no
),

summed as (
    -- rounded: a parallel sum adds in any order, and the last bits must not change a verdict
    select
        campaigns.campaign_no,
        floor((coalesce(sum(weighted.weight), 0)) * 1e6 + 0.5) / 1e6 as co_messages,
        count(weighted.other_message_no) filter (where weighted.weight > 0) as n_co_messages,
        coalesce(max(weighted.shared_share), 0) as max_shared_share
    from campaigns
    left join weighted using (campaign_no)
    group by campaigns.campaign_no
),

final as (
    select
        campaigns.campaign_id,
        summed.co_messages,
        summed.n_co_messages,
        summed.max_shared_share,
        floor((1 - exp(-summed.co_messages / {{ var('coactivity_scale') }})) * 1e6 + 0.5) / 1e6 as coactivity,
        coalesce(repeat_copiers.repeat_copier_share, 0) as repeat_copier_share
    from summed
    inner join campaigns using (campaign_no)
    left join repeat_copiers using (campaign_no)
)

select * from final
