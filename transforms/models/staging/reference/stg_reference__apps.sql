-- Known posting apps: manual clients (people typing), share buttons, cross-posters.
-- An app not listed here is unknown: neither assumed manual nor assumed automated.

with apps as (
    select * from {{ ref('app_catalogue') }}
),

final as (
    select
        lower(trim(source)) as source_key,
        kind
    from apps
)

select * from final
