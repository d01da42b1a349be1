{#- The verdict in plain words (int_campaigns_scored): what the archive proves and the evidence
    that decides it; for overt and coordinated campaigns, why they are not called automated. -#}
{% macro verdict_reason() -%}
{%- set strong = 0.5 -%}
case verdict
    when 'automated' then concat('automated: ', coalesce(nullif(concat_ws(', ',
        case when coalesce(app_evidence, 0) >= {{ strong }} and top_unknown_app_share >= off_habit_scheduler_share
            then concat(floor(100 * top_unknown_app_share + 0.5)::int, '% of posts via ', top_unknown_app,
                ', an app that posts for its users (not a client people type in)')
            when coalesce(app_evidence, 0) >= {{ strong }} then concat(
                floor(100 * off_habit_scheduler_share + 0.5)::int,
                '% of posts via a scheduler its accounts do not otherwise post with (a tool posting for them)')
        end,
        case when coalesce(account_evidence, 0) >= {{ strong }}
            then 'an account farm (accounts made together or recently, few followers or follow-spam)' end,
        case when coalesce(persona_evidence, 0) >= {{ strong }}
            then 'personas: most of its accounts post mostly copies pushed with others' end,
        case when clock_evidence * (1 - public_identity_share) >= {{ strong }}
            then 'a clock: a cadence no hand keeps' end,
        case when repetition_evidence * (1 - public_identity_share) >= {{ strong }}
            then 'its accounts post the same message again and again, for days' end
    ), ''), 'several weaker signs of automation together'))
    when 'overt' then concat(
        'overt party messaging: ', floor(100 * public_identity_share + 0.5)::int,
        '% of its accounts are public identities (verified, or listed as party accounts) acting together (',
        {{ together_reason() }}, '); not called automated: no automation app, account farm or personas',
        case when usual_client_share >= 0.5 then concat(
            ', ', floor(100 * usual_client_share + 0.5)::int, '% posted through their usual app') end,
        case when own_edit_share >= 0.3 then concat(
            ', ', floor(100 * own_edit_share + 0.5)::int, '% of accounts worded it their own way') end
    )
    when 'coordinated' then concat(
        'coordinated: ', {{ together_reason() }},
        '; not called automated: the archive shows no automation app, account farm, personas or clock',
        case when usual_client_share >= 0.5 then concat(
            ', ', floor(100 * usual_client_share + 0.5)::int, '% posted through their usual app') end
    )
    else case
        when coordination >= {{ strong }}
            then 'organic: acted at once, as a crowd reacts to one event; nothing shows the same accounts acting together beyond it'
        else 'organic: no sign of acting together beyond chance'
    end
end
{%- endmacro %}

{#- The strongest piece of `together` in words. -#}
{% macro together_reason() -%}
case
    when coactivity >= together then concat('the same accounts pushed ', n_co_messages,
        ' other message(s) together within ', {{ var('coactivity_window_days') }}, ' days')
    when copier_evidence >= together then concat('its accounts copy-pasted ', {{ var('repeat_copy_messages') }},
        '+ other texts with others within ', {{ var('coactivity_window_days') }}, ' days')
    when shared_app >= together then 'one automation app posted it for many accounts'
    when persistence >= together then 'several accounts kept posting it, day after day'
    when clock_evidence >= together then 'posted on a clock'
    else concat(floor(100 * tight_share + 0.5)::int, '% of its accounts post within ',
        {{ var('coordination_window_seconds') }}, ' s of the same partners, campaign after campaign')
end
{%- endmacro %}
