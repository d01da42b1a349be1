-- Cache: the word set and MinHash signature of every distinct text long enough for
-- near-duplicate matching (near_dup_min_words words). A message key is the md5 of its
-- normalised text, so a key always has the same words and signature: each is computed once.
-- Signature: near_dup_bands * near_dup_rows hash functions, each the minimum over the words
-- (see the minhash_signature macro: the same values on DuckDB and Spark).
-- Incremental, rebuilt in full when the project or its vars change (see chorus/build.py).

{{ config(materialized='incremental') }}

with tweets as (
    select message_key, text_norm
    from {{ ref('int_tweets_normalised') }}
    where message_key like 'tx:%' and {{ 'true' if var('near_duplicates') else 'false' }}
),

new_messages as (
    select
        message_key,
        {{ distinct_words('any_value(text_norm)') }} as words
    from tweets
    {% if is_incremental() %}
    anti join {{ this }} using (message_key)
    {% endif %}
    group by message_key
),

final as (
    select
        message_key,
        words,
        {{ minhash_signature(word_hashes('words'), var('near_dup_bands') * var('near_dup_rows')) }} as signature
    from new_messages
    where {{ list_length('words') }} >= {{ var('near_dup_min_words') }}
)

select * from final
