-- Accounts that keep acting within the coordination window with the same partners. One crowd
-- acting at once proves nothing (a goal, a punchline, a leader's post retweeted by fans); a pair
-- of accounts that posted within coordination_window_seconds of each other in most of the
-- campaigns both joined, group_min_campaigns times or more, is a team's habit: an operation's
-- retweet team firing in one minute, day after day. Fans each keep their own delay, so two fans
-- fall within a minute of each other now and then, not in most of their shared campaigns.
--
-- consistent pair: tied in n_tied >= group_min_campaigns campaigns, and n_tied >=
--                  tie_consistency x the campaigns both accounts joined (int_account_pair_consistency);
-- tight account:   in a campaign, tied to consistent partners making at least tie_consistency of
--                  the campaign's other accounts (in a crowd of hundreds, chance alone gives
--                  every account a consistent partner or two; a team is tied to nearly all);
-- One row per (campaign, tight account); int_campaign_ties gives each campaign its tight_share.
-- Kept in the build state: an incremental build makes again only the campaigns whose co-events,
-- accounts or consistent pairs changed (int_campaign_tightness_changes); on Spark a table made
-- whole.

-- depends_on: {{ ref('int_campaign_tightness_changes') }}
{{ kept_per_listed('int_campaign_tightness_changes', ['campaign_id']) }}

with
{% if is_incremental() %}
changed as {{ materialized() }} (
    select campaign_id from {{ ref('int_campaign_tightness_changes') }}
),
{% endif %}

members as (
    select
        campaign_id,
        user_id
    from {{ ref('int_campaign_members') }}
    {% if is_incremental() %}
    semi join changed using (campaign_id)
    {% endif %}
),

events as (
    select distinct
        account_a,
        account_b,
        campaign_id
    from {{ ref('int_account_co_events') }}
    {% if is_incremental() %}
    semi join changed using (campaign_id)
    {% endif %}
),

consistent as (
    select
        account_a,
        account_b
    from {{ ref('int_account_pair_consistency') }}
    where is_consistent
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
        count(*) as n_accounts
    from members
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
