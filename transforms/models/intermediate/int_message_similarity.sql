-- Cache: how similar each candidate pair of texts is, computed once per pair.
-- First the share of agreeing MinHash values estimates the word-set Jaccard similarity (cheap);
-- pairs whose estimate comes within 0.15 of near_dup_jaccard are then measured exactly.
-- jaccard is null for pairs the estimate ruled out.
-- Incremental, rebuilt in full when the project or its vars change (see chorus/build.py).

{{ config(materialized='incremental') }}

{% set hashes = var('near_dup_bands') * var('near_dup_rows') %}

with new_links as (
    select
        message_key as a,
        representative as b
    from {{ ref('int_message_candidate_links') }}
    {% if is_incremental() %}
    anti join {{ this }} as seen
        on seen.a = message_key and seen.b = representative
    {% endif %}
),

signatures as (
    select * from {{ ref('int_message_signatures') }}
),

estimated as {{ materialized() }} (
    -- computed as a column, then filtered: as a join condition it is evaluated row by row
    select
        new_links.a,
        new_links.b,
        {{ count_equal_positions('left_text.signature', 'right_text.signature', hashes) }} / {{ hashes }} as estimate
    from new_links
    inner join signatures as left_text on new_links.a = left_text.message_key
    inner join signatures as right_text on new_links.b = right_text.message_key
),

measured as {{ materialized() }} (
    select
        estimated.a,
        estimated.b,
        {{ set_jaccard('left_text.words', 'right_text.words') }} as jaccard
    from estimated
    inner join signatures as left_text on estimated.a = left_text.message_key
    inner join signatures as right_text on estimated.b = right_text.message_key
    where estimated.estimate >= {{ var('near_dup_jaccard') }} - 0.15
),

final as (
    select
        estimated.a,
        estimated.b,
        estimated.estimate,
        measured.jaccard
    from estimated
    left join measured using (a, b)
)

select * from final
