"""dbt unit tests of the models (normalisation, message keys, near-duplicates, features,
co-activity, scoring, attribution), run alone over models built empty: the fast tier's check of
the detection logic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chorus.build import run_dbt, write_party_reference
from chorus.config import Settings
from chorus.ingest import ingest
from tests.conftest import REAL_FIXTURES


def unit_tests(settings: Settings) -> None:
    """dbt's unit tests alone, over every model built empty (`--empty`) in a scratch database:
    the detection logic checked in seconds (the fast test tier runs this on a tiny lake)."""
    scratch = settings.state_dir / "unit"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    write_party_reference(settings)
    run_dbt(
        ["build", "--empty", "--exclude", "resource_type:test"],
        settings,
        scratch / "unit.duckdb",
        target="unit",
        engine="duckdb",
    )


def test_every_dbt_unit_test_passes(tmp_path: Path) -> None:
    settings = Settings.make(tmp_path / "home")
    ingest([REAL_FIXTURES / "tweepy__testgetretweets.jsonl"], settings, progress=False, workers=1)
    unit_tests(settings)
    results = json.loads((settings.dbt_dir / "unit" / "run_results.json").read_text())["results"]
    ran = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(ran) >= 10 and all(r["status"] == "pass" for r in ran)


@pytest.mark.slow
def test_a_new_home_starts_dbt_from_the_parse_another_home_made(tmp_path: Path) -> None:
    """dbt runs in the state folder with relative paths (the database, the lake), so its parse
    cache fits every home: a fresh home re-reads nothing of the project (~4 s in full; ~2 s when
    the lake's sources file, naming the lake by its absolute path, was re-read)."""
    logs = []
    for name in ("first", "second"):
        settings = Settings.make(tmp_path / name)
        ingest([REAL_FIXTURES / "tweepy__testgetretweets.jsonl"], settings, progress=False, workers=1)
        unit_tests(settings)
        logs.append((settings.dbt_dir / "logs" / "dbt.log").read_text())
    assert "Starting full parse" not in logs[1]
    assert "no changes found, skipping parsing" in logs[1]
