"""Analysts: a run publishes while another process holds the warehouse open read-only."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from chorus.config import Settings
from chorus.pipeline import run
from tests.conftest import v1_status, write_jsonl

READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    before = con.execute("select count(*) from staging.stg_tweets").fetchone()[0]
    print(before, flush=True)
    sys.stdin.readline()          # hold the file open until told to go on
    after = con.execute("select count(*) from staging.stg_tweets").fetchone()[0]
    print(after, flush=True)
""")


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
