-- The LSH buckets whose members changed (int_message_band_changes), each with its state now and
-- whether its links must all be made again: a bucket gives links while it has between 2 and
-- near_dup_max_bucket members, each member linked to its smallest key (the representative). A
-- bucket whose representative or whose giving links changed is remade (every member's link);
-- in any other, a text added gets its one link and a text removed loses its own, the others'
-- links stay as they were (int_message_candidate_links).
-- The state before is read from the links the last build kept: a bucket that gave links has a
-- link row, with its representative. A build with no kept band keys (a first build, a full
-- refresh, Spark) lists no change: its links are made whole.

{% set bucket = bucket_columns() | join(', ') %}

with changed as {{ materialized() }} (
    select distinct {{ bucket }}
    from {{ ref('int_message_band_changes') }}
),

current_state as (
    select
        {{ bucket }},
        case
            when count(*) between 2 and {{ var('near_dup_max_bucket') }} then min(message_key)
        end as representative
    from {{ ref('int_message_band_members') }}
    semi join changed using ({{ bucket }})
    group by {{ bucket }}
),

kept_state as (
    select
        {{ bucket }},
        any_value(representative) as representative
    from {{ kept_rows('int_message_candidate_links', ['message_key'] + bucket_columns() + ['representative']) }}
    semi join changed using ({{ bucket }})
    group by {{ bucket }}
),

final as (
    select
        changed.*,
        current_state.representative,
        (current_state.representative is distinct from kept_state.representative) as is_remade
    from changed
    left join current_state using ({{ bucket }})
    left join kept_state using ({{ bucket }})
)

select * from final
