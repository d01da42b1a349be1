"""Analyst conveniences: read-only queries of the published warehouse, and the dbt docs site."""

from __future__ import annotations

from pathlib import Path

import duckdb

from chorus.config import Settings
from chorus.errors import ChorusError

# The one kind of statement `chorus query` runs: a query (SELECT, FROM-first, DESCRIBE, SUMMARIZE).
ALLOWED = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)
# A connection that can read the warehouse and nothing else: no other file, no attach, no copy or
# export, no extension downloaded or loaded; the settings cannot be changed back.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def published(settings: Settings) -> Path:
    if not settings.warehouse.exists():
        raise ChorusError(f"{settings.warehouse}: no published warehouse; run `chorus run PATH` first")
    return settings.warehouse


def read_only_statement(sql: str) -> str:
    """The single query in `sql`; anything else (several statements, ATTACH, COPY, EXPORT,
    INSTALL, SET, PRAGMA, a write) is refused before it reaches the database."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise ChorusError(f"query failed: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise ChorusError(f"expected exactly one statement, got {len(statements)}")
    if statements[0].type not in ALLOWED:
        kind = statements[0].type.name
        raise ChorusError(f"only queries are allowed (the warehouse is read-only), not {kind}")
    return sql


def sandboxed(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse file that reaches nothing else."""
    return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))


def query(settings: Settings, sql: str, out: Path | None = None, limit: int = 50) -> str:
    """Run one read-only query; write CSV/TSV/Parquet to `out`, or return a printable table."""
    statement = read_only_statement(sql)
    suffix = out.suffix.lower() if out else ""
    if out is not None and suffix not in (".parquet", ".csv", ".tsv"):
        raise ChorusError(f"{out}: --out must end in .csv, .tsv or .parquet")
    if out is not None and not out.parent.is_dir():
        raise ChorusError(f"{out.parent}: no such folder for --out")
    if out is not None:
        settings.refuse_overwriting(out)
    with sandboxed(published(settings)) as con:
        try:
            relation = con.sql(statement)
            if relation is None:
                raise ChorusError("the statement returned no rows")
            if out is None:
                return str(relation.limit(limit)) if limit else str(relation)
            table = relation.fetch_arrow_table()
        except duckdb.Error as exc:
            raise ChorusError(f"query failed: {str(exc).splitlines()[0]}") from exc
    write_table(table, out, suffix)
    return f"wrote {out}"


def write_table(table: object, out: Path, suffix: str) -> None:
    """The query's rows as Parquet, CSV or TSV, written by a separate in-memory DuckDB (the
    sandboxed connection cannot write files); the path goes through the API, never into SQL."""
    with duckdb.connect() as writer:
        relation = writer.from_arrow(table)
        if suffix == ".parquet":
            relation.write_parquet(str(out))
        else:
            relation.write_csv(str(out), sep="\t" if suffix == ".tsv" else ",")


def docs_index(settings: Settings) -> Path:
    """The static dbt docs page written with the last published build."""
    index = settings.home / "docs" / "index.html"
    if not index.exists():
        raise ChorusError(f"{index}: no docs yet; they are written by `chorus build` / `chorus run`")
    return index
