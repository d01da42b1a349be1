"""dbt unit tests of the models (normalisation, message keys, near-duplicates, features,
co-activity, scoring, attribution), run alone over models built empty: the fast tier's check of
the detection logic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chorus.build import run_dbt, runner, write_party_reference
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


def test_a_parse_cache_made_from_another_folder_of_the_project_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt checks a parse cache against the files' hashes, not their folder, and loads the seeds
    from the folder the cache names: a home built from a clone since moved or deleted would fail
    on its next build. Caches are used only where they were made; the next parse is shared."""
    project = tmp_path / "project"
    monkeypatch.setattr(runner, "DBT_PROJECT_DIR", project)
    own_target, other_home = tmp_path / "home" / "target", tmp_path / "other" / "target"
    own, shared = own_target / runner.PARSE_CACHE, project / "target" / runner.PARSE_CACHE
    for cache in (own, shared):  # both made by a clone elsewhere (no stamp, or its own folder)
        cache.parent.mkdir(parents=True)
        cache.write_bytes(b"parsed elsewhere")
    own.with_name(runner.PARSE_PROJECT).write_text(str(tmp_path / "old-clone"))
    with runner.shared_parse(own_target):
        assert not own.exists()  # dropped, and the shared one, unstamped, not copied in
        own.write_bytes(b"parsed here")  # what dbt leaves after parsing afresh
    assert shared.read_bytes() == b"parsed here" and runner.made_here(own) and runner.made_here(shared)
    with runner.shared_parse(other_home):
        assert (other_home / runner.PARSE_CACHE).read_bytes() == b"parsed here"  # another home starts from it
