-- One row per account seen in any campaign: what it took part in, how, what the archive says of
-- it (profile included), its habits (int_account_habits), whom it acted with, and a verdict in the
-- campaigns' words: automated when it took part in an automated campaign, else coordinated, overt
-- or organic after the strongest verdict of its campaigns.

-- the campaigns' posts with their apps (campaign_tweets' rows, read where the app is at hand)
with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

campaigns as (
    select * from {{ ref('campaigns') }}
),

accounts as (
    select * from {{ ref('int_account_habits') }}
),

groups as (
    select * from {{ ref('int_account_groups') }}
),

-- each tied pair once, whatever its kinds (account_a < account_b): an account's partners are its
-- pairs (both directions made distinct, then counted distinct again, took 17 s by hand at 10M)
pairs as (
    select distinct
        account_a,
        account_b
    from {{ ref('account_pairs') }}
),

degrees as (
    select
        user_id,
        count(*) as coordination_degree
    from (
        select account_a as user_id from pairs
        union all
        select account_b from pairs
    ) as sides
    group by user_id
),

activity as (
    select
        members.user_id,
        count(distinct members.campaign_id) as n_campaigns,
        count(distinct members.campaign_id) filter (where campaigns.is_automated) as n_automated_campaigns,
        count(distinct members.campaign_id) filter (where campaigns.verdict = 'coordinated') as n_coordinated_campaigns,
        count(distinct members.campaign_id) filter (where campaigns.verdict = 'overt') as n_overt_campaigns,
        count(*) as n_campaign_posts,
        count(*) filter (where campaigns.is_automated) as n_automated_posts,
        min(members.created_at) as first_seen,
        max(members.created_at) as last_seen,
        {{ sorted_set_agg('members.source', where='members.source is not null') }} as apps
    from members
    inner join campaigns using (campaign_id)
    group by members.user_id
),

leaning as (
    -- the party of most of the account's campaign posts (attributed campaigns only)
    select
        members.user_id,
        campaigns.party,
        count(*) as n_posts,
        row_number() over (partition by members.user_id order by count(*) desc, campaigns.party) as party_rank,
        sum(count(*)) over (partition by members.user_id) as n_attributed_posts
    from members
    inner join campaigns using (campaign_id)
    where campaigns.party is not null
    group by members.user_id, campaigns.party
),

final as (
    select
        activity.user_id,
        accounts.screen_name,
        activity.n_campaigns,
        activity.n_automated_campaigns,
        activity.n_coordinated_campaigns,
        activity.n_overt_campaigns,
        case
            when activity.n_automated_campaigns > 0 then 'automated'
            when activity.n_coordinated_campaigns > 0 then 'coordinated'
            when activity.n_overt_campaigns > 0 then 'overt'
            else 'organic'
        end as verdict,
        activity.n_campaign_posts,
        activity.n_automated_posts,
        floor((activity.n_automated_posts / activity.n_campaign_posts) * 1e4 + 0.5) / 1e4 as automated_share,
        activity.first_seen,
        activity.last_seen,
        coalesce(activity.apps, {{ empty_list() }}) as apps,
        leaning.party as party_lean,
        floor((leaning.n_posts / leaning.n_attributed_posts) * 1e4 + 0.5) / 1e4 as party_lean_confidence,
        accounts.account_created_at,
        accounts.followers,
        accounts.following,
        accounts.statuses,
        accounts.display_name,
        accounts.description,
        accounts.location,
        accounts.is_verified,
        accounts.is_protected,
        accounts.has_default_image,
        accounts.listed,
        accounts.favourites,
        accounts.is_reference_account,
        accounts.is_public,
        accounts.is_persona,
        accounts.copy_share,
        accounts.usual_source,
        accounts.n_tweets as n_tweets_in_archive,
        coalesce(degrees.coordination_degree, 0) as coordination_degree,
        groups.group_id
    from activity
    left join accounts using (user_id)
    left join leaning on activity.user_id = leaning.user_id and leaning.party_rank = 1
    left join degrees using (user_id)
    left join groups using (user_id)
)

select * from final
