{#- A primary key: no two rows share its values, and none of its columns is NULL, in one query
    (a `unique` and a `not_null` test each would scan the model once more). On a column
    (`data_tests: [primary_key]`) the key is that column; on a model, `columns` lists it, and
    `nullable` names key columns that may be NULL (a campaign with no party), compared as equal
    values. Returns each offending key with its number of rows.
    An incremental model whose build inserts only rows whose `inserted_column` (a key column) is
    listed in `inserted_from` (a ref) checks only those keys: a repeated key has the same value
    there on both rows, and the rows kept were checked by the build that inserted them. An empty
    list (a full build, or nothing changed) checks every key. `inserted_key` is the key's value in
    `inserted_from` when it is not that column (an expression on its columns). A cache that
    inserts only keys of the rows of a model kept per day on the days a build stages again names
    that day in `inserted_on_days` (an expression on `inserted_from`): only those rows' keys are
    checked, and every key when every row of `inserted_from` is on such a day (a full build).
    A model kept per day (rows made again on the days a build stages again) names the day of a
    row in `inserted_days` (an expression on its columns): only the keys of the rows on those days
    (int_lake_days_affected) are looked for elsewhere in the model, and only those rows' NULL keys
    are reported: a repeated key is on an affected day on at least one of its rows, and a NULL key
    was reported by the build that inserted it. A row whose day is NULL is always checked; a full
    build (every day affected) checks every key, as the plain test does, and so does Spark (its
    builds are whole). `days_whole` says more: all the rows of a key lie on days that are staged
    again together (the key names its input, and every day of an input is staged again in the
    build that first reads it), so only the rows on those days are read at all.
    Rows are grouped by the key's 64-bit hash first (one integer per row: grouping 100M band keys
    by their strings took 53 s at 10M tweets, or ran out of memory); only the keys whose hash
    repeats, every repeated key among them, are grouped by their values, so two keys that share
    a hash never fail the test. -#}
{% test primary_key(model, column_name=none, columns=none, nullable=[], inserted_from=none, inserted_column=none, inserted_key=none, inserted_on_days=none, inserted_days=none, days_whole=false) %}
{%- set keys = columns if columns else [column_name] -%}
{%- set key_hash = ('xxhash64' if target.type == 'spark' else 'hash') ~ '(' ~ (keys | join(', ')) ~ ')' -%}
{%- set null_key -%}
{%- for key in keys if key not in nullable %} or {{ key }} is null{% endfor -%}
{%- endset -%}
{%- set checked -%}
{%- if inserted_from is not none %}
{#- every key on a full build: when no row is listed, or with inserted_on_days every row on a day made again -#}
{%- if inserted_on_days is not none %}
{%- set listed = on_affected_days('cast(' ~ inserted_on_days ~ ' as date)') %}
{%- set whole = 'not (' ~ listed ~ ')' %}
{%- else %}
{%- set listed, whole = 'true', 'true' %}
{%- endif %}
    and (
        {{ inserted_column }} is null
        or {{ inserted_column }} in (select {{ inserted_key or inserted_column }} from {{ inserted_from }} where {{ listed }})
        or not exists (select 1 from {{ inserted_from }} where {{ whole }})
    )
{%- endif -%}
{%- endset -%}
{%- if inserted_days is not none and target.type != 'spark' %}
{%- set inserted -%}
coalesce({{ on_affected_days('cast(' ~ inserted_days ~ ' as date)') }}, true)
{%- endset -%}
{%- if days_whole %}
with keyed as (
    {{ rows_on_affected_days(model, keys + [key_hash ~ ' as key_hash'], inserted_days) }}
),

repeated as (
    select key_hash
    from keyed
    group by 1
    having count(*) > 1
)

select {{ keys | join(', ') }}, count(*) as n
from keyed
where key_hash in (select key_hash from repeated){{ null_key }}
group by {{ keys | join(', ') }}
having count(*) > 1{{ null_key }}
{%- else %}
with scope as (
    -- every row on an affected day (a first build, a full refresh): the plain test
    select not exists (select 1 from {{ model }} where not {{ inserted }}) as is_whole
),

inserted as (
    select {{ key_hash }} as key_hash
    from {{ model }}
    where {{ inserted }} and not (select is_whole from scope)
),

repeated as (
    select {{ key_hash }} as key_hash
    from {{ model }}
    where {{ key_hash }} in (select key_hash from inserted)
    group by 1
    having count(*) > 1
    union all
    select {{ key_hash }} as key_hash
    from {{ model }}
    where (select is_whole from scope)
    group by 1
    having count(*) > 1
)

select {{ keys | join(', ') }}, count(*) as n
from {{ model }}
where {{ key_hash }} in (select key_hash from repeated){% if null_key %} or ({{ inserted }} and (false{{ null_key }})){% endif %}
group by {{ keys | join(', ') }}
having count(*) > 1{{ null_key }}
{%- endif %}
{% else -%}
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
{% endif %}
{% endtest %}
