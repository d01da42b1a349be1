-- The detection settings this warehouse was built with: every number or switch among the
-- project's vars (dbt_project.yml, as overridden for the build), one row each. An analyst cites
-- them beside a figure; `chorus sensitivity` sweeps around them; a test keeps the list equal to
-- the vars of dbt_project.yml.

{% set names = [
    'min_accounts', 'min_drip_tweets', 'max_gap_minutes', 'max_campaign_days', 'min_message_words',
    'near_duplicates', 'near_dup_min_words', 'near_dup_jaccard', 'near_dup_bands', 'near_dup_rows',
    'near_dup_rounds', 'component_rounds', 'near_dup_max_bucket', 'near_dup_max_words',
    'pair_max_campaign_accounts', 'burst_window_minutes', 'coordination_window_seconds',
    'group_min_campaigns', 'group_max_campaign_accounts', 'accounts_for_full_burst',
    'automation_threshold', 'coordination_threshold', 'overt_public_share', 'persona_copy_share',
    'cohort_z', 'persona_confidence_z', 'tie_consistency', 'young_account_days',
    'creation_cluster_days', 'few_followers', 'follow_spam_ratio', 'account_evidence_floor',
    'account_evidence_span', 'clock_floor', 'clock_span', 'coactivity_window_days',
    'coactivity_min_shared', 'coactivity_max_neighbours', 'coactivity_chunks', 'coactivity_z',
    'coactivity_floor_text', 'coactivity_floor_retweet', 'coactivity_span', 'coactivity_scale',
    'repeat_copy_messages', 'repeat_posts', 'repeat_span_hours', 'min_party_score', 'weight_source',
    'weight_hashtag', 'weight_domain', 'weight_retweeted_account', 'weight_mention', 'weight_author',
    'weight_lean', 'min_lean_tweets', 'min_lean_confidence'
] %}

with settings as (
    {% for name in names %}
        {%- set value = var(name) %}
        {%- if value is sameas true or value is sameas false %}{% set value = 1 if value else 0 %}{% endif %}
        select
            '{{ name }}' as setting,
            cast({{ value }} as double) as value
        {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        setting,
        value
    from settings
)

select * from final
