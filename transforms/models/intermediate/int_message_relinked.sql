-- The texts whose LSH candidate links a build changed: the texts added and removed, and the
-- members of the buckets remade (int_message_bucket_changes). The similarity of every other
-- text's candidate pairs is kept from the last build (int_message_similarity).

{% set bucket = bucket_columns() | join(', ') %}

with remade as (
    select * from {{ ref('int_message_bucket_changes') }}
    where is_remade
),

final as (
    select message_key
    from {{ ref('int_message_band_members') }}
    semi join remade using ({{ bucket }})
    union
    select message_key
    from {{ ref('int_message_band_changes') }}
)

select * from final
