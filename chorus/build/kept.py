"""The published tables a build keeps from the warehouse instead of writing them whole again.

`staging.stg_tweets` is the whole lake, and `marts.account_pairs` and `account_pair_tweets` grow
with it: rewriting them into each candidate cost a weekly build as much as the lake, whatever the
week brought. When the warehouse holds the build state's last build, a DuckDB build starts its
published file as a copy of the warehouse holding only the tables of incremental models (the
`kept_in_state` macro; the others are dropped and their space reused by the new ones), and those
models delete and insert only what the build changes (the days staged again, the campaigns whose
pairing changed), exactly as the state's models they publish do.

"Holds the state's last build" is checked, never assumed: each complete build of the state gets a
new token (`build_token`, removed while dbt runs), publication records the token of the build it
published with the file's identity (`published_build`: inode, size, modification time), and the
copy is taken only when both tokens agree, the warehouse is still that file and no write-ahead log
lies beside it (someone wrote to it). A candidate the gate refused, a build never published, a
full refresh, a warehouse replaced by hand, Spark: the published file starts empty and every table
is written whole, as before.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from pathlib import Path

import duckdb

from chorus.build.candidate import published_nodes, quoted
from chorus.build.engines import published_file, remove_database
from chorus.config import Settings

log = logging.getLogger(__name__)

BUILD_TOKEN = "build_token"  # noqa: S105 (a file name) in the build state: names its last complete build
PUBLISHED_BUILD = "published_build"  # in the build state: the published build's token and file


def identity(path: Path) -> str:
    """What tells one file from another one later put at its path."""
    found = path.stat()
    return f"{found.st_ino} {found.st_size} {found.st_mtime_ns}"


def forget_build(settings: Settings) -> None:
    """The state is about to change: no warehouse holds its last build until one completes."""
    (settings.state_dir / BUILD_TOKEN).unlink(missing_ok=True)


def remember_build(settings: Settings) -> None:
    """A build of the state completed: give it a token of its own."""
    (settings.state_dir / BUILD_TOKEN).write_text(uuid.uuid4().hex)


def last_build_in_warehouse(settings: Settings) -> str | None:
    """The record of the state's last build as the warehouse now (the token and the file's
    identity), or None without a completed build or a warehouse."""
    token = settings.state_dir / BUILD_TOKEN
    if not token.is_file() or not settings.warehouse.exists():
        return None
    return f"{token.read_text().strip()}\n{identity(settings.warehouse)}\n"


def remember_publication(settings: Settings) -> None:
    """The candidate of the state's last build (if any) is now the warehouse: record which."""
    record = settings.state_dir / PUBLISHED_BUILD
    current = last_build_in_warehouse(settings)
    if current is None:
        record.unlink(missing_ok=True)
        return
    record.write_text(current)


def holds_last_build(settings: Settings) -> bool:
    """Whether the warehouse is the published candidate of the build state's last build."""
    record = settings.state_dir / PUBLISHED_BUILD
    wal = settings.warehouse.with_name(settings.warehouse.name + ".wal")  # written to since: not ours
    current = last_build_in_warehouse(settings)
    return current is not None and record.is_file() and not wal.exists() and record.read_text() == current


def kept_tables(settings: Settings) -> set[tuple[str, str]]:
    """The published tables whose models are incremental (the kept_in_state macro), as the last
    build's manifest lists them (the same project: a changed one is a fresh build)."""
    manifest = settings.dbt_dir / "target" / "manifest.json"
    try:
        nodes = published_nodes(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return set()
    return {
        (node["schema"], node["alias"])
        for node in nodes
        if node["config"].get("materialized") == "incremental"
    }


def start_published(settings: Settings, fresh: bool) -> list[str]:
    """Make the file dbt builds the published tables into: a copy of the warehouse holding only
    the kept tables when it holds the state's last build (and the build is not `fresh`), else
    none (dbt creates it). Returns the tables kept."""
    target = published_file(settings.state)
    remove_database(target)  # a failed attempt's tables go with it
    kept = kept_tables(settings)
    if fresh or settings.engine != "duckdb" or not kept or not holds_last_build(settings):
        return []
    try:
        shutil.copyfile(settings.warehouse, target)
        with duckdb.connect(str(target)) as con:
            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() where not internal"
            ).fetchall()
            for schema, table in tables:
                if (schema, table) not in kept:
                    con.execute(f"drop table {quoted(schema)}.{quoted(table)}")
            con.execute("checkpoint")
    except (OSError, duckdb.Error) as exc:
        log.warning("the warehouse could not be copied (%s): every published table is written whole", exc)
        remove_database(target)
        return []
    return sorted(f"{schema}.{table}" for schema, table in tables if (schema, table) in kept)
