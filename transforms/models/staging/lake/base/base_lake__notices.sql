-- Stream notices and compliance events. notice_no numbers the notices of one line (a v2 compliance
-- page can carry several), so (file_sha256, line_no, notice_no) is a key.

with source as (
    select * from {{ source('lake', 'notices') }}
),

numbered as (
    select
        file_sha256,
        line_no,
        row_number() over (
            partition by file_sha256, line_no order by kind, tweet_id, user_id, detail
        ) as notice_no,
        kind,
        tweet_id,
        user_id,
        detail
    from source
)

select * from numbered
