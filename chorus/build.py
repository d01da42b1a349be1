"""Build stage: check the party reference, then `dbt build` the lake into a candidate warehouse."""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from chorus.config import DBT_PROJECT_DIR, DEFAULT_PARTIES, Settings
from chorus.errors import ChorusError, InputError

log = logging.getLogger(__name__)
SIGNAL_TYPES = ("account", "hashtag", "domain", "source")


def check_party_reference(path: Path) -> int:
    """Refuse a party reference with a bad header, unknown signal type, empty or duplicate row.

    Returns the number of rows. The error names the file and the line.
    """
    if not path.is_file():
        raise InputError(str(path), "party reference not found")
    seen: dict[tuple[str, str, str], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header != ["party", "signal_type", "value"]:
            raise InputError(str(path), "header must be party,signal_type,value", line=1)
        rows = 0
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 3:
                raise InputError(str(path), f"expected 3 columns, got {len(row)}", line=line)
            party, signal, value = (cell.strip() for cell in row)
            if signal.lower() not in SIGNAL_TYPES:
                raise InputError(str(path), f"unknown signal_type {signal!r} "
                                 f"(allowed: {', '.join(SIGNAL_TYPES)})", line=line)
            if not party or not value.lstrip("#@"):
                raise InputError(str(path), "party and value must not be empty", line=line)
            key = (party, signal.lower(), value.lstrip("#@").lower())
            if key in seen:
                raise InputError(str(path), f"duplicate of line {seen[key]}", line=line)
            seen[key] = line
            rows += 1
    if rows == 0:
        raise InputError(str(path), "party reference has no rows")
    return rows


def sql_escaped(path: Path) -> str:
    """A path as the inside of a SQL string literal (single quotes doubled)."""
    return str(path).replace("'", "''")


@contextmanager
def dbt_environment(settings: Settings, database: Path) -> Iterator[None]:
    """Environment variables the dbt project reads, set for the duration of one dbt call."""
    values = {
        "CHORUS_DBT_DB": str(database),
        "CHORUS_LAKE_SQL": sql_escaped(settings.lake),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_vars(settings: Settings, extra: dict[str, object] | None = None) -> dict[str, object]:
    values: dict[str, object] = dict(extra or {})
    if settings.parties != DEFAULT_PARTIES.resolve():
        values["parties_csv"] = str(settings.parties)
    return values


def run_dbt(args: list[str], settings: Settings, database: Path,
            extra_vars: dict[str, object] | None = None) -> None:
    """Invoke dbt in-process on the project; raise a ChorusError naming what failed."""
    from dbt.cli.main import dbtRunner

    work = settings.candidate_dir / "dbt"
    full = [
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
        "--vars", json.dumps(dbt_vars(settings, extra_vars)),
        "--quiet",
    ]
    with dbt_environment(settings, database):
        result = dbtRunner().invoke(full)
    if result.success:
        return
    failures: list[str] = []
    if result.result is not None and hasattr(result.result, "results"):
        for node in result.result.results:
            if str(node.status) in ("error", "fail", "runtime error"):
                failures.append(f"{node.node.name}: {node.message}")
    detail = "; ".join(failures[:5]) or str(result.exception or "see dbt logs")
    raise ChorusError(f"dbt {args[0]} failed: {detail} (logs: {work / 'logs'})")


def lake_is_empty(settings: Settings) -> bool:
    files = settings.audit_dir / "files"
    return not files.is_dir() or not any(files.glob("*.parquet"))


def build(settings: Settings, extra_vars: dict[str, object] | None = None) -> Path:
    """Build every model, seed and dbt test into a fresh candidate warehouse; return its path."""
    check_party_reference(settings.parties)
    if lake_is_empty(settings):
        raise ChorusError(f"{settings.lake}: the lake is empty; run `chorus ingest PATH` first")
    if settings.candidate_dir.exists():
        shutil.rmtree(settings.candidate_dir)
    settings.candidate_dir.mkdir(parents=True)
    run_dbt(["build"], settings, settings.candidate, extra_vars)
    return settings.candidate
