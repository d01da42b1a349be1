with members as (
    select * from {{ ref('int_messages_grouped_to_campaigns') }}
),

final as (
    select
        campaign_id,
        tweet_id,
        user_id,
        created_at
    from members
)

select * from final
