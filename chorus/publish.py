"""Publish stage: swap a validated candidate in as the warehouse analysts open.

The candidate (the published schemas of the build state, see `make_candidate`) is renamed
over `chorus.duckdb` in one atomic step. An analyst who holds the old file open keeps reading
that consistent snapshot until they reconnect; a new connection sees the new build. Nothing is
ever written into the published file in place, so a reader never blocks a run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from chorus.config import Settings
from chorus.errors import ChorusError

INTERNAL_SCHEMAS = ("intermediate",)


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def make_candidate(state: Path, candidate: Path) -> None:
    """A new candidate file with the published schemas of the build state: every table, its rows
    and its comments. The internal schema (caches included) stays behind, and so do its pages:
    the file analysts open holds only what they may read."""
    with duckdb.connect(str(state)) as con:
        con.execute("checkpoint")  # fold the WAL in before reading the file read-only
    candidate.unlink(missing_ok=True)
    internal = {"internal": list(INTERNAL_SCHEMAS)}
    with duckdb.connect(str(candidate)) as con:
        con.execute(f"attach {literal(str(state))} as state (read_only)")
        views = con.execute(
            "select view_name from duckdb_views() where not internal and database_name = 'state' "
            "and not list_contains($internal, schema_name)",
            internal,
        ).fetchall()
        if views:
            raise ChorusError(f"published views are not supported yet: {', '.join(v[0] for v in views)}")
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() where database_name = 'state' "
            "and not list_contains($internal, schema_name)",
            internal,
        ).fetchall()
        for schema, table, comment in tables:
            # identifiers come from the catalogue, quoted; nothing from input is pasted
            name = f"{quoted(schema)}.{quoted(table)}"
            con.execute(f"create schema if not exists {quoted(schema)}")
            con.execute(f"create table {name} as select * from state.{name}")  # noqa: S608
            if comment:
                con.execute(f"comment on table {name} is {literal(comment)}")
        columns = con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            "where comment is not null and database_name = 'state' "
            "and not list_contains($internal, schema_name)",
            internal,
        ).fetchall()
        for schema, table, column, comment in columns:
            target = f"{quoted(schema)}.{quoted(table)}.{quoted(column)}"
            con.execute(f"comment on column {target} is {literal(comment)}")
        con.execute("detach state")
        con.execute("checkpoint")


def publish(settings: Settings, candidate: Path | None = None) -> Path:
    """Atomically replace the published warehouse by the candidate; return the published path."""
    candidate = candidate or settings.candidate
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        wal.unlink()
    settings.home.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, settings.warehouse)
    publish_docs(settings)
    return settings.warehouse


def publish_docs(settings: Settings) -> None:
    """The dbt docs page of the build just published, as `<home>/docs/index.html`, with the
    fingerprint of the project it describes (a build of the same project skips regenerating it)."""
    built = settings.dbt_dir / "docs"
    target = settings.home / "docs"
    for name, published in (("static_index.html", "index.html"), ("fingerprint", "fingerprint")):
        if (built / name).exists():
            target.mkdir(parents=True, exist_ok=True)
            tmp = target / f"{published}.tmp"
            shutil.copyfile(built / name, tmp)
            os.replace(tmp, target / published)
