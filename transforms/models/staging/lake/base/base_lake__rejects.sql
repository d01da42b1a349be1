-- Rejected input lines. One line can give several rejects (the tweets of a v2 page are judged one
-- by one): reject_no numbers them within their line, so (file_sha256, line_no, reject_no) is a key.

with source as (
    select * from {{ source('lake', 'rejects') }}
),

numbered as (
    select
        path,
        file_sha256,
        line_no,
        row_number() over (partition by file_sha256, line_no order by reason, raw) as reject_no,
        reason,
        raw
    from source
)

select * from numbered
