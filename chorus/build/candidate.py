"""The candidate a build leaves for the gate: the file dbt built the published schemas into
(DuckDB), or a DuckDB file made from Spark's published Parquet tables, column docs included."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb

from chorus.build.engines import sql_escaped
from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.storage import escape_glob

INTERNAL_SCHEMAS = ("intermediate",)  # the dbt var internal_schemas (a test keeps them equal)


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + sql_escaped(text) + "'"


def finish_candidate(published: Path, candidate: Path) -> None:
    """Make the file dbt built the published schemas into the candidate the gate validates.

    The internal schema (caches included) stays in the build state, so the file analysts open
    holds only what they may read; a published view would read tables analysts do not have, so
    there is none. The write-ahead log is folded in, then the file is renamed: nothing is copied.
    """
    with duckdb.connect(str(published)) as con:
        views = con.execute("select schema_name, view_name from duckdb_views() where not internal").fetchall()
        if views:
            names = ", ".join(f"{schema}.{view}" for schema, view in views)
            raise ChorusError(f"published views are not supported yet: {names}")
        con.execute("checkpoint")
    candidate.unlink(missing_ok=True)
    os.replace(published, candidate)


def published_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The models and seeds of a dbt manifest that analysts read: tables outside the internal
    schemas (views and the internal schema stay behind, as in a DuckDB build)."""
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
        and node["schema"] not in INTERNAL_SCHEMAS
        and node["config"].get("materialized", "seed") != "view"
    ]
    return sorted(nodes, key=lambda node: (node["schema"], node["alias"]))


def candidate_from_spark(settings: Settings) -> Path:
    """A new candidate file made from the published tables a Spark build wrote as Parquet: the
    same schemas, tables, column types (a contract's types where the model has one) and comments
    (from the dbt docs) as a DuckDB build's candidate. Reads the build's manifest for the list."""
    if not settings.lake.is_local:
        raise ChorusError(
            f"{settings.lake}: publishing a Spark build reads its tables from a local lake; "
            "an object-storage lake is not supported with CHORUS_ENGINE=spark yet"
        )
    manifest_path = settings.dbt_dir / "target" / "manifest.json"
    if not manifest_path.exists():
        raise ChorusError(
            f"{manifest_path}: no Spark build to publish; run `chorus build` with CHORUS_ENGINE=spark"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    candidate = settings.candidate
    candidate.parent.mkdir(parents=True, exist_ok=True)
    candidate.unlink(missing_ok=True)
    with duckdb.connect(str(candidate)) as con:
        con.execute("set TimeZone = 'UTC'")  # zoned timestamps from Spark's Parquet read as UTC
        for node in published_nodes(manifest):
            copy_spark_table(con, settings, node)
        con.execute("checkpoint")
    return candidate


def copy_spark_table(con: duckdb.DuckDBPyConnection, settings: Settings, node: dict[str, Any]) -> None:
    """One published table of a Spark build into the candidate, typed and described."""
    schema, table = node["schema"], node["alias"]
    folder = Path(settings.spark_warehouse) / f"{schema}.db" / table.lower()  # Spark's managed layout
    if not any(folder.glob("*.parquet")):
        raise ChorusError(f"{folder}: {schema}.{table} is missing from the Spark build")
    files = f"{escape_glob(str(folder))}/*.parquet"  # the folder's own glob characters made literal
    found = con.execute(
        "select column_name, column_type from (describe select * from read_parquet(?))", [files]
    ).fetchall()
    documented = {name.lower(): column for name, column in node["columns"].items()}
    items = []
    for column, found_type in found:
        # a contract's type where there is one; else Spark's, but timestamps as the warehouse
        # keeps them everywhere: UTC without a zone (Spark's functions return zoned ones)
        declared = documented.get(column.lower(), {}).get("data_type")
        if not declared and found_type == "TIMESTAMP WITH TIME ZONE":
            declared = "timestamp"
        items.append(
            f"cast({quoted(column)} as {declared}) as {quoted(column)}" if declared else quoted(column)
        )
    name = f"{quoted(schema)}.{quoted(table)}"
    con.execute(f"create schema if not exists {quoted(schema)}")
    # identifiers and types come from the manifest (our project), quoted; paths are parameters
    con.execute(f"create table {name} as select {', '.join(items)} from read_parquet(?)", [files])  # noqa: S608
    if node.get("description"):
        con.execute(f"comment on table {name} is {literal(node['description'])}")
    for column, _ in found:
        description = documented.get(column.lower(), {}).get("description")
        if description:
            con.execute(f"comment on column {name}.{quoted(column)} is {literal(description)}")
