"""Analyst conveniences: read-only queries of the published warehouse, and the dbt docs site."""

from __future__ import annotations

from pathlib import Path

import duckdb

from chorus.config import Settings
from chorus.errors import ChorusError


def published(settings: Settings) -> Path:
    if not settings.warehouse.exists():
        raise ChorusError(f"{settings.warehouse}: no published warehouse; run `chorus run PATH` first")
    return settings.warehouse


def query(settings: Settings, sql: str, out: Path | None = None, limit: int = 50) -> str:
    """Run one SQL statement read-only; write CSV/Parquet to `out`, or return a printable table."""
    with duckdb.connect(str(published(settings)), read_only=True) as con:
        try:
            relation = con.sql(sql)
        except duckdb.Error as exc:
            raise ChorusError(f"query failed: {str(exc).splitlines()[0]}") from exc
        if relation is None:
            raise ChorusError(
                "the statement returned no rows (only queries are allowed: the warehouse is read-only)"
            )
        if out is None:
            return str(relation.limit(limit)) if limit else str(relation)
        suffix = out.suffix.lower()
        if suffix == ".parquet":
            relation.write_parquet(str(out))
        elif suffix in (".csv", ".tsv"):
            relation.write_csv(str(out), sep="\t" if suffix == ".tsv" else ",")
        else:
            raise ChorusError(f"{out}: --out must end in .csv, .tsv or .parquet")
        return f"wrote {out}"


def docs_index(settings: Settings) -> Path:
    """The static dbt docs page written with the last published build."""
    index = settings.home / "docs" / "index.html"
    if not index.exists():
        raise ChorusError(f"{index}: no docs yet; they are written by `chorus build` / `chorus run`")
    return index
