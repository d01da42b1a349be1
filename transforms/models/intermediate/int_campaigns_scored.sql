-- The amplification score of each campaign, in [0, 1], and the reasons for it in words.
--
-- Two questions, each answered from every kind of evidence the archive carries:
--   coordination: did the accounts act together?  the strongest of
--       one app     half the app evidence, scaled by the number of accounts: one automation app
--                    posting a message for many accounts is what coordinated them;
--       synchrony    how tightly the posts came (the shortest span holding 80% of them, at the
--                    archive's own time precision; half at burst_window_minutes), scaled by how
--                    many accounts took part (full from accounts_for_full_burst);
--       drip         1 - coefficient of variation of the gaps (a clock), for min_drip_tweets posts
--                    whose gaps the archive's precision resolves (a tick apart on average);
--       coactivity   the same accounts pushing other messages together (int_campaign_coactivity);
--       persistence  several accounts each posting the message again and again (repeat_posts
--                    times or more, over more than repeat_span_hours), scaled by how many do.
--   inauthenticity: is something other than people typing behind it?  any of
--       app          share posted through an automation app (unknown to the catalogue), among the
--                    posts whose app the archive names; missing when most posts lack it;
--       accounts     accounts created together or recently, with few followers, or following
--                    far more than follow them; missing when the archive says nothing of them;
--       copiers      accounts that copy-paste text with others again and again (repeat copiers,
--                    int_campaign_coactivity): a habit, counted without the archive's population;
--       coactivity   (again: a group that keeps acting together is organised);
--       clock        a drip too regular for a hand;
--       repetition   accounts posting the same message repeat_posts times or more over more
--                    than repeat_span_hours (duplicate posting: people say a thing once, or chant
--                    it through one evening; a schedule or a script keeps saying it), when two
--                    accounts or more do.
--   Evidence the archive lacks counts as missing, not as 0: pieces combine as independent
--   chances (1 - product of 1 - each), so no single missing field caps the verdict.
--
--   score = sqrt(inauthenticity) * (0.4 + 0.6 * coordination)
--
-- A synchronous crowd of established accounts typing on their phones scores 0 however fast it
-- is (no inauthenticity); an app, a farm of new accounts or a recurring group pushing a line at
-- once, or on a clock, scores near 1.

{% set floor = var('account_evidence_floor') %}
{% set span = var('account_evidence_span') %}

with features as (
    select * from {{ ref('int_campaign_features') }}
),

coactivity as (
    select * from {{ ref('int_campaign_coactivity') }}
),

components as (
    select
        features.*,
        coalesce(coactivity.co_messages, 0) as co_messages,
        coalesce(coactivity.n_co_messages, 0) as n_co_messages,
        coalesce(coactivity.coactivity, 0) as coactivity,
        coalesce(coactivity.repeat_copier_share, 0) as repeat_copier_share,
        case
            when missing_app_share < 0.5 then least(
                1.0, (top_unknown_app_share + 0.25 * crossposter_share) / (1 - missing_app_share)
            )
        end as app_evidence,
        case when n_accounts >= {{ var('min_accounts') }} then greatest(
            {{ ramp('young_share', floor, span) }},
            {{ ramp('creation_cluster_share', floor, span) }},
            {{ ramp('few_followers_share', floor, span) }},
            {{ ramp('follow_spam_share', floor, span) }}
        ) end as account_evidence,
        {{ ramp('coalesce(coactivity.repeat_copier_share, 0)', floor, span) }} as copier_evidence,
        -- one account repeating itself is a habit, not a campaign's: two repeaters or more
        case when features.n_repeaters >= 2
            then {{ ramp('features.repeater_share', floor, span) }} else 0.0 end as repetition_evidence,
        coalesce(features.repeater_share, 0)
            * {{ accounts_factor('greatest(coalesce(features.n_repeaters, 0), 1)') }} as persistence,
        case when span80_seconds is not null then floor(({{ accounts_factor('n_accounts') }}
            / (1 + greatest(0, span80_seconds - precision_seconds / 2) / ({{ var('burst_window_minutes') }} * 60))) * 1e6 + 0.5) / 1e6
        else 0 end as synchrony,
        case
            -- a cadence needs gaps the archive can resolve: in minute data, posts a few seconds
            -- apart all fall in one minute and say nothing of a clock
            when n_tweets >= {{ var('min_drip_tweets') }} and cadence_cv is not null
                and mean_gap_seconds >= precision_seconds
                then floor((greatest(0.0, 1.0 - cadence_cv)) * 1e6 + 0.5) / 1e6
            else 0.0
        end as drip_regularity,
        {{ accounts_factor('n_accounts') }} as accounts_factor
    from features
    left join coactivity using (campaign_id)
),

combined as (
    select
        *,
        {{ ramp('drip_regularity', var('clock_floor'), var('clock_span')) }} as clock_evidence,
        0.5 * coalesce(app_evidence, 0) * accounts_factor as shared_app,
        greatest(synchrony, drip_regularity, coactivity, shared_app, persistence) as coordination
    from components
),

scored as (
    select
        *,
        floor((1 - (1 - coalesce(app_evidence, 0))
            * (1 - coalesce(account_evidence, 0))
            * (1 - coactivity)
            * (1 - copier_evidence)
            * (1 - repetition_evidence)
            * (1 - clock_evidence)) * 1e6 + 0.5) / 1e6 as inauthenticity
    from combined
),

rounded as (
    select
        *,
        floor((sqrt(inauthenticity) * (0.4 + 0.6 * coordination)) * 1e4 + 0.5) / 1e4 as amplification_score
    from scored
),

final as (
    select
        *,
        amplification_score >= {{ var('automation_threshold') }} as is_automated,
        concat_ws(
            '; ',
            concat(
                n_accounts, ' accounts, ', n_tweets, ' posts in ',
                case
                    when duration_seconds < 3600 then concat(ceil(duration_seconds / 60)::int, ' min')
                    else concat(floor((duration_seconds / 3600) * 1e1 + 0.5) / 1e1, ' h')
                end
            ),
            case
                when top_unknown_app is not null and top_unknown_app_share >= 0.5
                    then concat(floor(100 * top_unknown_app_share + 0.5)::int, '% via ', top_unknown_app)
                when manual_share >= 0.5
                    then concat(floor(100 * manual_share + 0.5)::int, '% from manual clients')
                when share_button_share >= 0.5
                    then concat(floor(100 * share_button_share + 0.5)::int, '% via share buttons')
                when missing_app_share >= 0.5 then 'posting app not in the archive'
            end,
            case
                when is_retweet_campaign then 'retweets of one post'
                when message_key like 'url:%' then concat(n_texts, ' comments on one link')
                when n_texts = 1 then 'identical text'
                else concat(n_texts, ' variants of one text')
            end,
            case when coactivity >= 0.25 then concat(
                'the same accounts pushed ', n_co_messages, ' other message(s) together within ',
                {{ var('coactivity_window_days') }}, ' days'
            ) end,
            case when n_accounts_dated >= {{ var('min_accounts') }} and creation_cluster_share >= {{ floor }} then concat(
                floor(100 * creation_cluster_share + 0.5)::int, '% of accounts created within ',
                {{ var('creation_cluster_days') }}, ' days of each other'
            ) end,
            case when n_accounts_dated >= {{ var('min_accounts') }} and young_share >= {{ floor }} then concat(
                floor(100 * young_share + 0.5)::int, '% of accounts younger than ', {{ var('young_account_days') }}, ' days'
            ) end,
            case when n_accounts_with_followers >= {{ var('min_accounts') }} and few_followers_share >= {{ floor }} then concat(
                floor(100 * few_followers_share + 0.5)::int, '% with fewer than ', {{ var('few_followers') }}, ' followers'
            ) end,
            case when repeat_copier_share >= {{ floor }} then concat(
                floor(100 * repeat_copier_share + 0.5)::int, '% of accounts copy-pasted ',
                {{ var('repeat_copy_messages') }}, '+ other texts with others within ',
                {{ var('coactivity_window_days') }}, ' days'
            ) end,
            case when n_repeaters >= 2 and repeater_share >= {{ floor }} then concat(
                floor(100 * repeater_share + 0.5)::int, '% of accounts posted it ',
                {{ var('repeat_posts') }}, '+ times'
            ) end,
            case when follow_spam_share >= {{ floor }} then concat(
                floor(100 * follow_spam_share + 0.5)::int, '% following ', {{ var('follow_spam_ratio') }},
                'x more accounts than follow them'
            ) end,
            case
                when drip_regularity >= 0.5 and drip_regularity >= synchrony
                    then concat(
                        'drip: a post every ', floor((mean_gap_seconds / 60) * 1e1 + 0.5) / 1e1,
                        ' min (cadence CV ', floor((cadence_cv) * 1e2 + 0.5) / 1e2, ')'
                    )
                when synchrony >= 0.3
                    then concat(
                        '80% of posts within ',
                        case when span80_seconds < 120 then concat(span80_seconds::int, ' s')
                        else concat(ceil(span80_seconds / 60)::int, ' min') end
                    )
            end
        ) as reasons
    from rounded
)

select * from final
