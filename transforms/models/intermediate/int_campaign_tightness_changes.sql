-- The campaigns whose tight accounts a build may change, which int_campaign_tight_accounts makes
-- again: those whose co-events changed (int_account_pairing_changes), those whose accounts
-- changed (int_campaign_member_changes: their size), and those where two accounts whose pair
-- became consistent, or no longer is, are tied (int_account_pair_consistency against what
-- int_account_pair_consistency_changes read of the last build). Every other campaign's co-events,
-- size and consistent pairs are those of the last build. Empty on a first build, a full refresh
-- and Spark.

with flipped as (
    select
        changes.account_a,
        changes.account_b
    from {{ ref('int_account_pair_consistency_changes') }} as changes
    left join {{ ref('int_account_pair_consistency') }} as now
        on changes.account_a = now.account_a and changes.account_b = now.account_b
    where coalesce(changes.was_consistent, false) != coalesce(now.is_consistent, false)
),

final as (
    select campaign_id from {{ ref('int_account_pairing_changes') }}
    union
    select campaign_id from {{ ref('int_campaign_member_changes') }}
    union
    select co_events.campaign_id
    from {{ ref('int_account_co_events') }} as co_events
    semi join flipped
        on co_events.account_a = flipped.account_a and co_events.account_b = flipped.account_b
)

select * from final
