with notices as (
    select * from {{ ref('base_lake__notices') }}
),

final as (
    select
        file_sha256,
        line_no,
        notice_no,
        kind,
        tweet_id,
        user_id,
        detail
    from notices
)

select * from final
