with scored as (
    select * from {{ ref('int_campaigns_scored') }}
),

attributed as (
    select * from {{ ref('int_campaigns_attributed') }}
),

final as (
    select
        scored.campaign_id,
        attributed.party,
        attributed.party_confidence,
        scored.is_automated,
        scored.amplification_score,
        scored.n_tweets,
        scored.n_accounts,
        scored.first_seen,
        scored.last_seen,
        scored.canonical_text,
        scored.reasons,
        scored.is_retweet_campaign,
        scored.n_texts,
        scored.top_source,
        scored.top_source_share,
        scored.duration_seconds,
        scored.burst_share,
        scored.cadence_cv,
        scored.app_evidence,
        scored.burst_coordination,
        scored.drip_regularity,
        attributed.party_signals
    from scored
    left join attributed using (campaign_id)
)

select * from final
