-- Cache: the word set and MinHash signature of every distinct text long enough for
-- near-duplicate matching (near_dup_min_words words). A message key is the md5 of its
-- normalised text, so a key always has the same words and signature: each is computed once.
-- Signature: near_dup_bands * near_dup_rows hash functions, each the minimum over the words
-- (see the minhash_minimums macro: the same values on DuckDB and Spark), computed as
-- aggregates over one row per word.
-- A text of more than near_dup_max_words distinct words (a long-form post, a hostile file of
-- 68,000-character texts) keeps as its word set the near_dup_max_words words with the smallest
-- hashes (a bottom-k sketch): the Jaccard of two such sketches estimates theirs, and comparing
-- two texts costs at most near_dup_max_words^2, not the square of their length.
-- Incremental, rebuilt in full when the project or its vars change (see chorus/build/state.py).

{{ config(materialized='incremental') }}

{% set hashes = var('near_dup_bands') * var('near_dup_rows') %}
{% set minimum_columns = [] %}
{% for i in range(hashes) %}{% do minimum_columns.append('minimums.minhash_' ~ i) %}{% endfor %}

with tweets as (
    select
        message_key,
        text_norm
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%' and {{ 'true' if var('near_duplicates') else 'false' }}
),

-- materialized: else the filter below computes each text's word list a second time
new_messages as {{ materialized() }} (
    select
        message_key,
        {{ distinct_words('any_value(text_norm)') }} as words
    from tweets
    {% if is_incremental() %}
    anti join {{ this }} using (message_key)
    {% endif %}
    group by message_key
),

long_enough as {{ materialized() }} (
    select
        message_key,
        words
    from new_messages
    where {{ list_length('words') }} >= {{ var('near_dup_min_words') }}
),

word_rows as (
    select
        message_key,
        {{ unnest('words') }} as word
    from long_enough
),

-- each distinct word hashed once (an md5 per word of every text cost more than the join)
word_hashes as (
    select
        word,
        {{ word_hash('word') }} as word_hash
    from (select distinct word from word_rows) as vocabulary
),

minimums as (
    select
        word_rows.message_key,
        {{ minhash_minimums('word_hashes.word_hash', hashes) }}
    from word_rows
    inner join word_hashes using (word)
    group by word_rows.message_key
),

sketches as (
    -- the bottom-k word sets of the texts too long to compare whole
    select
        message_key,
        {{ sorted_set_agg('word') }} as words
    from (
        select
            word_rows.message_key,
            word_rows.word,
            row_number() over (
                partition by word_rows.message_key order by word_hashes.word_hash, word_rows.word
            ) as word_rank
        from word_rows
        inner join word_hashes using (word)
        semi join (
            select message_key from long_enough
            where {{ list_length('words') }} > {{ var('near_dup_max_words') }}
        ) as too_long using (message_key)
    ) as ranked
    where word_rank <= {{ var('near_dup_max_words') }}
    group by message_key
),

final as (
    select
        long_enough.message_key,
        coalesce(sketches.words, long_enough.words) as words,
        {{ list_of(minimum_columns) }} as signature
    from long_enough
    inner join minimums using (message_key)
    left join sketches using (message_key)
)

select * from final
