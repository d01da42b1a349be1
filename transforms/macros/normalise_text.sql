{#-
  Message normalisation for grouping: lowercase, strip accents and other marks, drop quotes
  wrapped around the text, a leading "RT @x: " and leading @mentions (a reply's addressees), URLs
  (every tweet gets its own t.co link), punctuation, symbols and emoji, trailing counters
  ("... (12)"), and fold whitespace. Letters and digits of every script are kept (Cyrillic,
  Arabic, Greek, ...); in scripts written without spaces between words (Chinese, Japanese, Thai,
  Lao, Khmer, Burmese) each character counts as a word. Entities were unescaped at ingest
  (&amp; -> &). Anchored patterns match once on either engine.
-#}
{% macro normalise_text(column) -%}
{%- set text = strip_accents('lower(' ~ column ~ ')') -%}
{#- quotes wrapped around the text, a leading "RT @x: " -#}
{%- set text %}regexp_replace(regexp_replace({{ text }}, '^[\s"''«»“”„‘’]+', ''), '^rt @[a-z0-9_]+: ', ''){% endset -%}
{#- links; then a space around each character of a script without word spaces -#}
{%- set text = space_out_unspaced_scripts(regexp_replace_all(text, "'https?://[^ ]+'", "' '")) -%}
{#- anything but letters, digits, # @ _ (punctuation, symbols, emoji, spaces): each run becomes one
    space, so no run of spaces is left either -#}
{%- set text = regexp_replace_all(text, "'[^\\p{L}\\p{N}#@_]+'", "' '") -%}
{#- leading @mentions, trailing counters -#}
{%- set text %}regexp_replace(regexp_replace({{ text }}, '^( *@[a-z0-9_]+)+ ', ''), '( [0-9]{1,4})+ *$', ''){% endset -%}
trim({{ text }})
{%- endmacro %}

{#- Each character of the scripts written without spaces between words (Han, Hiragana, Katakana,
    Thai, Lao, Khmer, Myanmar) set apart by spaces, so that it counts as a word. -#}
{% macro space_out_unspaced_scripts(text) %}{{ return(adapter.dispatch('space_out_unspaced_scripts', 'chorus')(text)) }}{% endmacro %}
{% macro default__space_out_unspaced_scripts(text) -%}
regexp_replace({{ text }}, '([\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}])', ' \1 ', 'g')
{%- endmacro %}
{% macro spark__space_out_unspaced_scripts(text) -%}
regexp_replace({{ text }}, '([\p{IsHan}\p{IsHiragana}\p{IsKatakana}\p{IsThai}\p{IsLao}\p{IsKhmer}\p{IsMyanmar}])', ' $1 ')
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
