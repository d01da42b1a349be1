"""Shared fixtures: a generated sample archive and one warehouse built from it (per session)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chorus.config import Settings
from chorus.pipeline import RunSummary, run
from tools.loopback import s3_emulator
from tools.synth import generate

REPO = Path(__file__).resolve().parent.parent
# Real-format samples from public projects' test data (provenance in its README).
REAL_FIXTURES = REPO / "tests" / "fixtures" / "real"


# Fixtures that build a warehouse (or start a service): a test using one is in the slow tier.
HEAVY_FIXTURES = {"built", "warehouse", "home_copy", "s3"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a built warehouse or a service as slow: `make check` runs the
    rest (`-m "not slow"`), `make test` runs everything."""
    for item in items:
        if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated archive (seed 11, ten days) and its ground truth."""
    out = tmp_path_factory.mktemp("sample")
    truth = generate(out, seed=11, days=10)
    return out / "archive", truth


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory, sample: tuple[Path, dict[str, Any]]
) -> tuple[Settings, RunSummary]:
    """`chorus run` over the sample into a fresh home, once for the session."""
    settings = Settings.make(tmp_path_factory.mktemp("home"))
    summary = run([sample[0]], settings, progress=False)
    return settings, summary


@pytest.fixture()
def warehouse(built: tuple[Settings, RunSummary]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built[0].warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def home_copy(built: tuple[Settings, RunSummary], tmp_path: Path) -> Settings:
    """A private copy of the built home, for tests that break things."""
    target = tmp_path / "home"
    shutil.copytree(built[0].home, target, ignore=shutil.ignore_patterns(".candidate"))
    return Settings.make(target)


def chorus_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `chorus` command line."""
    exe = Path(sys.executable).parent / "chorus"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )


def tools_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the development tools' command line (`python -m tools`) from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "tools", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )


def write_jsonl(path: Path, objects: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def v1_status(
    tweet_id: int,
    screen_name: str,
    text: str,
    *,
    source: str = "Twitter Web Client",
    created_at: str = "Wed Oct 12 21:03:15 +0000 2011",
    **extra: Any,
) -> dict[str, Any]:
    """A minimal but well-formed API v1.1 status (text HTML-escaped as Twitter does)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    status: dict[str, Any] = {
        "id": tweet_id,
        "id_str": str(tweet_id),
        "created_at": created_at,
        "full_text": escaped,
        "source": f'<a href="http://example.org" rel="nofollow">{source}</a>',
        "user": {
            "id": 1000 + len(screen_name),
            "id_str": f"u-{screen_name}",
            "screen_name": screen_name,
            "created_at": "Mon Jan 03 10:00:00 +0000 2011",
        },
        "entities": {"hashtags": [], "user_mentions": [], "urls": []},
        "lang": "fr",
    }
    status.update(extra)
    return status


@pytest.fixture(scope="session")
def s3() -> Iterator[dict[str, str]]:
    """moto's S3 server on loopback, and the environment that points boto at it."""
    with s3_emulator() as env:
        yield env
