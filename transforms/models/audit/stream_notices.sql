with notices as (
    select * from {{ source('lake', 'notices') }}
),

final as (
    select
        file_sha256,
        line_no,
        kind,
        tweet_id,
        user_id
    from notices
)

select * from final
