-- What each campaign proves, from every kind of evidence the archive carries. Two questions:
--
--   did the accounts act together beyond chance?  (`together`, in [0, 1]) the strongest of
--       coactivity   the same accounts pushing other messages together (int_campaign_coactivity);
--       copiers      accounts that copy-paste text with others again and again (repeat copiers);
--       one app      one automation app posting a message for many accounts;
--       persistence  several accounts each posting the message again and again (repeat_posts
--                    times or more, over more than repeat_span_hours);
--       clock        a drip too regular for a hand;
--       team timing  synchrony, counted only over the accounts that keep posting within the
--                    coordination window with the same partners (int_campaign_ties): one crowd
--                    acting at once (a goal, a punchline, a leader's fans) proves nothing.
--   is a program or a persona behind it?  (`inauthenticity`, "not people") any of
--       app          posts through an automation app (not a client, share button, cross-poster
--                    or scheduler of the catalogue), or through a scheduler that is not the
--                    poster's usual app, among the posts whose app the archive names;
--       accounts     accounts created together or recently, with few followers, following far
--                    more than follow them, or with profiles never set up (the default image):
--                    an account farm;
--       personas     accounts whose posting in the archive is mostly copies pushed with others
--                    (int_account_habits; never a verified or party-listed account);
--       clock, repetition  as below, counted over the accounts that are not public identities
--                    (an office scheduling its own talking point is still its own act).
--   Missing evidence is missing, not 0: pieces combine as independent chances.
--
--   coordination        = max(synchrony, drip, one app, coactivity, persistence, copiers)
--   amplification_score = sqrt(inauthenticity) * (0.4 + 0.6 * coordination)
--
-- The verdict says what the archive proves (domain notes, "Coordination is not automation"):
--   automated    amplification_score >= automation_threshold: a program or personas posted it;
--   overt        together >= coordination_threshold, by accounts mostly public identities
--                (verified, or the party's own in the reference): a party's open messaging;
--   coordinated  together >= coordination_threshold, nothing shows automation;
--   organic      otherwise (organic repetition, crowds reacting to one event).

{% set floor = var('account_evidence_floor') %}
{% set span = var('account_evidence_span') %}

with features as (
    select * from {{ ref('int_campaign_features') }}
),

coactivity as (
    select * from {{ ref('int_campaign_coactivity') }}
),

ties as (
    select * from {{ ref('int_campaign_ties') }}
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
                1.0,
                (greatest(top_unknown_app_share, off_habit_scheduler_share) + 0.25 * crossposter_share)
                / (1 - missing_app_share)
            )
        end as app_evidence,
        case when n_accounts >= {{ var('min_accounts') }} then greatest(
            {{ ramp('young_share', floor, span) }},
            {{ ramp('creation_cluster_share', floor, span) }},
            {{ ramp('few_followers_share', floor, span) }},
            {{ ramp('follow_spam_share', floor, span) }},
            case
                when n_accounts_with_image >= {{ var('min_accounts') }}
                    then {{ ramp('default_image_share', floor, span) }}
            end
        ) end as account_evidence,
        {{ ramp('coalesce(coactivity.repeat_copier_share, 0)', floor, span) }} as copier_evidence,
        {{ ramp('features.persona_share', floor, span) }} as persona_evidence,
        coalesce(ties.tight_share, 0) as tight_share,
        coalesce(features.public_share, 0) as public_identity_share,
        -- one account repeating itself is a habit, not a campaign's: two repeaters or more
        case
            when features.n_repeaters >= 2
                then {{ ramp('features.repeater_share', floor, span) }}
            else 0.0
        end as repetition_evidence,
        coalesce(features.repeater_share, 0)
        * {{ accounts_factor('greatest(coalesce(features.n_repeaters, 0), 1)') }} as persistence,
        case
            when span80_seconds is not null
                then floor((
                    {{ accounts_factor('n_accounts') }}
                    / (
                        1 + greatest(0, span80_seconds - precision_seconds / 2)
                        / ({{ var('burst_window_minutes') }} * 60)
                    )
                ) * 1e6 + 0.5) / 1e6
            else 0
        end as synchrony,
        case
            -- a cadence needs gaps the archive can resolve: in minute data, posts a few seconds
            -- apart all fall in one minute and say nothing of a clock
            when
                n_tweets >= {{ var('min_drip_tweets') }} and cadence_cv is not null
                and mean_gap_seconds >= precision_seconds
                then floor((greatest(0.0, 1.0 - cadence_cv)) * 1e6 + 0.5) / 1e6
            else 0.0
        end as drip_regularity,
        {{ accounts_factor('n_accounts') }} as accounts_factor
    from features
    left join coactivity using (campaign_id)
    left join ties using (campaign_id)
),

combined as (
    select
        *,
        {{ ramp('drip_regularity', var('clock_floor'), var('clock_span')) }} as clock_evidence,
        coalesce(app_evidence, 0) * accounts_factor as shared_app,
        greatest(synchrony, drip_regularity, coactivity, shared_app, persistence, copier_evidence) as coordination
    from components
),

together as (
    select
        *,
        floor(greatest(
            coactivity, copier_evidence, shared_app, persistence, clock_evidence, synchrony * tight_share
        ) * 1e6 + 0.5) / 1e6 as together
    from combined
),

scored as (
    select
        *,
        floor((
            1 - (1 - coalesce(app_evidence, 0))
            * (1 - coalesce(account_evidence, 0))
            * (1 - coalesce(persona_evidence, 0))
            * (1 - repetition_evidence * (1 - public_identity_share))
            * (1 - clock_evidence * (1 - public_identity_share))
        ) * 1e6 + 0.5) / 1e6 as inauthenticity
    from together
),

rounded as (
    select
        *,
        floor((sqrt(inauthenticity) * (0.4 + 0.6 * coordination)) * 1e4 + 0.5) / 1e4 as amplification_score
    from scored
),

verdicts as (
    select
        *,
        case
            when amplification_score >= {{ var('automation_threshold') }} then 'automated'
            when
                together >= {{ var('coordination_threshold') }}
                and public_identity_share >= {{ var('overt_public_share') }} then 'overt'
            when together >= {{ var('coordination_threshold') }} then 'coordinated'
            else 'organic'
        end as verdict
    from rounded
),

final as (
    select
        *,
        verdict = 'automated' as is_automated,
        {{ verdict_reason() }} as verdict_reason,
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
                when off_habit_scheduler_share >= 0.5
                    then concat(
                        floor(100 * off_habit_scheduler_share + 0.5)::int, '% via a scheduler not their own usual app'
                    )
                when manual_share >= 0.5
                    then concat(floor(100 * manual_share + 0.5)::int, '% from manual clients')
                when share_button_share >= 0.5
                    then concat(floor(100 * share_button_share + 0.5)::int, '% via share buttons')
                when scheduler_share >= 0.5
                    then concat(floor(100 * scheduler_share + 0.5)::int, '% via schedulers')
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
            case
                when
                    n_accounts_dated >= {{ var('min_accounts') }}
                    and creation_cluster_share >= {{ floor }}
                    then concat(
                        floor(100 * creation_cluster_share + 0.5)::int, '% of accounts created within ',
                        {{ var('creation_cluster_days') }}, ' days of each other'
                    )
            end,
            case when n_accounts_dated >= {{ var('min_accounts') }} and young_share >= {{ floor }} then concat(
                floor(100 * young_share + 0.5)::int, '% of accounts younger than ',
                {{ var('young_account_days') }}, ' days'
            ) end,
            case
                when
                    n_accounts_with_followers >= {{ var('min_accounts') }}
                    and few_followers_share >= {{ floor }}
                    then concat(
                        floor(100 * few_followers_share + 0.5)::int, '% with fewer than ',
                        {{ var('few_followers') }}, ' followers'
                    )
            end,
            case when repeat_copier_share >= {{ floor }} then concat(
                floor(100 * repeat_copier_share + 0.5)::int, '% of accounts copy-pasted ',
                {{ var('repeat_copy_messages') }}, '+ other texts with others within ',
                {{ var('coactivity_window_days') }}, ' days'
            ) end,
            case when persona_share >= {{ floor }} then concat(
                floor(100 * persona_share + 0.5)::int, '% of accounts post mostly copies (',
                {{ var('repeat_copy_messages') }}, '+ messages pushed with others, ',
                floor(100 * {{ var('persona_copy_share') }} + 0.5)::int, '%+ of their posts)'
            ) end,
            case when tight_share >= {{ floor }} and synchrony >= 0.3 then concat(
                floor(100 * tight_share + 0.5)::int, '% of accounts post within ',
                {{ var('coordination_window_seconds') }}, ' s of the same partners campaign after campaign'
            ) end,
            case when public_identity_share >= {{ floor }} then concat(
                floor(100 * public_identity_share + 0.5)::int,
                '% of accounts are public identities (verified, or listed as party accounts)'
            ) end,
            case when n_repeaters >= 2 and repeater_share >= {{ floor }} then concat(
                floor(100 * repeater_share + 0.5)::int, '% of accounts posted it ',
                {{ var('repeat_posts') }}, '+ times'
            ) end,
            case
                when
                    n_accounts_with_image >= {{ var('min_accounts') }}
                    and default_image_share >= {{ floor }}
                    then concat(
                        floor(100 * default_image_share + 0.5)::int, '% with the default profile image'
                    )
            end,
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
                        case
                            when span80_seconds < 120 then concat(span80_seconds::int, ' s')
                            else concat(ceil(span80_seconds / 60)::int, ' min')
                        end
                    )
            end
        ) as reasons
    from verdicts
)

select * from final
