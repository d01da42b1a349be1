-- The amplification score of each campaign, in [0, 1], and the reasons for it in words.
--
--   app_evidence  = share of tweets posted through the campaign's main unknown (non-manual,
--                   non-share-button) app, + a partial weight for cross-posters and for tweets
--                   whose app is missing from the archive (unknown_app_signal)
--   burst         = share of tweets inside the densest burst_window_minutes, scaled by how many
--                   accounts took part (full from accounts_for_full_burst)
--   drip          = 1 - coefficient of variation of the gaps between posts (a scheduler's
--                   regular cadence), for campaigns of at least min_drip_tweets posts
--   score         = sqrt(app_evidence) * (0.4 + 0.6 * max(burst, drip))
--
-- Many people typing the same line from their phones scores near 0 (no app evidence); an app
-- pushing the same line through many accounts at once, or on a clock, scores near 1. The square
-- root keeps campaigns where some supporters post by hand (a third, say) clearly automated.

with features as (
    select * from {{ ref('int_campaign_features') }}
),

components as (
    select
        *,
        least(
            1.0,
            top_unknown_app_share
            + 0.25 * crossposter_share
            + {{ var('unknown_app_signal') }} * missing_app_share
        ) as app_evidence,
        burst_share * least(
            1.0, ln(n_accounts) / ln({{ var('accounts_for_full_burst') }})
        ) as burst_coordination,
        case
            when n_tweets >= {{ var('min_drip_tweets') }} and cadence_cv is not null
                then greatest(0.0, 1.0 - cadence_cv)
            else 0.0
        end as drip_regularity
    from features
),

scored as (
    select
        *,
        round(
            sqrt(app_evidence) * (0.4 + 0.6 * greatest(burst_coordination, drip_regularity)), 4
        ) as amplification_score
    from components
),

final as (
    select
        *,
        amplification_score >= {{ var('automation_threshold') }} as is_automated,
        concat_ws(
            '; ',
            format(
                '{} accounts, {} posts in {}',
                n_accounts,
                n_tweets,
                case
                    when duration_seconds < 3600 then format('{} min', ceil(duration_seconds / 60)::int)
                    else format('{} h', round(duration_seconds / 3600, 1))
                end
            ),
            case
                when top_unknown_app is not null and top_unknown_app_share >= 0.5
                    then format('{}% via {}', round(100 * top_unknown_app_share)::int, top_unknown_app)
                when manual_share >= 0.5
                    then format('{}% from manual clients', round(100 * manual_share)::int)
                when share_button_share >= 0.5
                    then format('{}% via share buttons', round(100 * share_button_share)::int)
                when missing_app_share >= 0.5 then 'posting app not in the archive'
            end,
            case
                when is_retweet_campaign then 'retweets of one post'
                when n_texts = 1 then 'identical text'
                else format('{} variants of one text', n_texts)
            end,
            case
                when drip_regularity >= 0.5 and drip_regularity > burst_coordination
                    then format(
                        'drip: a post every {} min (cadence CV {})',
                        round(mean_gap_seconds / 60, 1),
                        round(cadence_cv, 2)
                    )
                when burst_coordination >= 0.5
                    then format(
                        '{}% within {} min',
                        round(100 * burst_share)::int,
                        {{ var('burst_window_minutes') }}
                    )
            end
        ) as reasons
    from scored
)

select * from final
