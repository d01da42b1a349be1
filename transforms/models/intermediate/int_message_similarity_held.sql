-- The similar pairs the last build stored for the texts whose links this build changed
-- (int_message_relinked), read before int_message_similarity deletes them: a pair's similarity
-- never changes (a text's words do not), so the pairs still linked are kept, not measured again.
-- None on a first build, a full refresh and Spark (int_message_similarity is made whole there).

with held as (
    select
        cast(a as string) as a,
        cast(b as string) as b,
        cast(jaccard as double) as jaccard
    from {{ kept_rows('int_message_similarity', ['a', 'b', 'jaccard']) }}
),

final as (
    select
        a,
        b,
        jaccard
    from held
    where a in (select message_key from {{ ref('int_message_relinked') }})
)

select * from final
