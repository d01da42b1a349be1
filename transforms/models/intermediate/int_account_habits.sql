-- How each account posts across the whole archive: the yardstick its part in any one campaign is
-- read against. People and personas both join campaigns; what tells them apart is the rest of
-- their posting (domain notes, "Coordination is not automation"):
--   copy_share      the share of its own posts (retweets aside) in the archive that are texts
--                   copy-pasted with others (posts of campaigns of min_accounts accounts or more):
--                   an operation's headline persona posts mostly copies, a member's office about a
--                   tenth. Retweets are not counted: a citizen whose presence in an archive is
--                   mostly retweets of a leader is common, and no persona;
--   team_share      the share of all its posts made in campaigns where it fired with a team
--                   (int_campaign_tight_accounts: within the coordination window of consistent
--                   partners making up most of the campaign): a retweet team's account does
--                   little else; a fan who now and then retweets within a minute of others is
--                   never tight;
--   usual_source    the app it posts through most outside the texts it pushed with others (a
--                   campaign app posting for it is not its habit), NULL when it posted nothing
--                   else;
--   is_public       (int_accounts) a public identity: verified, or named in the party reference
--                   as the party's own account (its posts are the party's overt voice);
--   is_persona      not public, and most of its own posts are copies of repeat_copy_messages or
--                   more distinct texts, or most of all its posts are team firings in that many
--                   campaigns (macro is_mostly_pushed, the one persona rule, on the shares
--                   themselves): an account that exists to push copies.
-- Missing is missing: an archive that says nothing of verification leaves is_verified NULL.
-- Kept in the build state per account: an incremental build works out again the accounts
-- int_account_habit_changes lists (their posts, the grouping of their messages or their tight
-- campaigns changed) from all their posts, and keeps the others; on Spark a table made whole.

-- depends_on: {{ ref('int_account_habit_changes') }}
{{ kept_per_listed('int_account_habit_changes', ['user_id']) }}

with
{% if is_incremental() %}
listed as {{ materialized() }} (
    select user_id from {{ ref('int_account_habit_changes') }}
),
{% endif %}

tweets as (
    select
        tweet_id,
        user_id,
        is_retweet,
        source
    from {{ ref('int_tweets_deduplicated') }}
    where user_id is not null
    {% if is_incremental() %}
        and user_id in (select user_id from listed)
    {% endif %}
),

accounts as (
    select * from {{ ref('int_accounts') }}
    {% if is_incremental() %}
        where user_id in (select user_id from listed)
    {% endif %}
),

members as {{ materialized() }} (
    select
        campaign_id,
        tweet_id,
        user_id,
        message_key
    from {{ ref('int_messages_grouped_to_campaigns') }}
    {% if is_incremental() %}
        where user_id in (select user_id from listed)
    {% endif %}
),

shared_campaigns as (
    -- texts pushed by several accounts (a drip by one account is no copy "with others"), counted
    -- over all of a campaign's accounts
    select campaign_id
    from {{ ref('int_messages_grouped_to_campaigns') }}
    {% if is_incremental() %}
        where campaign_id in (select campaign_id from members)
    {% endif %}
    group by campaign_id
    having count(distinct user_id) >= {{ var('min_accounts') }} and not bool_or(is_retweet)
),

team_posts as (
    select
        members.user_id,
        count(*) as n_team_posts,
        count(distinct members.campaign_id) as n_team_campaigns
    from members
    semi join {{ ref('int_campaign_tight_accounts') }} as tight using (campaign_id, user_id)  -- noqa: AL05
    group by members.user_id
),

own_posts as (
    select
        user_id,
        count(*) as n_own_posts
    from tweets
    where not is_retweet
    group by user_id
),

copies as (
    select
        members.user_id,
        count(*) as n_copy_posts,
        count(distinct members.message_key) as n_copied_messages
    from members
    semi join shared_campaigns using (campaign_id)
    group by members.user_id
),

shared_posts as (
    select members.tweet_id
    from members
    semi join shared_campaigns using (campaign_id)
),

apps as (
    select
        user_id,
        source,
        count(*) as n_posts,
        row_number() over (partition by user_id order by count(*) desc, source) as app_rank,
        sum(count(*)) over (partition by user_id) as n_posts_with_app
    from tweets
    where
        source is not null
        and tweet_id not in (select tweet_id from shared_posts)
    group by user_id, source
),

profiles as (
    select
        accounts.*,
        coalesce(copies.n_copy_posts, 0) as n_copy_posts,
        coalesce(copies.n_copied_messages, 0) as n_copied_messages,
        floor((coalesce(copies.n_copy_posts, 0) / own_posts.n_own_posts) * 1e4 + 0.5) / 1e4 as copy_share,
        coalesce(own_posts.n_own_posts, 0) as n_own_posts,
        coalesce(team_posts.n_team_campaigns, 0) as n_team_campaigns,
        coalesce(team_posts.n_team_posts, 0) as n_team_posts,
        floor((coalesce(team_posts.n_team_posts, 0) / accounts.n_tweets) * 1e4 + 0.5) / 1e4 as team_share,
        usual.source as usual_source,
        floor((usual.n_posts / usual.n_posts_with_app) * 1e4 + 0.5) / 1e4 as usual_source_share
    from accounts
    left join copies using (user_id)
    left join own_posts using (user_id)
    left join team_posts using (user_id)
    left join apps as usual on accounts.user_id = usual.user_id and usual.app_rank = 1
),

final as (
    select
        *,
        not is_public and (
            {{ is_mostly_pushed('n_copied_messages', 'n_copy_posts', 'n_own_posts', 0) }}
            or {{ is_mostly_pushed('n_team_campaigns', 'n_team_posts', 'n_tweets', 0) }}
        ) as is_persona
    from profiles
)

select * from final
