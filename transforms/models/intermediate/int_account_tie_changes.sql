-- The account pairs whose tie a build may change, which int_account_ties makes again: the pairs
-- whose consistency row is made again (int_account_pair_consistency_changes: those whose
-- account_pairs rows change, so whose tied campaigns a recurring tie counts, among them) and the
-- pairs of accounts that were or are co-members of a campaign whose automated members changed
-- (int_account_automation_changes: a co-campaign tie counts those campaigns).
-- Every other pair's campaigns in both counts are those of the last build: its tie is kept.
-- Empty on a first build, a full refresh and Spark (the ties are then made whole).

with co_members as (
    select distinct
        a.user_id as account_a,
        b.user_id as account_b
    from {{ ref('int_account_automation_changes') }} as a
    inner join {{ ref('int_account_automation_changes') }} as b
        on a.campaign_id = b.campaign_id and a.user_id < b.user_id
),

final as (
    select
        account_a,
        account_b
    from {{ ref('int_account_pair_consistency_changes') }}
    union
    select
        co_members.account_a,
        co_members.account_b
    from co_members
)

select * from final
