-- Near-duplicate messages: templated variants of one text (words inserted or swapped, openers
-- added, emoji or counters appended) grouped into one cluster, in near-linear time.
--
-- 1. Each distinct normalised text of at least near_dup_min_words words becomes a set of words.
-- 2. MinHash: near_dup_bands * near_dup_rows hash functions, each the minimum over the words.
-- 3. LSH: texts whose signatures agree on a whole band share a bucket; each member of a bucket
--    is linked to the bucket's first text if their word-set Jaccard similarity reaches
--    near_dup_jaccard (estimated from the signatures first, then checked exactly), so a bucket
--    never merges dissimilar texts.
--    Buckets larger than near_dup_max_bucket (texts made of the most common words) are skipped.
-- 4. Clusters are the connected components of those links (min-label propagation, a fixed
--    number of rounds; bucket links are stars, so a few rounds reach the fixed point).
-- Every CTE is materialised: the label rounds each read the previous round twice.
-- Output: one row per linked text, with the key of its cluster (the smallest member key).

-- depends_on: {{ ref('int_tweets_normalised') }}
{% if not var('near_duplicates') %}
-- near-duplicate grouping switched off (near_duplicates: false): exact grouping only
select null::varchar as message_key, null::varchar as cluster_key where false
{% else %}
{% set bands = var('near_dup_bands') %}
{% set rows = var('near_dup_rows') %}

with tweets as (
    select * from {{ ref('int_tweets_normalised') }}
    where not is_retweet
),

messages as materialized (
    select
        message_key,
        list_distinct(string_split(any_value(text_norm), ' ')) as words
    from tweets
    group by message_key
    having len(list_distinct(string_split(any_value(text_norm), ' '))) >= {{ var('near_dup_min_words') }}
),

signatures as materialized (
    select
        message_key,
        list_transform(
            range({{ bands * rows }}),
            lambda i: list_min(list_transform(words, lambda w: hash(w, i)))
        ) as signature
    from messages
),

band_keys as materialized (
    select
        message_key,
        band,
        hash(band, signature[band * {{ rows }} + 1 : (band + 1) * {{ rows }}]) as bucket
    from signatures, range({{ bands }}) as bands(band)
),

buckets as materialized (
    select
        bucket,
        min(message_key) as representative
    from band_keys
    group by bucket
    having count(*) between 2 and {{ var('near_dup_max_bucket') }}
),

candidate_links as materialized (
    select distinct
        band_keys.message_key,
        buckets.representative
    from band_keys
    inner join buckets using (bucket)
    where band_keys.message_key <> buckets.representative
),

estimated as materialized (
    -- cheap first pass: the share of agreeing MinHash values estimates the Jaccard similarity
    -- (computed as a column, then filtered: as a join condition it is evaluated row by row)
    select
        candidate_links.message_key as a,
        candidate_links.representative as b,
        list_sum(list_transform(
            range({{ bands * rows }}),
            lambda i: (left_text.signature[i + 1] = right_text.signature[i + 1])::int
        )) / {{ bands * rows }} as estimate
    from candidate_links
    inner join signatures as left_text on candidate_links.message_key = left_text.message_key
    inner join signatures as right_text on candidate_links.representative = right_text.message_key
),

likely_links as materialized (
    select a, b from estimated where estimate >= {{ var('near_dup_jaccard') }} - 0.15
),

measured as materialized (
    -- exact word-set Jaccard similarity of the likely links
    select
        likely_links.a,
        likely_links.b,
        len(list_intersect(left_text.words, right_text.words))
        / len(list_distinct(list_concat(left_text.words, right_text.words))) as jaccard
    from likely_links
    inner join messages as left_text on likely_links.a = left_text.message_key
    inner join messages as right_text on likely_links.b = right_text.message_key
),

links as materialized (
    select a, b from measured where jaccard >= {{ var('near_dup_jaccard') }}
),

edges as materialized (
    select a, b from links
    union
    select b, a from links
),

labels_0 as materialized (
    select a as message_key, least(a, min(b)) as cluster_key from edges group by a
),

{% for round in range(1, var('near_dup_rounds') + 1) %}
labels_{{ round }} as materialized (
    select
        edges.a as message_key,
        least(any_value(own.cluster_key), min(neighbour.cluster_key)) as cluster_key
    from edges
    inner join labels_{{ round - 1 }} as own on edges.a = own.message_key
    inner join labels_{{ round - 1 }} as neighbour on edges.b = neighbour.message_key
    group by edges.a
),
{% endfor %}

final as (
    select message_key, cluster_key from labels_{{ var('near_dup_rounds') }}
)

select * from final
{% endif %}
