-- Cache: the normalised form of every distinct tweet text, computed once per text.
-- Incremental: a build normalises only the texts of the days it stages again
-- (int_lake_days_affected) that it has not seen before. `chorus build` rebuilds
-- it from scratch (--full-refresh) whenever the dbt project or its vars change, so the cache
-- never outlives the rules that filled it. It lives in the build state, never in the warehouse.

-- depends_on: {{ ref('int_lake_days_affected') }}
{{ config(materialized='incremental') }}

with texts as (
    select
        md5(text) as text_md5,
        any_value(text) as text
    from {{ ref('int_tweets_deduplicated') }}
    where text is not null
    {% if is_incremental() %}
        and {{ on_affected_days('day') }}
    {% endif %}
    group by 1
),

new_texts as (
    select * from texts
    {% if is_incremental() %}
    anti join {{ this }} using (text_md5)
    {% endif %}
),

final as (
    select
        text_md5,
        {{ normalise_text('text') }} as text_norm
    from new_texts
)

select * from final
