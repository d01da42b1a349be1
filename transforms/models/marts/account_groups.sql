-- One row per group of accounts that act together (int_account_groups: components of the
-- recurring co-activity network): its size, what it pushed, how much of that was automated, the
-- party it leans to, when it was active, and a summary line an analyst can check.

with groups as (
    select * from {{ ref('int_account_groups') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

group_campaigns as (
    select * from {{ ref('int_group_campaigns') }}
),

with_campaign as (
    select
        group_campaigns.*,
        campaigns.is_automated,
        campaigns.verdict,
        campaigns.party,
        campaigns.canonical_text,
        campaigns.first_seen,
        campaigns.last_seen
    from group_campaigns
    inner join campaigns using (campaign_id)
),

parties as (
    select
        group_id,
        party,
        sum(n_posts) as n_posts,
        row_number() over (partition by group_id order by sum(n_posts) desc, party) as party_rank,
        sum(sum(n_posts)) over (partition by group_id) as n_attributed_posts
    from with_campaign
    where party is not null
    group by group_id, party
),

top_message as (
    select
        group_id,
        canonical_text,
        row_number() over (partition by group_id order by n_posts desc, campaign_id asc) as message_rank
    from with_campaign
),

sizes as (
    select
        group_id,
        count(*) as n_accounts
    from groups group by group_id
),

summary as (
    select
        group_id,
        count(*) as n_campaigns,
        count(*) filter (where is_automated) as n_automated_campaigns,
        count(*) filter (where verdict = 'coordinated') as n_coordinated_campaigns,
        count(*) filter (where verdict = 'overt') as n_overt_campaigns,
        sum(n_posts) as n_posts,
        sum(n_posts) filter (where is_automated) as n_automated_posts,
        min(first_seen) as first_seen,
        max(last_seen) as last_seen
    from with_campaign
    group by group_id
),

final as (
    select
        sizes.group_id,
        sizes.n_accounts,
        coalesce(summary.n_campaigns, 0) as n_campaigns,
        coalesce(summary.n_automated_campaigns, 0) as n_automated_campaigns,
        coalesce(summary.n_coordinated_campaigns, 0) as n_coordinated_campaigns,
        coalesce(summary.n_overt_campaigns, 0) as n_overt_campaigns,
        case
            when coalesce(summary.n_automated_posts, 0) >= 0.5 * summary.n_posts then 'automated'
            when
                summary.n_coordinated_campaigns > 0
                and summary.n_coordinated_campaigns >= summary.n_overt_campaigns then 'coordinated'
            when summary.n_overt_campaigns > 0 then 'overt'
            when summary.n_automated_campaigns > 0 then 'coordinated'
            else 'organic'
        end as verdict,
        coalesce(summary.n_posts, 0)::bigint as n_posts,
        floor(
            (coalesce(summary.n_automated_posts, 0) / nullif(summary.n_posts, 0)) * 1e4 + 0.5
        ) / 1e4 as automated_share,
        parties.party,
        floor((parties.n_posts / parties.n_attributed_posts) * 1e4 + 0.5) / 1e4 as party_confidence,
        summary.first_seen,
        summary.last_seen,
        top_message.canonical_text as top_message,
        case when summary.first_seen is not null then concat(
            sizes.n_accounts, ' accounts pushed ', coalesce(summary.n_campaigns, 0),
            ' message(s) together (', coalesce(summary.n_automated_campaigns, 0), ' automated, ',
            coalesce(summary.n_coordinated_campaigns, 0), ' coordinated, ',
            coalesce(summary.n_overt_campaigns, 0), ' overt) from ',
            {{ format_timestamp('summary.first_seen', 'day') }}, ' to ',
            {{ format_timestamp('summary.last_seen', 'day') }}
        ) end as summary
    from sizes
    left join summary using (group_id)
    left join parties on sizes.group_id = parties.group_id and parties.party_rank = 1
    left join top_message on sizes.group_id = top_message.group_id and top_message.message_rank = 1
)

select * from final
