-- The account pairs whose co-events a build removes: those that the last build's co-events of the
-- campaigns whose pairing changed (int_account_pairing_changes) tied. With the pairs the new
-- co-events of those campaigns tie (the changed_account_pairs macro), they are the pairs
-- account_pairs makes again. Read before int_account_co_events deletes them.

{% set columns = ['account_a', 'account_b', 'kind', 'campaign_id'] %}

with kept as (
    select {{ columns | join(', ') }}
    from {{ kept_rows('int_account_co_events', columns) }}
),

final as (
    select distinct
        kept.account_a,
        kept.account_b,
        kept.kind
    from kept
    where {{ on_pairing_changes('kept.campaign_id') }}
)

select * from final
