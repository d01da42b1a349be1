-- One row per account of the archive: what the archive says of it (creation time, followers,
-- following, tweet count, and its profile: name, description, location, verified, protected,
-- default image, lists, likes; the latest value any of its tweets carries, NULL where none does:
-- a missing field is missing, not 0), its activity in the archive, and whether it is a public
-- identity.
-- Incremental on DuckDB: a build makes again the accounts whose tweets it can change (the
-- affected_accounts macro: the authors of the rows staged on the days it stages again, before and
-- after) from all their tweets, and keeps the others; a table on Spark.

-- depends_on: {{ ref('int_lake_accounts_affected') }}, {{ ref('int_lake_days_affected') }}
{{ kept_in_state("user_id in ({{ affected_accounts() }})") }}

{% set latest = tuple(['created_at', 'tweet_id']) %}
{% set latest_values = [
    ('screen_name', 'screen_name'), ('user_created_at', 'account_created_at'),
    ('user_followers', 'followers'), ('user_following', 'following'), ('user_tweets', 'statuses'),
    ('user_name', 'display_name'), ('user_description', 'description'), ('user_location', 'location'),
    ('user_verified', 'is_verified'), ('user_protected', 'is_protected'),
    ('user_default_image', 'has_default_image'), ('user_listed', 'listed'), ('user_favourites', 'favourites'),
] %}

with tweets as (
    select * from {{ ref('int_tweets_deduplicated') }}
    where user_id is not null
    {% if is_incremental() %}
    and user_id in ({{ affected_accounts() }})
    {% endif %}
),

reference_accounts as (
    select distinct value as screen_key
    from {{ ref('stg_reference__parties') }}
    where signal_type = 'account'
),

latest as (
    select
        user_id,
        {%- for column, name in latest_values %}
            max_by({{ column }}, {{ latest }}) filter (where {{ column }} is not null) as {{ name }},
        {%- endfor %}
        count(*) as n_tweets,
        min(created_at) as first_tweet_at,
        max(created_at) as last_tweet_at
    from tweets
    group by user_id
),

-- A public identity (verified, or named in the party reference as a party's own account) is
-- decided here once: its posts are a party's open messaging, never a persona's or a bot's.
final as (
    select
        latest.*,
        reference_accounts.screen_key is not null as is_reference_account,
        coalesce(latest.is_verified, false) or reference_accounts.screen_key is not null as is_public
    from latest
    left join reference_accounts on lower(latest.screen_name) = reference_accounts.screen_key
)

select * from final
