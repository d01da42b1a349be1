"""The models stay portable between DuckDB and Spark (fast tier: no Spark started).

A model that spells a DuckDB-only construct directly builds on DuckDB and fails only on Spark,
in the slow tier; these checks catch it in `make check`. The engine-specific spellings live in
`transforms/macros/engine.sql` (one `adapter.dispatch` macro each); `tests/test_spark.py` builds
both and compares the results.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chorus.config import DBT_PROJECT_DIR

# DuckDB-only SQL and the macro that replaces it
DUCKDB_ONLY = {
    r"\blist_[a-z_]+\s*\(": "list_length, list_at, list_of, ... (macros/engine.sql)",
    r"\blambda\s+\w+\s*:": "a macro of macros/engine.sql",
    r"\bunnest\s*\(": "unnest (explode on Spark)",
    r"\blist\s*\(": "sorted_set_agg, ordered_struct_agg",
    r"\blen\s*\(": "list_length",
    r"\bstrftime\s*\(": "format_timestamp",
    r"\bepoch\s*\(": "epoch_seconds",
    r"\bformat\s*\(": "concat",
    r"\bstrip_accents\s*\(": "strip_accents (the macro)",
    r"\bstring_split\s*\(": "split_words",
    r"\barg_max\s*\(": "max_by with tuple()",
    r"\bhash\s*\(": "md5 (the same on both engines)",
    r"\bto_(seconds|minutes|days)\s*\(": "interval N seconds",
    r"\*\s*exclude\s*\(": "* except (...), which both engines read",
    r"::\s*varchar\b": "cast(... as string)",
    r"\bas\s+materialized\b": "as {{ materialized() }}",
    r",\s*'g'\s*\)": "regexp_replace_all",
    r"\[\s*\]": "empty_list()",
    r"\^": "power()",
    r"\bround\s*\(": "floor(x * 1eN + 0.5) / 1eN (the engines' round() break ties differently)",
    r"\bread_(csv|parquet|json)\w*\s*\(": "a source (macros/lake.sql)",
}

SQL_FILES = sorted(p for folder in ("models", "tests") for p in (DBT_PROJECT_DIR / folder).rglob("*.sql"))


def code_of(path: Path) -> str:
    """The SQL without comments, string literals and Jinja (what the engines parse)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_models_spell_nothing_duckdb_only(path: Path) -> None:
    code = code_of(path)
    found = [
        f"{pattern} -> use {fix}" for pattern, fix in DUCKDB_ONLY.items() if re.search(pattern, code, re.I)
    ]
    assert not found, f"{path.relative_to(DBT_PROJECT_DIR)}: " + "; ".join(found)


def test_the_check_finds_duckdb_only_sql(tmp_path: Path) -> None:
    model = tmp_path / "m.sql"
    model.write_text("select list_transform(xs, lambda x: x + 1), strftime(t, '%Y') from t -- epoch(t)\n")
    code = code_of(model)
    hits = [p for p in DUCKDB_ONLY if re.search(p, code, re.I)]
    assert hits == [r"\blist_[a-z_]+\s*\(", r"\blambda\s+\w+\s*:", r"\bstrftime\s*\("]


def test_every_engine_macro_has_both_spellings() -> None:
    """Each dispatched macro in engine.sql has a DuckDB (default__) and a Spark (spark__) body."""
    text = (DBT_PROJECT_DIR / "macros" / "engine.sql").read_text(encoding="utf-8")
    dispatched = set(re.findall(r"adapter\.dispatch\('(\w+)'", text))
    assert len(dispatched) >= 15
    for name in dispatched:
        assert f"macro default__{name}(" in text, name
        assert f"macro spark__{name}(" in text, name


def test_the_spark_java_options_keep_a_hostile_home_whole(tmp_path: Path) -> None:
    """Spark splits extraJavaOptions on spaces, honouring quotes: a home with spaces, quotes and
    brackets must stay one option (it once stopped the JVM from starting)."""
    import shlex
    from dataclasses import replace

    from chorus.build import spark_environment
    from chorus.config import Settings

    settings = replace(Settings.make(tmp_path / 'q\'h [1] "x"'), engine="spark")
    options = spark_environment(settings, has_tweets=True)["CHORUS_SPARK_JAVA_OPTIONS"]
    assert shlex.split(options) == [f"-Dderby.system.home={settings.spark_dir}"]


def test_sparks_accent_table_is_duckdbs_strip_accents() -> None:
    """Spark's strip_accents translates the letters DuckDB's maps to another letter: the same
    table, letter for letter, over the Basic Multilingual Plane (a message normalised on either
    engine gets the same key)."""
    import duckdb

    engine = (DBT_PROJECT_DIR / "macros" / "engine.sql").read_text(encoding="utf-8")
    found = re.search(
        r"spark__strip_accents.*?translate\(\{\{ text \}\}, '([^']*)', '([^']*)'\)", engine, re.S
    )
    assert found, "spark__strip_accents translates a table"
    spark = dict(zip(found.group(1), found.group(2), strict=True))
    letters = [chr(c) for c in range(0xA0, 0x10000) if not 0xD800 <= c < 0xE000]
    duck = dict(
        duckdb.execute(
            "select letter, strip_accents(letter) from unnest(?) as t(letter) "
            "where strip_accents(letter) <> letter and length(strip_accents(letter)) = 1",
            [letters],
        ).fetchall()
    )
    assert len(duck) > 1000  # Latin, Greek, Cyrillic, Arabic, Indic, ...
    assert spark == duck
