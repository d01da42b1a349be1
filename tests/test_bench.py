"""The benchmark runs end to end (a smoke run: figures are printed, never asserted on)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import baseline
from bench import run as bench
from chorus.config import Settings
from chorus.ingest import ingest
from tests.conftest import REPO


@pytest.mark.slow  # builds warehouses
def test_tiny_bench_writes_every_step(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--s3", "tiny", "files-200", "weeks-tiny"],
        capture_output=True,
        text=True,
        env={**os.environ, "CHORUS_BENCH_DIR": str(tmp_path)},
        cwd=REPO,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads((tmp_path / "bench.json").read_text())["figures"]
    steps = {f["step"] for f in figures}
    assert {
        "ingest",
        "build (dbt + docs + gate + publish)",
        "report",
        "total as `chorus run` (stages summed)",
        "`chorus run` (one command, new home)",
        "duckdb read_json (materialise)",
        "build, exact grouping only",
        "incremental: ingest one more day",
        "incremental: build after one more day",
        "s3 lake: ingest",
        "s3 lake: build (dbt + docs + gate + publish)",
        "s3 lake: ingest again (every file skipped)",
        "loose: build again",
        "packed: build again",
        bench.WEEK_BASE,
        bench.WEEK_ADDED,
        bench.WEEK_AGAIN,
    } <= steps
    assert all(f["seconds"] > 0 and f["tweets"] > 0 for f in figures)
    slowest = [f for f in figures if f["step"].startswith(bench.WEEK_MODEL)]
    models = {p.stem for p in (REPO / "transforms" / "models").rglob("*.sql")}
    assert len(slowest) == 8 and {f["step"].removeprefix(bench.WEEK_MODEL) for f in slowest} <= models
    assert [f["seconds"] for f in slowest] == sorted((f["seconds"] for f in slowest), reverse=True)
    assert "ingest / read_json materialise" in done.stdout
    assert "chorus run / plain duckdb detector" in done.stdout
    assert "build after adding one day / full build" in done.stdout
    assert "weeks-tiny: build after one more week / build of the weeks before" in done.stdout
    assert "s3 lake / local lake" in done.stdout
    assert "files-200: packed / loose lake" in done.stdout
    assert "files-200 packed: 31 Parquet files" in done.stdout  # 28 days' parts and 3 audit objects


def test_a_figure_is_refused_when_the_lake_lacks_part_of_the_archive(tmp_path: Path) -> None:
    """The incremental steps once timed a lake that held one day: the folder of symlinks they
    offered was refused (a symlink out of the folder). A lake short of the archive fails the run."""
    size = bench.Size(days=2, organic_per_day=300, accounts=400)
    tweets = bench.generate_archive(size, tmp_path / "data")
    files = sorted((tmp_path / "data" / "archive").iterdir())
    home = tmp_path / "home"
    ingest(files[:1], Settings.make(home=home), progress=False)
    with pytest.raises(RuntimeError, match="the lake holds"):
        bench.check_lake_holds(home, tweets)
    ingest(files[1:], Settings.make(home=home), progress=False)
    bench.check_lake_holds(home, tweets)


def test_unknown_size_is_refused() -> None:
    assert bench.main(["huge"]) == 2
    assert bench.main(["--formats", "csv", "tiny"]) == 2
    assert bench.main(["--peer", "tiny"]) == 2  # the peer reads v1.1 only: not the mixed archive


def test_baselines_read_every_tweet_of_the_mixed_archive_chorus_reads(tmp_path: Path) -> None:
    """The yardstick reads the same tweets as Chorus, in each of the three formats: a format it
    skipped or half-read would make the speed ratio flatter Chorus."""
    size = bench.Size(days=3, organic_per_day=300, accounts=400)
    tweets = bench.generate_archive(size, tmp_path / "data", "mixed")
    files = sorted(str(p) for p in (tmp_path / "data" / "archive").iterdir())
    formats = baseline.files_by_format(files)
    assert sorted(formats) == ["io", "v1", "v2"]
    assert not [f for f in files if f.endswith(".bz2")]  # re-packed for DuckDB
    summary = ingest([tmp_path / "data" / "archive"], Settings.make(home=tmp_path / "home"), progress=False)
    assert summary.total("tweet") == tweets
    assert baseline.run("count", formats) == tweets
    for kind, its_files in formats.items():  # each reader reads its own format
        assert baseline.run("count", {kind: its_files}) > 0, kind
    assert baseline.run("detector", formats) > 0


def test_peer_input_keeps_only_complete_statuses(tmp_path: Path) -> None:
    status = {"id": 1, "id_str": "1", "user": {"id_str": "9", "screen_name": "a"}, "text": "hello"}
    lines = [
        json.dumps(status),
        json.dumps({"delete": {"status": {"id_str": "2", "user_id_str": "9"}}}),
        json.dumps(status)[:20],  # a capture cut mid-line
        "",
    ]
    archive = tmp_path / "day.jsonl.gz"
    archive.write_bytes(gzip.compress("\n".join(lines).encode()))
    out = tmp_path / "peer.jsonl"
    assert bench.peer_input([str(archive)], out) == 1
    assert [json.loads(line) for line in out.read_text().splitlines()] == [status]


def test_large_archives_are_generated_block_by_block(tmp_path: Path) -> None:
    tweets = bench.generate_archive(bench.Size(days=2, organic_per_day=300, accounts=400, blocks=2), tmp_path)
    names = sorted(p.name for p in (tmp_path / "archive").iterdir())
    assert {n[:3] for n in names} == {"b00", "b01"}
    assert len(names) == len(set(names))
    assert tweets == int((tmp_path / "tweets.txt").read_text()) > 100
