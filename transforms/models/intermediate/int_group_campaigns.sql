-- The campaigns each group of accounts pushed: those at least two of its accounts took part in,
-- with how many of its accounts and posts. marts.account_groups summarises them; the report's
-- group pages list them (reports.rpt_group_campaigns).

with groups as (
    select * from {{ ref('int_account_groups') }}
),

members as (
    select * from {{ ref('campaign_tweets') }}
),

final as (
    select
        groups.group_id,
        members.campaign_id,
        count(distinct members.user_id) as n_members,
        count(*) as n_posts
    from members
    inner join groups using (user_id)
    group by groups.group_id, members.campaign_id
    having count(distinct members.user_id) >= 2
)

select * from final
