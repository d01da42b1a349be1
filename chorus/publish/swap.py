"""Swap a validated candidate in as the warehouse analysts open.

The candidate is renamed over `chorus.duckdb` in one atomic step. An analyst who holds the old file
open keeps reading that consistent snapshot until they reconnect; a new connection sees the new
build. Nothing is ever written into the published file in place (a build that keeps its incremental tables
works on a copy), so a reader never blocks a run."""

from __future__ import annotations

import os
from pathlib import Path

from chorus.build.kept import remember_publication
from chorus.config import Settings
from chorus.storage import write_atomic


def publish(settings: Settings, candidate: Path | None = None) -> Path:
    """Atomically replace the published warehouse by the candidate; return the published path.
    The docs page follows with `publish_docs` once the build's page is ready."""
    candidate = candidate or settings.candidate
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        wal.unlink()
    settings.home.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, settings.warehouse)
    remember_publication(settings)  # the next build may keep its incremental tables (chorus.build.kept)
    return settings.warehouse


def publish_docs(settings: Settings) -> None:
    """The dbt docs page of the build just published, as `<home>/docs/index.html`, with the
    fingerprint of the project it describes (a build of the same project skips regenerating it)."""
    built = settings.dbt_dir / "docs"
    target = settings.home / "docs"
    for name, published in (("static_index.html", "index.html"), ("fingerprint", "fingerprint")):
        if (built / name).exists():
            target.mkdir(parents=True, exist_ok=True)
            write_atomic(target / published, (built / name).read_bytes())
