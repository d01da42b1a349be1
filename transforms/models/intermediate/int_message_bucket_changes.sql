-- The LSH buckets whose members changed (int_message_band_changes), each with its state now and
-- whether its links must all be made again: a bucket gives links while it has between 2 and
-- near_dup_max_bucket members, each member linked to its smallest key (the representative). A
-- bucket whose representative or whose giving links changed is remade (every member's link);
-- in any other, a text added gets its one link and a text removed loses its own, the others'
-- links stay as they were (int_message_candidate_links).
-- The state before is read from the links the last build kept: a bucket that gave links has a
-- link row, with its representative. A bucket that had more than near_dup_max_bucket members
-- (int_message_giant_buckets) and still has is not grouped again: its size is the last build's
-- plus the texts added, less those removed. A build with no kept band keys (a first build, a
-- full refresh, Spark) lists no change: its links are made whole.

{% set bucket = bucket_columns() | join(', ') %}

with changes as {{ materialized() }} (
    select
        {{ bucket }},
        cast(sum(case when is_added then 1 else -1 end) as bigint) as n_added
    from {{ ref('int_message_band_changes') }}
    group by {{ bucket }}
),

kept_giants as (
    select
        {{ bucket }},
        n_members
    from {{ kept_rows('int_message_giant_buckets', bucket_columns() + ['n_members']) }}
),

-- giants before that stay giants: no link, and no need to group their members
still_giant as {{ materialized() }} (
    select
        changes.{{ bucket_columns() | join(', changes.') }},
        kept_giants.n_members + changes.n_added as n_members
    from changes
    inner join kept_giants using ({{ bucket }})
    where kept_giants.n_members + changes.n_added > {{ var('near_dup_max_bucket') }}
),

-- the changed buckets whose members are grouped again: all but those giants (a semi join with
-- the giants' members first, then an anti join, met 92M of 101M band rows in the 10M week)
regrouped as {{ materialized() }} (
    select * from changes
    anti join still_giant using ({{ bucket }})
),

grouped as (
    select
        {{ bucket }},
        count(*) as n_members,
        case
            when count(*) between 2 and {{ var('near_dup_max_bucket') }} then min(message_key)
        end as representative
    from {{ ref('int_message_band_members') }}
    semi join regrouped using ({{ bucket }})
    group by {{ bucket }}
),

current_state as (
    select * from grouped
    union all
    select
        {{ bucket }},
        n_members,
        null as representative
    from still_giant
),

-- the representatives at the last build (a giant that stays one gave no link then either)
kept_state as (
    select
        {{ bucket }},
        any_value(representative) as representative
    from {{ kept_rows('int_message_candidate_links', ['message_key'] + bucket_columns() + ['representative']) }}
    semi join regrouped using ({{ bucket }})
    group by {{ bucket }}
),

final as (
    select
        changes.{{ bucket_columns() | join(", changes.") }},
        coalesce(current_state.n_members, 0) as n_members,
        current_state.representative,
        (current_state.representative is distinct from kept_state.representative) as is_remade
    from changes
    left join current_state using ({{ bucket }})
    left join kept_state using ({{ bucket }})
)

select * from final
