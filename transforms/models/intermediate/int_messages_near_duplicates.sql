-- Near-duplicate messages: templated variants of one text (words inserted or swapped, openers
-- added, emoji or counters appended) grouped into one cluster, in near-linear time.
--
-- 1. int_message_signatures: each distinct normalised text of at least near_dup_min_words words
--    as a word set and its MinHash signature (cached per text).
-- 2. int_message_candidate_links: LSH buckets pair each text with its bucket's first text.
-- 3. int_message_similarity: the candidate pairs whose word-set Jaccard similarity reaches
--    near_dup_jaccard, so a bucket never merges dissimilar texts.
-- 4. Here: clusters are the connected components of those links (min-label propagation, a fixed
--    number of rounds; bucket links are stars, so a few rounds reach the fixed point).
-- Every CTE is materialised: the label rounds each read the previous round twice.
-- Output: one row per linked text, with the key of its cluster (the smallest member key).

-- depends_on: {{ ref('int_message_similarity') }}, {{ ref('int_message_clusters_before') }}
{% if not var('near_duplicates') %}
-- near-duplicate grouping switched off (near_duplicates: false): exact grouping only
select cast(null as string) as message_key, cast(null as string) as cluster_key where false
{% else %}

    with links as {{ materialized() }} (
        select
            a,
            b
        from {{ ref('int_message_similarity') }}
    ),

    edges as {{ materialized() }} (
        select
            a,
            b
        from links
        union
        select
            b,
            a
        from links
    ),

    labels_0 as {{ materialized() }} (
        select
            a as message_key,
            least(a, min(b)) as cluster_key
        from edges group by a
    ),

    {% for round in range(1, var('near_dup_rounds') + 1) %}
        labels_{{ round }} as {{ materialized() }} (
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
        select
            message_key,
            cluster_key
        from labels_{{ var('near_dup_rounds') }}
    )

    select * from final
{% endif %}
