"""The dbt project's conventions, read from its files (no dbt run): a primary key on every model."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import jinja2
import pytest
import yaml

from chorus.config import DBT_PROJECT_DIR

MODELS = DBT_PROJECT_DIR / "models"


def declared_models() -> dict[str, dict[str, Any]]:
    """Every model's YAML entry, by name."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(MODELS.rglob("*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models") or []:
            found[model["name"]] = model
    return found


def generic_tests(tests: list[Any]) -> set[str]:
    """The generic tests of a `data_tests` list, by name (`unique` or `{primary_key: {...}}`)."""
    return {next(iter(t)) if isinstance(t, dict) else t for t in tests}


def pk_tests(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The model-level primary_key tests' settings (arguments, config)."""
    tests = model.get("data_tests") or []
    return [t["primary_key"] for t in tests if isinstance(t, dict) and "primary_key" in t]


def primary_keys(model: dict[str, Any]) -> list[list[str]]:
    """The key columns of each primary_key test of a model (on a column, or on the model)."""
    keys = [test["arguments"]["columns"] for test in pk_tests(model)]
    for column in model.get("columns") or []:
        if "primary_key" in generic_tests(column.get("data_tests") or []):
            keys.append([column["name"]])
    return keys


def test_every_model_has_one_primary_key_test() -> None:
    models = declared_models()
    files = {path.stem for path in MODELS.rglob("*.sql")}
    assert files == set(models), "every model file has a YAML entry and every entry a file"
    without = [name for name, model in models.items() if len(primary_keys(model)) != 1]
    assert not without, f"models without exactly one primary_key test: {without}"


def test_keys_name_the_models_columns_and_nullable_keys_are_key_columns() -> None:
    for name, model in declared_models().items():
        columns = {c["name"] for c in model.get("columns") or []}
        for test in pk_tests(model):
            arguments = test["arguments"]
            assert set(arguments.get("nullable", [])) <= set(arguments["columns"]), name
            if model.get("config", {}).get("contract"):  # a contract lists every column
                assert set(arguments["columns"]) <= columns, name


def test_no_model_spells_a_key_as_separate_unique_and_not_null_tests() -> None:
    """One query per key: `unique` or `unique_combination` beside `not_null` would scan twice.
    (A key test kept as a warning keeps its columns' own not_null tests, which stay errors.)"""
    for name, model in declared_models().items():
        assert "unique_combination" not in generic_tests(model.get("data_tests") or []), name
        strict = {
            column
            for test in pk_tests(model)
            if (test.get("config") or {}).get("severity") != "warn"
            for column in set(test["arguments"]["columns"]) - set(test["arguments"].get("nullable", []))
        }
        for column in model.get("columns") or []:
            tests = generic_tests(column.get("data_tests") or [])
            assert "unique" not in tests, (name, column["name"])
            keyed = column["name"] in strict or "primary_key" in tests
            assert not (keyed and "not_null" in tests), (name, column["name"])


def render_test(test: str, model: str, engine: str = "duckdb", **arguments: Any) -> str:
    """A generic test's SQL for `model` on `engine`, rendered as dbt would (its block read as
    a macro, after the project's macros of the build state it calls)."""
    source = (DBT_PROJECT_DIR / "macros" / "state.sql").read_text()
    source += (DBT_PROJECT_DIR / "tests" / "generic" / f"{test}.sql").read_text()
    source = source.replace("{% test ", "{% macro ").replace("{% endtest %}", "{% endmacro %}")
    environment = jinja2.Environment()
    environment.globals["target"] = {"type": engine}
    environment.globals["ref"] = lambda name: name  # the models it reads, as tables of the same name
    macro = getattr(environment.from_string(source).module, test)
    return str(macro(model, **arguments))


def render_primary_key(model: str, engine: str = "duckdb", **arguments: Any) -> str:
    return render_test("primary_key", model, engine, **arguments)


INSERTED = {"inserted_from": "i", "inserted_column": "k"}
NONE_INSERTED = {"inserted_from": "(select k from i where false)", "inserted_column": "k"}


@pytest.mark.parametrize(
    ("rows", "arguments", "failing"),
    [
        ([(1, "a"), (2, "a")], {"column_name": "k"}, 0),
        ([(1, "a"), (1, "b")], {"column_name": "k"}, 1),
        ([(1, "a"), (None, "b")], {"column_name": "k"}, 1),
        ([(1, "a"), (1, "b")], {"columns": ["k", "p"]}, 0),
        ([(1, "a"), (1, "a"), (2, "a")], {"columns": ["k", "p"]}, 1),
        ([(1, None), (2, None)], {"columns": ["k", "p"]}, 2),
        ([(1, None), (2, None)], {"columns": ["k", "p"], "nullable": ["p"]}, 0),
        ([(1, None), (1, None)], {"columns": ["k", "p"], "nullable": ["p"]}, 1),
        # only the keys an incremental build inserted (k = 1, listed in table i) are checked
        ([(1, "a"), (1, "a"), (2, "b"), (2, "b")], {"columns": ["k", "p"], **INSERTED}, 1),
        ([(2, "b"), (2, "b"), (None, "c")], {"columns": ["k", "p"], **INSERTED}, 1),
        # none listed (a full build): every key
        ([(2, "b"), (2, "b")], {"columns": ["k", "p"], **NONE_INSERTED}, 1),
    ],
)
def test_the_primary_key_test_fails_on_a_repeated_or_null_key(
    rows: list[tuple[Any, Any]], arguments: dict[str, Any], failing: int
) -> None:
    """Repeated keys fail, NULLs in nullable key columns compare equal, other NULLs fail."""
    with duckdb.connect() as con:
        con.execute("create table t (k integer, p varchar)")
        con.execute("create table i as select 1 as k")
        con.executemany("insert into t values (?, ?)", rows)
        assert len(con.execute(render_primary_key("t", **arguments)).fetchall()) == failing
        # every key sharing one hash (Spark's function, made constant here): values still decide
        con.execute("create macro xxhash64(a) as 0, (a, b) as 0")
        assert len(con.execute(render_primary_key("t", "spark", **arguments)).fetchall()) == failing


OCT = {day: date(2011, 10, day) for day in (11, 12)}


@pytest.mark.parametrize(
    ("rows", "affected", "failing", "failing_whole"),
    [
        # a key of a day made again that a kept day holds too (with days_whole, a key's rows all
        # lie on days made again together: the kept day's row is not read)
        ([(1, OCT[11]), (1, OCT[12])], [OCT[12]], 1, 0),
        ([(1, OCT[12]), (1, OCT[12])], [OCT[12]], 1, 1),
        # kept days' keys were checked by the builds that inserted them
        ([(1, OCT[11]), (1, OCT[11]), (2, OCT[12])], [OCT[12]], 0, 0),
        ([(None, OCT[11]), (2, OCT[12])], [OCT[12]], 0, 0),
        ([(None, OCT[12])], [OCT[12]], 1, 1),
        # a row with no day is always checked
        ([(1, None), (1, OCT[11])], [OCT[12]], 1, 0),
        ([(1, None), (1, None)], [OCT[12]], 1, 1),
        # every day made again (a full build): every key
        ([(1, OCT[11]), (1, OCT[11]), (2, OCT[12])], [OCT[11], OCT[12]], 1, 1),
    ],
)
def test_the_primary_key_test_of_a_model_kept_per_day_checks_the_keys_of_the_days_made_again(
    rows: list[tuple[Any, Any]], affected: list[date], failing: int, failing_whole: int
) -> None:
    with duckdb.connect() as con:
        con.execute("create table t (k integer, d date)")
        con.executemany("insert into t values (?, ?)", rows)
        con.execute("create table int_lake_days_affected (day date)")
        con.executemany("insert into int_lake_days_affected values (?)", [(day,) for day in affected])
        sql = render_primary_key("t", column_name="k", inserted_days="d")
        assert len(con.execute(sql).fetchall()) == failing
        whole_days = render_primary_key("t", column_name="k", inserted_days="d", days_whole=True)
        assert len(con.execute(whole_days).fetchall()) == failing_whole
        # Spark's builds are whole: there every key is checked
        con.execute("create macro xxhash64(a) as 0")
        whole = len(con.execute(render_primary_key("t", "spark", column_name="k")).fetchall())
        for mode in ({}, {"days_whole": True}):
            spark = render_primary_key("t", "spark", column_name="k", inserted_days="d", **mode)
            assert len(con.execute(spark).fetchall()) == whole


ON_DAYS = {"inserted_from": "s", "inserted_column": "k", "inserted_key": "x + 1", "inserted_on_days": "d"}


@pytest.mark.parametrize(
    ("rows", "source", "affected", "failing"),
    [
        # a cache's key inserted from a row on a day made again (k = x + 1 = 2), repeated: fails
        ([(2, "a"), (2, "b")], [(1, OCT[12]), (5, OCT[11])], [OCT[12]], 1),
        # a key whose rows are of days kept: checked by the build that inserted it
        ([(6, "a"), (6, "b"), (2, "c")], [(1, OCT[12]), (5, OCT[11])], [OCT[12]], 0),
        # a NULL key is always reported
        ([(None, "a"), (2, "c")], [(1, OCT[12]), (5, OCT[11])], [OCT[12]], 1),
        # every row of the source on a day made again (a full build): every key
        ([(6, "a"), (6, "b")], [(1, OCT[12]), (5, OCT[11])], [OCT[11], OCT[12]], 1),
        # no day made again: nothing inserted, nothing to check
        ([(6, "a"), (6, "b")], [(5, OCT[11])], [], 0),
    ],
)
def test_the_primary_key_test_of_a_cache_checks_the_keys_of_the_days_made_again(
    rows: list[tuple[Any, Any]], source: list[tuple[Any, Any]], affected: list[date], failing: int
) -> None:
    """A cache filled from the rows of a model kept per day (`inserted_on_days`) checks the keys of
    those rows on the days a build stages again, each computed by `inserted_key`."""
    with duckdb.connect() as con:
        con.execute("create table t (k integer, p varchar)")
        con.executemany("insert into t values (?, ?)", rows)
        con.execute("create table s (x integer, d date)")
        con.executemany("insert into s values (?, ?)", source)
        con.execute("create table int_lake_days_affected (day date)")
        for day in affected:
            con.execute("insert into int_lake_days_affected values (?)", [day])
        assert len(con.execute(render_primary_key("t", column_name="k", **ON_DAYS)).fetchall()) == failing
        con.execute("create macro xxhash64(a) as 0")
        spark = render_primary_key("t", "spark", column_name="k", **ON_DAYS)
        assert len(con.execute(spark).fetchall()) == failing


@pytest.mark.parametrize(
    ("rows", "failing", "failing_spark"),
    [
        ([("a", 1, OCT[12]), ("b", 2, OCT[11])], 0, 0),
        # a NULL on a day made again, or on a row with no day: reported
        ([(None, 1, OCT[12]), ("b", None, OCT[12])], 2, 2),
        ([("a", None, None)], 1, 1),
        # on a day kept: checked by the build that first read its input (every row on Spark)
        ([(None, 1, OCT[11])], 0, 1),
    ],
)
def test_the_not_null_test_of_the_lake_reads_the_days_made_again(
    rows: list[tuple[Any, Any, Any]], failing: int, failing_spark: int
) -> None:
    with duckdb.connect() as con:
        con.execute("create table t (f varchar, n integer, d date)")
        con.executemany("insert into t values (?, ?, ?)", rows)
        con.execute("create table int_lake_days_affected as select date '2011-10-12' as day")
        for engine, expected in (("duckdb", failing), ("spark", failing_spark)):
            sql = render_test("not_null_on_days", "t", engine, columns=["f", "n"], day="d")
            assert len(con.execute(sql).fetchall()) == expected, engine


def test_the_build_settings_table_lists_every_numeric_var() -> None:
    """`audit.build_settings` records each number and switch of dbt_project.yml's vars; a var added
    to the project but not to the model would be a setting no analyst can see."""
    import re

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    numeric = {name for name, value in project["vars"].items() if isinstance(value, int | float)}
    sql = (MODELS / "audit" / "build_settings.sql").read_text()
    listed = re.search(r"\{% set names = \[(.*?)\] %\}", sql, re.S)
    assert listed is not None
    names = set(re.findall(r"'(\w+)'", listed.group(1)))
    assert names == numeric, (names - numeric, numeric - names)
