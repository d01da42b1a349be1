-- What each campaign looks like: size, speed, regularity, posting apps. These feed the score.

with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

gaps as (
    select
        campaign_id,
        epoch(created_at) - lag(epoch(created_at)) over (
            partition by campaign_id order by created_at, tweet_id
        ) as gap_seconds
    from members
),

cadence as (
    select
        campaign_id,
        avg(gap_seconds) as mean_gap_seconds,
        stddev_pop(gap_seconds) / nullif(avg(gap_seconds), 0) as cadence_cv
    from gaps
    where gap_seconds is not null
    group by campaign_id
),

windowed as (
    select
        campaign_id,
        count(*) over (
            partition by campaign_id
            order by epoch(created_at)
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

base as (
    select
        campaign_id,
        any_value(message_key) as message_key,
        bool_or(is_retweet) as is_retweet_campaign,
        count(*) as n_tweets,
        count(distinct user_id) as n_accounts,
        count(distinct trim(regexp_replace(text, 'https?://[^ ]+', '', 'g'))) as n_texts,
        min(created_at) as first_seen,
        max(created_at) as last_seen,
        avg(case when app_kind = 'manual' then 1.0 else 0.0 end) as manual_share,
        avg(case when app_kind = 'share_button' then 1.0 else 0.0 end) as share_button_share,
        avg(case when app_kind = 'crossposter' then 1.0 else 0.0 end) as crossposter_share,
        avg(case when app_kind = 'missing' then 1.0 else 0.0 end) as missing_app_share
    from members
    group by campaign_id
),

final as (
    select
        base.*,
        epoch(base.last_seen) - epoch(base.first_seen) as duration_seconds,
        top_app.source as top_source,
        top_app.app_kind as top_source_kind,
        top_app.n_tweets / base.n_tweets as top_source_share,
        coalesce(top_unknown.n_tweets / base.n_tweets, 0) as top_unknown_app_share,
        top_unknown.source as top_unknown_app,
        burst.burst_tweets / base.n_tweets as burst_share,
        cadence.mean_gap_seconds,
        cadence.cadence_cv,
        top_text.text as canonical_text
    from base
    left join app_counts as top_app
        on base.campaign_id = top_app.campaign_id and top_app.app_rank = 1
    left join app_counts as top_unknown
        on base.campaign_id = top_unknown.campaign_id
        and top_unknown.app_kind = 'unknown'
        and top_unknown.unknown_rank = 1
    left join burst on base.campaign_id = burst.campaign_id
    left join cadence on base.campaign_id = cadence.campaign_id
    left join text_counts as top_text
        on base.campaign_id = top_text.campaign_id and top_text.text_rank = 1
)

select * from final
