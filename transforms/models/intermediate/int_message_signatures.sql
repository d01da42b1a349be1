-- Cache: the word set and MinHash signature of every distinct text long enough for
-- near-duplicate matching (near_dup_min_words words). A message key is the md5 of its
-- normalised text, so a key always has the same words and signature: each is computed once.
-- Signature: near_dup_bands * near_dup_rows hash functions, each the minimum over the words
-- (see the minhash_minimums macro: the same values on DuckDB and Spark), computed as
-- aggregates over one row per word.
-- A text of more than near_dup_max_words words (a long-form post, a hostile file of
-- 68,000-character texts; never a tweet of 280 characters) keeps as its word set a bottom-k
-- sketch: the near_dup_max_words distinct words with the smallest hashes. Its signature is that
-- of the sketch, and the Jaccard of two sketches estimates theirs, so comparing two texts costs
-- at most near_dup_max_words^2, not the square of their length. The sketch is taken from rows
-- of the text's words, numbered texts rather than named ones: a distinct list of each long
-- text's words (2,000 texts of 8,000 words) held 1.9 GB and ran out of memory.
-- Incremental (the texts of the days a build stages again, int_lake_days_affected, that it has not
-- seen), rebuilt in full when the project or its vars change (see chorus/build/state.py).

-- depends_on: {{ ref('int_lake_days_affected') }}
{{ config(materialized='incremental') }}

{% set hashes = var('near_dup_bands') * var('near_dup_rows') %}
{% set max_words = var('near_dup_max_words') %}
{% set minimum_columns = [] %}
{% for i in range(hashes) %}{% do minimum_columns.append('minimums.minhash_' ~ i) %}{% endfor %}

with tweets as (
    select
        message_key,
        text_norm
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%' and {{ 'true' if var('near_duplicates') else 'false' }}
    {% if is_incremental() %}
        -- the others' messages were all seen when their days were staged
        and {{ on_affected_days('cast(created_at as date)') }}
    {% endif %}
),

new_texts as {{ materialized() }} (
    select
        message_key,
        text_norm,
        -- its words less one (words are separated by single spaces)
        length(text_norm) - length(replace(text_norm, ' ', '')) as n_spaces
    from (
        select
            message_key,
            any_value(text_norm) as text_norm
        from tweets
        {% if is_incremental() %}
        anti join {{ this }} using (message_key)
        {% endif %}
        group by message_key
    ) as texts
),

short_texts as (
    select
        message_key,
        {{ distinct_words('text_norm') }} as words
    from new_texts
    where n_spaces < {{ max_words }}
),

long_texts as {{ materialized() }} (
    select
        message_key,
        text_norm,
        row_number() over (order by message_key) as text_id
    from new_texts
    where n_spaces >= {{ max_words }}
),

long_words as (
    select
        text_id,
        word,
        {{ word_hash('word') }} as word_hash
    from (
        select
            text_id,
            {{ unnest(split_words('text_norm')) }} as word
        from long_texts
    ) as occurrences
),

sketch_words as (
    select distinct
        text_id,
        word
    from (
        select
            text_id,
            word,
            dense_rank() over (partition by text_id order by word_hash, word) as word_rank
        from long_words
    ) as ranked
    where word_rank <= {{ max_words }}
),

long_sketches as (
    select
        long_texts.message_key,
        sketches.words
    from (
        select
            text_id,
            {{ sorted_set_agg('word') }} as words
        from sketch_words
        group by text_id
    ) as sketches
    inner join long_texts using (text_id)
),

-- materialized: else the filter below computes each text's word list a second time
new_messages as {{ materialized() }} (
    select
        message_key,
        words
    from short_texts
    union all
    select
        message_key,
        words
    from long_sketches
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

final as (
    select
        long_enough.message_key,
        long_enough.words,
        {{ list_of(minimum_columns) }} as signature
    from long_enough
    inner join minimums using (message_key)
)

select * from final
