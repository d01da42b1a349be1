-- Campaign membership: tweets carrying the same message (see int_tweets_normalised: identical
-- once normalised, a near-duplicate of it, retweets of one post, or short comments on one link),
-- split where the message goes silent for longer than max_gap_minutes - unless the same accounts
-- take it up again after the silence (a drip) - and again every max_campaign_days (a message
-- pushed for weeks is several campaigns, never one). A group is a
-- campaign when enough distinct accounts post it (min_accounts) or when it is posted often
-- enough to be a drip (min_drip_tweets).
--
-- Personas and people are split: when a group's posters hold at least min_accounts copy
-- personas (int_account_personas: accounts, never verified nor the party's own, whose own posts
-- are mostly copies, beyond doubt) and at least min_accounts other accounts, and more personas
-- than chance gives by cohort_z standard deviations (a binomial draw of its accounts at the
-- personas' share of all accounts with a message: people whose accounts an app also posts for
-- join crowds like anyone else),
-- each cohort is a campaign of its own (a headline network pasting the day's news while people
-- share the same headline by hand is two campaigns, each judged on its own posters). A campaign
-- that is not split keeps its id.
-- Kept in the build state per campaign message (a cluster's key, or a message's own): an
-- incremental build groups again only the messages int_message_grouping_changes lists (each whole:
-- every tweet of it, over all time) and keeps the others' rows; on Spark a table made whole.
-- Layout unchecked from here: DuckDB syntax sqlfluff's parser does not read yet (see .sqlfluff).
-- noqa: disable=LT01,LT02,LT05,LT09

-- depends_on: {{ ref('int_message_grouping_changes') }}
{{ kept_per_listed('int_message_grouping_changes', ['message_key']) }}

with
near_duplicates as (
    select
        message_key,
        cluster_key
    from {{ ref('int_messages_near_duplicates') }}
),

{% if is_incremental() %}
changed as {{ materialized() }} (
    select message_key from {{ ref('int_message_grouping_changes') }}
),

changed_exact as (
    {{ exact_messages('changed') }}
),
{% endif %}

normalised as {{ materialized() if is_incremental() else '' }} (
    select * from {{ ref('int_tweets_normalised') }}
    where message_key is not null
    {% if is_incremental() %}
        and message_key in (select message_key from changed_exact)
    {% endif %}
),

-- only what the grouping reads: the tweets' texts and the rest join the campaigns' tweets at the
-- end (carried through the windows below, they were written to disk at 10M tweets)
tweets as {{ materialized() }} (
    select
        normalised.tweet_id,
        normalised.user_id,
        normalised.created_at,
        coalesce(near_duplicates.cluster_key, normalised.message_key) as message_key
    from normalised
    left join near_duplicates using (message_key)  -- noqa: ST11
    {% if is_incremental() %}
    -- an exact message that left a changed cluster is grouped under its new one (listed too)
    where coalesce(near_duplicates.cluster_key, normalised.message_key) in (select message_key from changed)
    {% endif %}
),

-- each message's tweets and accounts
message_sizes as (
    select
        message_key,
        count(*) as n_tweets,
        count(distinct user_id) as n_accounts
    from tweets
    group by message_key
),

copy_personas as (
    select user_id
    from {{ ref('int_account_personas') }}
    where is_persona
),

-- Most messages are posted once or twice and can never be a campaign (a campaign is part of a
-- message, so the whole message has at least as many tweets and accounts): only the others
-- are ordered and split, which spares the window functions most of the tweets.
possible_campaign_messages as (
    select message_key
    from message_sizes
    where n_tweets >= {{ var('min_drip_tweets') }}
        or n_accounts >= {{ var('min_accounts') }}
),

ordered as (
    select
        *,
        lag(created_at) over (partition by message_key order by created_at, tweet_id) as previous_at
    from tweets
    semi join possible_campaign_messages using (message_key)
),

silences as (
    select
        *,
        sum(
            case
                when previous_at is null
                    or created_at - previous_at > interval {{ var('max_gap_minutes') }} minutes
                    then 1
                else 0
            end
        ) over (
            partition by message_key order by created_at, tweet_id rows unbounded preceding
        ) as silence_episode
    from ordered
),

silence_accounts as (
    select message_key, silence_episode, user_id, min(created_at) as first_at
    from silences
    group by message_key, silence_episode, user_id
),

silence_starts as (
    select
        silence_accounts.message_key,
        silence_accounts.silence_episode,
        min(silence_accounts.first_at) as started_at,
        count(*) as n_accounts,
        any_value(sizes.n_posts) as n_posts
    from silence_accounts
    inner join (  -- noqa: ST05
        select message_key, silence_episode, count(*) as n_posts from silences group by all
    ) as sizes using (message_key, silence_episode)
    group by silence_accounts.message_key, silence_accounts.silence_episode
),

returners as (
    -- accounts of a stretch that had posted the message in the max_campaign_days before it began
    select distinct later.message_key, later.silence_episode, later.user_id
    from silence_accounts as later
    inner join silence_starts as starts using (message_key, silence_episode)
    inner join silence_accounts as earlier
        on earlier.message_key = later.message_key
        and earlier.user_id = later.user_id
        and earlier.silence_episode < later.silence_episode
        and earlier.first_at >= starts.started_at - interval {{ var('max_campaign_days') }} days
),

continued as (
    -- a silence does not end a drip: a stretch too small to be a campaign on its own (fewer than
    -- min_accounts accounts and min_drip_tweets posts) whose accounts, half of them at least, had
    -- posted the message in the max_campaign_days before continues what came before it (the same
    -- accounts pasting one text by hand, now and then, for weeks); a stretch that is a campaign on
    -- its own, or new accounts, starts a campaign
    select
        starts.message_key,
        starts.silence_episode,
        any_value(starts.n_accounts) < {{ var('min_accounts') }}
            and any_value(starts.n_posts) < {{ var('min_drip_tweets') }}
            and count(returners.user_id) >= 0.5 * any_value(starts.n_accounts) as continues
    from silence_starts as starts
    left join returners using (message_key, silence_episode)
    group by starts.message_key, starts.silence_episode
),

stretches as (
    select
        message_key,
        silence_episode,
        sum(case when continues and silence_episode > 1 then 0 else 1 end) over (
            partition by message_key order by silence_episode rows unbounded preceding
        ) as stretch
    from continued
),

episodes as (
    select
        silences.*,
        stretches.stretch * 100000 + floor(
            (
                {{ epoch_seconds('silences.created_at') }}
                - {{ epoch_seconds('min(silences.created_at) over (partition by silences.message_key, stretches.stretch)') }}
            )
            / ({{ var('max_campaign_days') }} * 86400)
        )::bigint as episode
    from silences
    inner join stretches using (message_key, silence_episode)
),

tagged as (
    select
        episodes.*,
        case when copy_personas.user_id is not null then episodes.user_id end as persona_user_id,
        case when copy_personas.user_id is null then episodes.user_id end as people_user_id
    from episodes
    left join copy_personas using (user_id)
),

persona_rate as (
    {{ persona_rate() }}
),

split_groups as (
    -- groups where personas and people are each a campaign's worth of accounts, the personas
    -- beyond chance
    select sizes.message_key, sizes.episode
    from (
        select
            message_key,
            episode,
            count(distinct persona_user_id) as n_personas,
            count(distinct user_id) as n_accounts
        from tagged
        group by message_key, episode
    ) as sizes
    cross join persona_rate
    where {{ splits_cohorts('sizes.n_personas', 'sizes.n_accounts', 'persona_rate.rate') }}
),

cohorts as (
    select
        tagged.* except (persona_user_id, people_user_id),
        case
            when split_groups.message_key is null then ''
            when tagged.persona_user_id is null then 'people'
            else 'personas'
        end as cohort
    from tagged
    left join split_groups using (message_key, episode)  -- noqa: ST11
),

groups as (
    select
        message_key,
        episode,
        cohort,
        count(*) as n_tweets,
        count(distinct user_id) as n_accounts,
        min(created_at) as first_seen
    from cohorts
    group by message_key, episode, cohort
),

campaign_groups as (
    select
        *,
        md5(
            message_key || '|' || {{ format_timestamp('first_seen', 'second') }}
            || case when cohort = '' then '' else '|' || cohort end
        ) as campaign_id
    from groups
    where n_accounts >= {{ var('min_accounts') }}
        or n_tweets >= {{ var('min_drip_tweets') }}
),

final as (
    select
        campaign_groups.campaign_id,
        cohorts.tweet_id,
        cohorts.user_id,
        cohorts.created_at,
        details.time_precision,
        cohorts.message_key,
        details.text,
        details.source,
        details.app_kind,
        details.is_retweet,
        cohorts.episode,
        cohorts.cohort
    from cohorts
    inner join campaign_groups using (message_key, episode, cohort)
    inner join {{ 'normalised' if is_incremental() else ref('int_tweets_normalised') }} as details
        on cohorts.tweet_id = details.tweet_id
)

select * from final
