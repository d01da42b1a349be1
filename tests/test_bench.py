"""The benchmark runs end to end (a smoke run: figures are printed, never asserted on)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_tiny_bench_writes_every_step(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "chorus.bench", "tiny"],
        capture_output=True,
        text=True,
        env={**os.environ, "CHORUS_BENCH_DIR": str(tmp_path)},
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
        "total as `chorus run`",
        "duckdb read_json (materialise)",
        "build, exact grouping only",
    } <= steps
    assert all(f["seconds"] > 0 and f["tweets"] > 0 for f in figures)
    assert "ingest / read_json materialise" in done.stdout
