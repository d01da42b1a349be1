{#-
  Message normalisation for grouping: lowercase, strip accents, drop quotes wrapped around the
  text, a leading "RT @x: " and leading @mentions (a reply's addressees), URLs (every tweet gets
  its own t.co link), punctuation and emoji, trailing counters ("... (12)"), and fold whitespace.
  Entities were unescaped at ingest (&amp; -> &). Anchored patterns match once on either engine.
-#}
{% macro normalise_text(column) -%}
{%- set text = strip_accents('lower(' ~ column ~ ')') -%}
{#- quotes wrapped around the text, a leading "RT @x: " -#}
{%- set text %}regexp_replace(regexp_replace({{ text }}, '^[\s"''«»“”„‘’]+', ''), '^rt @[a-z0-9_]+: ', ''){% endset -%}
{#- links, then punctuation and emoji -#}
{%- set text = regexp_replace_all(regexp_replace_all(text, "'https?://[^ ]+'", "' '"), "'[^a-z0-9#@_]+'", "' '") -%}
{#- leading @mentions, trailing counters -#}
{%- set text %}regexp_replace(regexp_replace({{ text }}, '^( *@[a-z0-9_]+)+ ', ''), '( [0-9]{1,4})+ *$', ''){% endset -%}
trim({{ regexp_replace_all(text, "' +'", "' '") }})
{%- endmacro %}

{#- A link as one message: lowercase, no scheme, www., fragment, trailing slash or tracking
    parameters (utm_*, fbclid, igshid), so every share of one page gets the same key. -#}
{% macro normalise_url(column) -%}
{%- set link %}regexp_replace(regexp_replace(lower({{ column }}), '#.*$', ''), '^[a-z][a-z0-9+.-]*://(www\.)?', ''){% endset -%}
regexp_replace({{ regexp_replace_all(link, "'[?&](utm_[a-z]+|fbclid|igshid)=[^&]*'", "''") }}, '/+$', '')
{%- endmacro %}

{#- The number of words of a normalised text (0 for the empty text). -#}
{% macro word_count(column) -%}
case when {{ column }} = '' then 0 else {{ list_length(split_words(column)) }} end
{%- endmacro %}
