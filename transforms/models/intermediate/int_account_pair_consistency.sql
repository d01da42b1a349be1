-- The account pairs tied within the coordination window in at least group_min_campaigns campaigns
-- (n_tied: distinct campaigns, co-tweets and co-retweets alike), with the campaigns both accounts
-- joined (n_shared) and whether the pair is consistent: tied in at least tie_consistency of the
-- campaigns both joined, a team's habit (int_campaign_tight_accounts). Fans each keep their own
-- delay: two fans fall within a minute of each other now and then, not in most of their shared
-- campaigns. One row per pair, account_a < account_b.
-- Kept in the build state: an incremental build makes again only the pairs whose tied or shared
-- campaigns may have changed (int_account_pair_consistency_changes); on Spark a table made whole.

-- depends_on: {{ ref('int_account_pair_consistency_changes') }}
{{ kept_per_listed('int_account_pair_consistency_changes', ['account_a', 'account_b']) }}

-- the campaigns of a pair's co-events (account_pairs' campaign_ids, both kinds), read from the
-- co-events themselves: the pairs' consistency need not wait for account_pairs and its key test
with tied as (
    select
        account_a,
        account_b,
        count(distinct campaign_id) as n_tied
    from {{ ref('int_account_co_events') }}
    {% if is_incremental() %}
    semi join {{ ref('int_account_pair_consistency_changes') }} as changed using (account_a, account_b)
    {% endif %}
    group by account_a, account_b
    having count(distinct campaign_id) >= {{ var('group_min_campaigns') }}
),

members as (
    select
        campaign_id,
        user_id
    from {{ ref('int_campaign_members') }}
),

shared as (
    select
        tied.account_a,
        tied.account_b,
        any_value(tied.n_tied) as n_tied,
        count(*) as n_shared
    from tied
    inner join members as a on tied.account_a = a.user_id
    inner join members as b on a.campaign_id = b.campaign_id and tied.account_b = b.user_id
    group by tied.account_a, tied.account_b
),

final as (
    select
        account_a,
        account_b,
        n_tied,
        n_shared,
        n_tied >= {{ var('tie_consistency') }} * n_shared as is_consistent
    from shared
)

select * from final
