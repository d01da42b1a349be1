{#-
  Message normalisation for grouping: lowercase, strip accents, drop quotes wrapped around the
  text, a leading "RT @x: " and leading @mentions (a reply's addressees), URLs (every tweet gets
  its own t.co link), punctuation and emoji, trailing counters ("... (12)"), and fold whitespace.
  Entities were unescaped at ingest (&amp; -> &).
-#}
{% macro normalise_text(column) -%}
trim(regexp_replace(
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(strip_accents(lower({{ column }})), '^[\s"''«»“”„‘’]+', ''),
                        '^rt @[a-z0-9_]+: ', ''),
                    'https?://[^ ]+', ' ', 'g'),
                '[^a-z0-9#@_]+', ' ', 'g'),
            '^( *@[a-z0-9_]+)+ ', ''),
        '( [0-9]{1,4})+ *$', ''),
    ' +', ' ', 'g'))
{%- endmacro %}

{#- A link as one message: lowercase, no scheme, www., fragment, trailing slash or tracking
    parameters (utm_*, fbclid, igshid), so every share of one page gets the same key. -#}
{% macro normalise_url(column) -%}
regexp_replace(
    regexp_replace(
        regexp_replace(
            regexp_replace(lower({{ column }}), '#.*$', ''),
            '^[a-z][a-z0-9+.-]*://(www\.)?', ''),
        '[?&](utm_[a-z]+|fbclid|igshid)=[^&]*', '', 'g'),
    '/+$', '')
{%- endmacro %}

{#- The number of words of a normalised text (0 for the empty text). -#}
{% macro word_count(column) -%}
case when {{ column }} = '' then 0 else len(string_split({{ column }}, ' ')) end
{%- endmacro %}
