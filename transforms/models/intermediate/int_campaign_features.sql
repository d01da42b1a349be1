-- What each campaign looks like, from the archive itself: size, speed (at the archive's own time
-- precision), regularity, posting apps, and the accounts behind it. These feed the score.
-- Layout unchecked from here: DuckDB syntax sqlfluff's parser does not read yet (see .sqlfluff).
-- noqa: disable=LT01,LT02,LT05,LT09

{% set is_repeater = "n_posts >= " ~ var('repeat_posts') ~ " and span_seconds >= " ~ var('repeat_span_hours') * 3600 %}

-- read from the table by each use (materialized once, every column of 0.8M posts: 5.1 s -> 2.7 s
-- in the 10M week)
with members as {{ not_materialized() }} (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

accounts as (
    select * from {{ ref('int_account_habits') }}
),

precision as (
    -- seconds one timestamp stands for: 60 in Information Operations archives (minutes), else 1
    select
        campaign_id,
        case when avg((time_precision = 'minute')::int) >= 0.5 then 60 else 1 end as precision_seconds
    from members
    group by campaign_id
),

gaps as (
    select
        campaign_id,
        {{ epoch_seconds('created_at') }} - lag({{ epoch_seconds('created_at') }}) over (
            partition by campaign_id order by created_at, tweet_id
        ) as gap_seconds
    from members
),

cadence as (
    -- the gaps' spread, less what rounding times to the archive's precision adds (a drip every
    -- 3 minutes looks irregular in minute data only by that much); rounded to 1e-6, since the
    -- last bits of a parallel variance vary from run to run
    select
        gaps.campaign_id,
        avg(gap_seconds) as mean_gap_seconds,
        floor(
            sqrt(greatest(0, var_pop(gap_seconds) - power(any_value(precision.precision_seconds), 2) / 6))
            / nullif(avg(gap_seconds), 0) * 1e6 + 0.5
        ) / 1e6 as cadence_cv
    from gaps
    inner join precision using (campaign_id)
    where gap_seconds is not null
    group by gaps.campaign_id
),

ranked as (
    select
        campaign_id,
        {{ epoch_seconds('created_at') }} as posted,
        row_number() over (partition by campaign_id order by created_at, tweet_id) as position,
        count(*) over (partition by campaign_id) as n_posts
    from members
),

core_span as (
    -- the shortest time holding 80% of the posts: how tightly the campaign happened
    select
        ranked.campaign_id,
        min(later.posted - ranked.posted) as span80_seconds
    from ranked  -- noqa: ST09
    inner join ranked as later
        on later.campaign_id = ranked.campaign_id
        and later.position = ranked.position + greatest(1, ceil(0.8 * ranked.n_posts)::bigint) - 1
    group by ranked.campaign_id
),

windowed as (
    select
        campaign_id,
        count(*) over (
            partition by campaign_id
            order by {{ epoch_seconds('created_at') }}
            range between current row and {{ var('burst_window_minutes') * 60 }} following
        ) as tweets_in_window
    from members
),

burst as (
    select
        campaign_id,
        max(tweets_in_window) as burst_tweets
    from windowed
    group by campaign_id
),

app_counts as (
    select
        campaign_id,
        source,
        app_kind,
        count(*) as n_tweets,
        row_number() over (
            partition by campaign_id order by count(*) desc, source
        ) as app_rank,
        row_number() over (
            partition by campaign_id, app_kind = 'unknown' order by count(*) desc, source
        ) as unknown_rank
    from members
    group by campaign_id, source, app_kind
),

text_counts as (
    select
        campaign_id,
        text,
        row_number() over (partition by campaign_id order by count(*) desc, text) as text_rank
    from members
    group by campaign_id, text
),

campaign_accounts as (
    -- each account once per campaign, with what the archive says of it at its first post there
    select
        members.campaign_id,
        members.user_id,
        min(members.created_at) as first_post_at,
        any_value(accounts.account_created_at) as account_created_at,
        any_value(accounts.followers) as followers,
        any_value(accounts.following) as following,
        any_value(accounts.is_persona) as is_persona,
        any_value(accounts.is_public) as is_public,
        any_value(accounts.is_verified) as is_verified,
        any_value(accounts.is_reference_account) as is_reference_account,
        any_value(accounts.copy_share) as copy_share,
        any_value(accounts.has_default_image) as has_default_image
    from members
    left join accounts using (user_id)
    group by members.campaign_id, members.user_id
),

habits as (
    -- the campaign's accounts against their own habits (int_account_habits)
    select
        campaign_id,
        avg(case when is_persona then 1 else 0 end) as persona_share,
        avg(case when is_public then 1 else 0 end) as public_share,
        avg(case when is_reference_account then 1 else 0 end) as reference_account_share,
        count(is_verified) as n_accounts_verified_known,
        avg(case when is_verified then 1 else 0 end) filter (where is_verified is not null) as verified_share,
        avg(copy_share) as mean_copy_share
    from campaign_accounts
    group by campaign_id
),

usual_clients as (
    -- among the posts whose app the archive names: the share made through the poster's own usual
    -- app (a campaign app posting for its subscribers is not what they usually post with), and
    -- the share made through a scheduler that is not (an office queueing its own posts uses its
    -- own scheduler; one tool posting for many supporters who otherwise type on their phones is
    -- an app posting for them)
    select
        members.campaign_id,
        avg(case when members.source = accounts.usual_source then 1 else 0 end) as usual_client_share,
        avg(
            case when members.app_kind = 'scheduler' and members.source is distinct from accounts.usual_source
                then 1 else 0 end
        ) as off_habit_scheduler_share
    from members
    left join accounts using (user_id)
    where members.source is not null
    group by members.campaign_id
),

stripped_texts as (
    select
        campaign_id,
        user_id,
        trim({{ regexp_replace_all('text', "'https?://[^ ]+'", "''") }}) as bare_text
    from members
    where not is_retweet
),

text_posters as (
    select campaign_id, bare_text, count(distinct user_id) as n_posters
    from stripped_texts
    group by campaign_id, bare_text
),

own_edits as (
    -- the share of accounts that posted a wording no other account of the campaign posted: people
    -- reword a talking point, a script pastes it (templates aside)
    select
        campaign_id,
        avg(case when has_own then 1 else 0 end) as own_edit_share
    from (
        select stripped_texts.campaign_id, stripped_texts.user_id, bool_or(text_posters.n_posters = 1) as has_own
        from stripped_texts
        inner join text_posters using (campaign_id, bare_text)
        group by stripped_texts.campaign_id, stripped_texts.user_id
    ) as per_account
    group by campaign_id
),

creation_windows as (
    -- for each account, how many of the campaign's accounts were created within the next
    -- creation_cluster_days (accounts made together, by one hand)
    select
        campaign_id,
        count(*) over (
            partition by campaign_id
            order by {{ epoch_seconds('account_created_at') }}
            range between current row and {{ var('creation_cluster_days') * 86400 }} following
        ) as created_together
    from campaign_accounts
    where account_created_at is not null
),

account_signals as (
    select
        campaign_accounts.campaign_id,
        count(account_created_at) as n_accounts_dated,
        avg(
            (
                {{ epoch_seconds('first_post_at') }} - {{ epoch_seconds('account_created_at') }}
                < {{ var('young_account_days') * 86400 }}
            )::int
        ) as young_share,
        count(followers) as n_accounts_with_followers,
        avg((followers < {{ var('few_followers') }})::int) as few_followers_share,
        avg(
            (following >= 100 and following >= {{ var('follow_spam_ratio') }} * (followers + 1))::int
        ) filter (where following is not null and followers is not null) as follow_spam_share,
        -- a profile never set up (the default image): a profile-only feature that generalises
        -- across data sets (Yang et al. 2020); NULL where the archive does not say
        count(has_default_image) as n_accounts_with_image,
        avg(case when has_default_image then 1 else 0 end) filter (where has_default_image is not null)
            as default_image_share
    from campaign_accounts
    group by campaign_accounts.campaign_id
),

creation_clusters as (
    select
        campaign_id,
        max(created_together) as largest_creation_cluster
    from creation_windows
    group by campaign_id
),

base as (
    select
        campaign_id,
        any_value(message_key) as message_key,
        bool_or(is_retweet) as is_retweet_campaign,
        count(*) as n_tweets,
        count(distinct user_id) as n_accounts,
        count(distinct trim({{ regexp_replace_all('text', "'https?://[^ ]+'", "''") }})) as n_texts,
        min(created_at) as first_seen,
        max(created_at) as last_seen,
        avg(case when app_kind = 'manual' then 1 else 0 end) as manual_share,
        avg(case when app_kind = 'share_button' then 1 else 0 end) as share_button_share,
        avg(case when app_kind = 'crossposter' then 1 else 0 end) as crossposter_share,
        avg(case when app_kind = 'scheduler' then 1 else 0 end) as scheduler_share,
        avg(case when app_kind = 'missing' then 1 else 0 end) as missing_app_share
    from members
    group by campaign_id
),

-- each account of each campaign with its message and time span, made before the message's posts
-- join it on the message and the account together (left to the optimiser, each post of a message
-- met every campaign of that message first: 17.0 s by hand on the 10M weekly state, 4.4 s this way)
account_spans as {{ materialized() }} (
    select
        base.campaign_id,
        campaign_accounts.user_id,
        base.message_key,
        base.first_seen,
        base.last_seen
    from base
    inner join campaign_accounts on base.campaign_id = campaign_accounts.campaign_id
),

repeats as (
    -- how often each account posted the campaign's message within max_campaign_days of it (the
    -- campaign's own posts and those of the same message's neighbouring episodes: a drip broken
    -- by silences is one habit), and over how long
    select
        account_spans.campaign_id,
        account_spans.user_id,
        count(*) as n_posts,
        {{ epoch_seconds('max(same_message.created_at)') }} - {{ epoch_seconds('min(same_message.created_at)') }}
            as span_seconds
    from account_spans
    inner join members as same_message
        on account_spans.message_key = same_message.message_key
        and account_spans.user_id = same_message.user_id
        and same_message.created_at between account_spans.first_seen - interval {{ var('max_campaign_days') }} days
            and account_spans.last_seen + interval {{ var('max_campaign_days') }} days
    group by account_spans.campaign_id, account_spans.user_id
),

repetition as (
    -- accounts that kept posting the message, again and again over more than repeat_span_hours
    -- (duplicate posting, a spam habit; fans chanting a line through one match are not)
    select
        campaign_id,
        sum(case when {{ is_repeater }} then 1 else 0 end) as n_repeaters,
        avg(case when {{ is_repeater }} then 1 else 0 end) as repeater_share
    from repeats
    group by campaign_id
),

final as (
    select
        base.*,
        {{ epoch_seconds('base.last_seen') }} - {{ epoch_seconds('base.first_seen') }} as duration_seconds,
        precision.precision_seconds,
        top_app.source as top_source,
        top_app.app_kind as top_source_kind,
        top_app.n_tweets / base.n_tweets as top_source_share,
        coalesce(top_unknown.n_tweets / base.n_tweets, 0) as top_unknown_app_share,
        top_unknown.source as top_unknown_app,
        burst.burst_tweets / base.n_tweets as burst_share,
        core_span.span80_seconds,
        cadence.mean_gap_seconds,
        cadence.cadence_cv,
        top_text.text as canonical_text,
        account_signals.n_accounts_dated,
        account_signals.young_share,
        account_signals.n_accounts_with_followers,
        account_signals.few_followers_share,
        account_signals.follow_spam_share,
        account_signals.n_accounts_with_image,
        account_signals.default_image_share,
        repetition.n_repeaters,
        repetition.repeater_share,
        habits.persona_share,
        habits.public_share,
        habits.reference_account_share,
        habits.n_accounts_verified_known,
        habits.verified_share,
        habits.mean_copy_share,
        usual_clients.usual_client_share,
        coalesce(usual_clients.off_habit_scheduler_share, 0) as off_habit_scheduler_share,
        own_edits.own_edit_share,
        (creation_clusters.largest_creation_cluster - 1)
            / nullif(account_signals.n_accounts_dated - 1, 0) as creation_cluster_share
    from base
    left join precision on base.campaign_id = precision.campaign_id
    left join app_counts as top_app
        on base.campaign_id = top_app.campaign_id and top_app.app_rank = 1
    left join app_counts as top_unknown
        on base.campaign_id = top_unknown.campaign_id
        and top_unknown.app_kind = 'unknown'
        and top_unknown.unknown_rank = 1
    left join burst on base.campaign_id = burst.campaign_id
    left join core_span on base.campaign_id = core_span.campaign_id
    left join cadence on base.campaign_id = cadence.campaign_id
    left join text_counts as top_text
        on base.campaign_id = top_text.campaign_id and top_text.text_rank = 1
    left join account_signals on base.campaign_id = account_signals.campaign_id
    left join creation_clusters on base.campaign_id = creation_clusters.campaign_id
    left join repetition on base.campaign_id = repetition.campaign_id
    left join habits on base.campaign_id = habits.campaign_id
    left join usual_clients on base.campaign_id = usual_clients.campaign_id
    left join own_edits on base.campaign_id = own_edits.campaign_id
)

select * from final
