-- The days of the lake a build stages again (int_tweets_deduplicated and the per-tweet models
-- after it), with each day's inputs: a fingerprint of the complete inputs whose tweet records
-- fall on the day, and of the inputs whose `delete` notices name one of them.
--
-- A day is staged again when its fingerprint differs from the one its staged rows were made
-- with (a file added or removed, a deletion that came in or went away), or when it has no staged
-- row. A tweet id may have records on several days (archives that disagree on its time): then
-- every day with a record of an id that has a record, or a staged row, on a changed day is staged
-- again too, so that the id's best record is chosen among all of its records, as a full build
-- would. A build with no staged rows yet (the first, a full refresh, Spark) stages every day.
-- The staged rows are the memory of what was staged: the models that follow the same days
-- (int_tweets_normalised, int_tweet_party_signals, the caches) run in the same build, and a build
-- that fails part-way leaves no fingerprint stamp, so the next rebuilds the state from scratch
-- (chorus/build/state.py): they never disagree on what was staged.
--
-- What it reads stays small while the lake grows: an input's days are the day partitions of the
-- parts its audit row lists; the records of the changed days are read from those days' parts
-- only; the records of the whole lake are probed twice for a few ids (the deleted ones, and those
-- with a record on a changed day), reading their ids and days, never their content.

with inputs as (
    select
        sha256,
        parts,
        tweets
    from {{ ref('base_lake__ingest_files') }}
),

-- the complete records' ids, inputs and days (every complete input's, read only where filtered)
records as {{ not_materialized() }} (
    {{ complete_record_days() }}
),

-- the inputs whose audit row lists no part though they hold tweets (written before audit rows
-- listed their parts): their days are read from their records
unlisted as (
    select sha256 from inputs
    where tweets > 0 and not coalesce({{ list_length('parts') }} > 0, false)
),

listed_parts as (
    select
        sha256,
        {{ unnest('parts') }} as part
    from inputs
),

-- each complete input's days: the day partitions (tweets/day=YYYY-MM-DD/) of the parts it lists
input_days as (
    select distinct
        sha256 as file_sha256,
        cast(substr(part, 12, 10) as date) as day
    from listed_parts
    union
    select distinct
        records.file_sha256,
        records.day
    from records
    semi join unlisted on records.file_sha256 = unlisted.sha256
),

deleting_inputs as {{ materialized() }} (
    select distinct
        tweet_id,
        file_sha256
    from ({{ delete_notices() }}) as notices
),

-- the days of the records of the tweets a `delete` notice names
deleted_record_days as (
    select distinct
        records.tweet_id,
        records.day
    from records
    semi join deleting_inputs on records.tweet_id = deleting_inputs.tweet_id
),

day_inputs as {{ materialized() }} (
    select
        day,
        -- the inputs are files' sha256: two sums of 40 bits of them, and their count
        cast(count(*) as string)
        || ':' || cast(sum({{ hex_to_bigint('substr(file_sha256, 1, 10)') }}) as string)
        || ':' || cast(sum({{ hex_to_bigint('substr(file_sha256, 11, 10)') }}) as string) as inputs
    from (
        select
            day,
            file_sha256
        from input_days
        union
        select
            record_days.day,
            deleting_inputs.file_sha256
        from deleting_inputs
        inner join deleted_record_days as record_days
            on deleting_inputs.tweet_id = record_days.tweet_id
    ) as contributions
    group by day
),

-- the staged rows' days and inputs (none on a first build: then every day is changed)
staged as {{ not_materialized() }} (
    select
        tweet_id,
        day,
        day_inputs
    from {{ kept_rows('int_tweets_deduplicated', ['tweet_id', 'day', 'day_inputs']) }}
),

staged_days as (
    select
        day,
        any_value(day_inputs) as inputs
    from staged
    group by day
),

changed as {{ materialized() }} (
    select day_inputs.day
    from day_inputs
    left join staged_days on day_inputs.day = staged_days.day
    where staged_days.inputs is distinct from day_inputs.inputs
    union
    select staged_days.day
    from staged_days
    anti join day_inputs on staged_days.day = day_inputs.day
),

changed_ids as {{ materialized() }} (
    select tweet_id from records semi join changed on records.day = changed.day
    union
    select tweet_id from staged semi join changed on staged.day = changed.day
),

affected as (
    select day from changed
    union
    select day from records semi join changed_ids on records.tweet_id = changed_ids.tweet_id
    union
    select day from staged semi join changed_ids on staged.tweet_id = changed_ids.tweet_id
),

final as (
    select
        affected.day,
        day_inputs.inputs
    from affected
    left join day_inputs on affected.day = day_inputs.day
)

select * from final
