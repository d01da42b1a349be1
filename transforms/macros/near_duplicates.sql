{#- The columns that name an LSH bucket: the band and its near_dup_rows signature values. -#}
{% macro bucket_columns() %}
{%- set columns = ['band'] -%}
{%- for row in range(var('near_dup_rows')) %}{% do columns.append('value_' ~ row) %}{% endfor -%}
{{ return(columns) }}
{% endmacro %}

{#- The LSH band keys of the texts in `texts` (a relation or subquery with message_key and
    signature): one row per text and band, with the band's near_dup_rows signature values
    (value_0, value_1, ...) and the texts' `columns` after them. A bucket is the texts that share
    a band and its values. -#}
{% macro band_keys(texts, columns=[]) %}
{%- set rows = var('near_dup_rows') -%}
    select
        texts.message_key,
        bands.band,
        {% for row in range(rows) -%}
        {{ list_at('texts.signature', 'bands.band * ' ~ rows ~ ' + ' ~ (row + 1)) }} as value_{{ row }}{{ ',' if not loop.last or columns }}
        {% endfor %}
        {%- for column in columns %}texts.{{ column }}{{ ',' if not loop.last }}
        {% endfor %}
    from {{ texts }} as texts
    cross join (select {{ unnest(series(0, var('near_dup_bands') - 1)) }} as band) as bands
{% endmacro %}

{#- The texts the lake holds that have a signature: message_key and signature (a cached
    signature whose tweets are all gone is left out). -#}
{% macro current_signatures() %}
    select
        signatures.message_key,
        signatures.signature
    from {{ ref('int_message_signatures') }} as signatures
    semi join (
        select message_key
        from {{ ref('int_tweets_normalised') }}
        where message_key like 'tx:%'
    ) as current_messages on signatures.message_key = current_messages.message_key
{% endmacro %}

{#- The exact messages (int_tweets_normalised.message_key) of the campaign messages the CTE
    `campaign_messages` lists (a column message_key): a campaign message is a near-duplicate
    cluster's key (its smallest text's) or a message in no cluster, so its exact messages are
    itself and the texts whose cluster it is. -#}
{% macro exact_messages(campaign_messages) %}
    select message_key from {{ campaign_messages }}
    union
    select near_duplicates.message_key
    from {{ ref('int_messages_near_duplicates') }} as near_duplicates
    semi join {{ campaign_messages }} on near_duplicates.cluster_key = {{ campaign_messages }}.message_key
{% endmacro %}
