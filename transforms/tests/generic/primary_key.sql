{#- A primary key: no two rows share its values, and none of its columns is NULL, in one query
    (a `unique` and a `not_null` test each would scan the model once more). On a column
    (`data_tests: [primary_key]`) the key is that column; on a model, `columns` lists it, and
    `nullable` names key columns that may be NULL (a campaign with no party), compared as equal
    values. Returns each offending key with its number of rows.
    An incremental model whose build inserts only rows whose `inserted_column` (a key column) is
    listed in `inserted_from` (a ref) checks only those keys: a repeated key has the same value
    there on both rows, and the rows kept were checked by the build that inserted them. An empty
    list (a full build, or nothing changed) checks every key.
    Rows are grouped by the key's 64-bit hash first (one integer per row: grouping 100M band keys
    by their strings took 53 s at 10M tweets, or ran out of memory); only the keys whose hash
    repeats, every repeated key among them, are grouped by their values, so two keys that share
    a hash never fail the test. -#}
{% test primary_key(model, column_name=none, columns=none, nullable=[], inserted_from=none, inserted_column=none) %}
{%- set keys = columns if columns else [column_name] -%}
{%- set key_hash = ('xxhash64' if target.type == 'spark' else 'hash') ~ '(' ~ (keys | join(', ')) ~ ')' -%}
{%- set null_key -%}
{%- for key in keys if key not in nullable %} or {{ key }} is null{% endfor -%}
{%- endset -%}
{%- set checked -%}
{%- if inserted_from is not none %}
    and (
        {{ inserted_column }} is null
        or {{ inserted_column }} in (select {{ inserted_column }} from {{ inserted_from }})
        or not exists (select 1 from {{ inserted_from }})
    )
{%- endif -%}
{%- endset -%}
select {{ keys | join(', ') }}, count(*) as n
from {{ model }}
where (
    {{ key_hash }} in (
        select {{ key_hash }}
        from {{ model }}
        where true{{ checked }}
        group by {{ key_hash }}
        having count(*) > 1
    ){{ null_key }}
){{ checked }}
group by {{ keys | join(', ') }}
having count(*) > 1{{ null_key }}
{% endtest %}
