"""The weekly page as a reader sees it: rendered by headless Chromium, offline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="SKIPPED: no chromium on this machine (.ci/run installs Debian's chromium package)",
)


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_page_renders_offline_with_charts_and_no_console_errors(built, tmp_path: Path) -> None:
    page = built[0].reports / "2011-W41.html"
    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") >= 3 and "<circle" in dom.stdout and "<rect" in dom.stdout
    assert "Per party" in dom.stdout and "Top automated campaigns" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = tmp_path / "week.png"
    done = chromium(page, tmp_path / "profile-shot", "--window-size=1280,2000", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists()
    assert shot.stat().st_size > 30_000, "a blank page would be a few KB"


@pytest.mark.parametrize("kind", ["index", "campaign", "group"])
def test_index_campaign_and_group_pages_render_offline(built, tmp_path: Path, kind: str) -> None:
    reports = built[0].reports
    page = {
        "index": reports / "index.html",
        "campaign": next(iter(sorted((reports / "campaigns").glob("*.html")))),
        "group": next(iter(sorted((reports / "groups").glob("*.html")))),
    }[kind]
    dom = chromium(page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<svg" in dom.stdout or kind == "group"
    assert "<table" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = tmp_path / f"{kind}.png"
    done = chromium(page, tmp_path / "profile-shot", "--window-size=1280,1600", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists()
    assert shot.stat().st_size > 20_000, "a blank page would be a few KB"
