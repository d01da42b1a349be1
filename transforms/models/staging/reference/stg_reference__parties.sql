-- The party reference applied to this build: the seed shipped with the project, or the CSV given
-- with --parties, checked and rewritten as plain UTF-8 by chorus.build (so it is parsed once).
-- Values are matched case-insensitively, so they are lowercased here (and stripped of # and @).

with reference as (
    {{ party_reference_rows() }}
),

final as (
    select
        trim(party) as party,
        lower(trim(signal_type)) as signal_type,
        lower(trim(leading '#@' from trim(value))) as value
    from reference
)

select * from final
