-- The account pairs whose consistency a build may change, which int_account_pair_consistency
-- makes again, with what the last build said of them (null: not tied often enough then): the
-- pairs whose account_pairs rows change (the changed_account_pairs macro: the campaigns they are
-- tied in) and the pairs tied often enough at the last build whose accounts were or are both in a
-- campaign whose accounts changed (int_campaign_member_changes: the campaigns they share). Every
-- other pair's two counts are those of the last build. Read before int_account_pair_consistency
-- deletes them. Empty on a first build, a full refresh and Spark.

with kept as (
    select
        account_a,
        account_b,
        is_consistent
    from {{ kept_rows('int_account_pair_consistency', ['account_a', 'account_b', 'is_consistent']) }}
),

member_changes as (
    select
        campaign_id,
        user_id
    from {{ ref('int_campaign_member_changes') }}
),

sharing as (
    select distinct
        kept.account_a,
        kept.account_b
    from kept
    inner join member_changes as a on kept.account_a = a.user_id
    inner join member_changes as b on a.campaign_id = b.campaign_id and kept.account_b = b.user_id
),

pairs as (
    select
        changed_pairs.account_a,
        changed_pairs.account_b
    from ({{ changed_account_pairs() }}) as changed_pairs
    union
    select
        sharing.account_a,
        sharing.account_b
    from sharing
),

final as (
    select
        pairs.account_a,
        pairs.account_b,
        cast(kept.is_consistent as boolean) as was_consistent
    from pairs
    left join kept on pairs.account_a = kept.account_a and pairs.account_b = kept.account_b
)

select * from final
