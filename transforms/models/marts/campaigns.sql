with scored as (
    select * from {{ ref('int_campaigns_scored') }}
),

attributed as (
    select * from {{ ref('int_campaigns_attributed') }}
),

pairing as (
    select * from {{ ref('int_campaign_pairing') }}
),

final as (
    select
        scored.campaign_id,
        attributed.party,
        attributed.party_confidence,
        scored.is_automated,
        scored.verdict,
        scored.verdict_reason,
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
        scored.precision_seconds,
        scored.span80_seconds,
        scored.coordination,
        scored.synchrony,
        scored.drip_regularity,
        scored.coactivity,
        scored.n_co_messages,
        scored.persistence,
        scored.repeater_share,
        scored.together,
        scored.tight_share,
        scored.inauthenticity,
        scored.persona_share,
        scored.public_identity_share,
        scored.usual_client_share,
        scored.own_edit_share,
        scored.app_evidence,
        scored.account_evidence,
        scored.clock_evidence,
        scored.young_share,
        scored.creation_cluster_share,
        scored.few_followers_share,
        scored.follow_spam_share,
        attributed.party_signals,
        pairing.is_paired as accounts_paired
    from scored
    left join attributed using (campaign_id)
    left join pairing using (campaign_id)
)

select * from final
