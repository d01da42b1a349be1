-- Scores and shares lie in [0, 1], and every campaign is well formed: scored, with accounts, no
-- more accounts than tweets, and a last post no earlier than its first.

with campaigns as (
    select * from {{ ref('campaigns') }}
),

party_weekly as (
    select * from {{ ref('party_weekly') }}
),

bad_campaigns as (
    select
        'campaigns' as model,
        campaign_id as row_key
    from campaigns
    where
        amplification_score is null
        or amplification_score not between 0 and 1
        or party_confidence not between 0 and 1
        or n_accounts < 1
        or n_tweets < n_accounts
        or last_seen < first_seen
        or is_automated is null
        or reasons is null
),

bad_weeks as (
    select
        'party_weekly' as model,
        cast(week_start as string) as row_key
    from party_weekly
    where automated_share not between 0 and 1
),

final as (
    select * from bad_campaigns
    union all
    select * from bad_weeks
)

select * from final
