"""Analysts: a run publishes while another process holds the warehouse open read-only."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from chorus.config import Settings
from chorus.pipeline import run
from tests.conftest import REPO, chorus_cli, v1_status, write_jsonl

READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    before = con.execute("select count(*) from staging.stg_tweets").fetchone()[0]
    print(before, flush=True)
    sys.stdin.readline()          # hold the file open until told to go on
    after = con.execute("select count(*) from staging.stg_tweets").fetchone()[0]
    print(after, flush=True)
""")


@pytest.mark.slow
def test_run_publishes_while_an_analyst_holds_the_file_and_they_keep_their_snapshot(tmp_path: Path) -> None:
    settings = Settings.make(tmp_path / "home")
    first = tmp_path / "first"
    first.mkdir()
    write_jsonl(
        first / "a.jsonl", [v1_status(1, "ann", "premier message"), v1_status(2, "bob", "second message")]
    )
    run([first], settings, progress=False)

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "2"
        more = tmp_path / "more"
        more.mkdir()
        write_jsonl(more / "b.jsonl", [v1_status(3, "cat", "troisième message")])
        run([more], settings, progress=False)  # must not fail: the analyst holds the file
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "2", "the analyst keeps a consistent snapshot"
    finally:
        reader.stdin.close() if reader.stdin else None
        reader.wait(timeout=30)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_tweets").fetchone()[0] == 3


def documented_queries() -> list[str]:
    text = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("sql", documented_queries(), ids=lambda sql: sql.split("\n")[0][:40])
def test_every_documented_query_runs_and_returns_rows(warehouse, sql: str) -> None:
    rows = warehouse.execute(sql).fetchall()
    assert rows, "each example query returns rows on the sample"


def test_query_command_prints_and_exports_read_only(built, tmp_path: Path) -> None:
    home = str(built[0].home)
    shown = chorus_cli("query", "--home", home, "select count(*) as n from marts.campaigns")
    assert shown.returncode == 0 and "│" in shown.stdout
    out = tmp_path / "campaigns.parquet"
    done = chorus_cli("query", "--home", home, "select * from marts.campaigns", "--out", str(out))
    assert done.returncode == 0
    count = duckdb.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone()[0]
    with duckdb.connect(str(built[0].warehouse), read_only=True) as con:
        assert count == con.execute("select count(*) from marts.campaigns").fetchone()[0]
    refused = chorus_cli("query", "--home", home, "drop table marts.campaigns")
    assert refused.returncode == 2 and "read-only" in refused.stderr


def test_every_published_column_is_described_in_duckdb(warehouse) -> None:
    missing = warehouse.execute("""
        select schema_name || '.' || table_name || '.' || column_name from duckdb_columns()
        where schema_name in ('staging', 'marts', 'audit') and (comment is null or comment = '')
    """).fetchall()
    assert missing == []
    tables = warehouse.execute("""
        select count(*) from duckdb_tables()
        where schema_name in ('staging', 'marts', 'audit') and (comment is null or comment = '')
    """).fetchone()[0]
    assert tables == 0


def test_docs_site_is_written_with_the_build(built) -> None:
    done = chorus_cli("docs", "--home", str(built[0].home))
    assert done.returncode == 0
    page = Path(done.stdout.strip())
    assert page.exists() and "campaigns" in page.read_text(encoding="utf-8")


def test_the_notebook_face_gives_the_warehouse_as_polars_frames(built, warehouse) -> None:
    """`chorus.analyst` returns what the equivalent SQL returns, as polars DataFrames, filtered by
    week, party and verdict; a bad week or verdict is one clear error."""
    import polars as pl

    from chorus.analyst import accounts, campaigns, groups, weeks
    from chorus.errors import ChorusError

    home = built[0].home
    week = campaigns(home, week="2011-W41", verdict="automated")
    expected = warehouse.execute(
        """select campaign_id from marts.campaigns where verdict = 'automated'
           and last_seen >= date '2011-10-10' and first_seen < date '2011-10-17'
           order by n_accounts desc, n_tweets desc, campaign_id"""
    ).fetchall()
    assert isinstance(week, pl.DataFrame) and week["campaign_id"].to_list() == [r[0] for r in expected]
    assert len(week) > 0 and set(week["verdict"]) == {"automated"}
    everything = campaigns(home)
    assert len(everything) == warehouse.execute("select count(*) from marts.campaigns").fetchone()[0]
    party = everything.drop_nulls("party")["party"][0]
    assert set(campaigns(home, party=party)["party"]) == {party}
    assert set(accounts(home, verdict="automated")["verdict"]) == {"automated"}
    assert len(groups(home)) == warehouse.execute("select count(*) from marts.account_groups").fetchone()[0]
    assert set(weeks(home, party=party)["party"]) == {party}
    for bad in ({"week": "41"}, {"verdict": "bots"}):
        with pytest.raises(ChorusError):
            campaigns(home, **bad)
