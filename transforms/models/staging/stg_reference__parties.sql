-- The party reference: the seed shipped with the project, or the CSV given with --parties.
-- Values are matched case-insensitively, so they are lowercased here (and stripped of # and @).

with reference as (
    {% if var('parties_csv') %}
    select * from read_csv({{ sql_literal(var('parties_csv')) }}, header = true, all_varchar = true)
    {% else %}
    select * from {{ ref('party_reference') }}
    {% endif %}
),

final as (
    select
        trim(party) as party,
        lower(trim(signal_type)) as signal_type,
        lower(ltrim(trim(value), '#@')) as value
    from reference
)

select * from final
