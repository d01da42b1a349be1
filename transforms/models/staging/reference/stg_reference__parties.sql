-- The party reference applied to this build: the seed shipped with the project, or the CSV given
-- with --parties, checked and rewritten as plain UTF-8 by chorus.build (so it is parsed once).
-- Values are matched case-insensitively, so they are lowercased here (and stripped of # and @).

with reference as (
    select * from read_csv(
        {{ sql_literal(var('parties_csv')) }},
        header = true,
        all_varchar = true,
        columns = {'party': 'varchar', 'signal_type': 'varchar', 'value': 'varchar'}
    )
),

final as (
    select
        trim(party) as party,
        lower(trim(signal_type)) as signal_type,
        lower(ltrim(trim(value), '#@')) as value
    from reference
)

select * from final
