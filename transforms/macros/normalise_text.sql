{#-
  Message normalisation for grouping: lowercase, strip accents, drop a leading "RT @x: ",
  URLs (every tweet gets its own t.co link), punctuation and emoji, trailing counters
  ("... (12)"), and fold whitespace. Entities were unescaped at ingest (&amp; -> &).
-#}
{% macro normalise_text(column) -%}
trim(regexp_replace(
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(strip_accents(lower({{ column }})), '^rt @[a-z0-9_]+: ', ''),
                'https?://[^ ]+', ' ', 'g'),
            '[^a-z0-9#@_]+', ' ', 'g'),
        '( [0-9]{1,4})+ *$', ''),
    ' +', ' ', 'g'))
{%- endmacro %}
