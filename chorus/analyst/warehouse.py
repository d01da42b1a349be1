"""Analyst conveniences: read-only queries of the published warehouse (the CLI's `query`, and in
notebooks `campaigns`, `accounts`, `groups` and `weeks` as polars DataFrames), and the dbt docs
site.

    from chorus.analyst import campaigns
    campaigns("warehouse", week="2011-W41", verdict="automated").select("party", "canonical_text")
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

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


# ---- the analysts' face in notebooks: the published warehouse as polars DataFrames ----------

VERDICTS = ("automated", "overt", "coordinated", "organic")


def _frame(home: str | Path | None, sql: str, params: dict[str, object]) -> pl.DataFrame:
    """One read-only query of the published warehouse of `home` (default as the CLI's:
    `$CHORUS_HOME`, else ./warehouse), as a polars DataFrame (DuckDB hands it over as Arrow, no
    copy). The SQL is ours and every value a bound parameter, so a plain read-only connection
    serves: one a notebook already holds on the file is no conflict."""
    settings = Settings.make(home)
    with duckdb.connect(str(published(settings)), read_only=True) as con:
        frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _week_bounds(week: str | None) -> tuple[date, date] | tuple[None, None]:
    if week is None:
        return None, None
    try:
        start = date.fromisocalendar(int(week[:4]), int(week.split("-W", 1)[1]), 1)
    except (ValueError, IndexError) as exc:
        raise ChorusError(f"week {week!r}: expected YYYY-Www, e.g. 2011-W41") from exc
    return start, start + timedelta(days=7)


def _verdict(verdict: str | None) -> str | None:
    if verdict is not None and verdict not in VERDICTS:
        raise ChorusError(f"verdict {verdict!r}: one of {', '.join(VERDICTS)}")
    return verdict


def campaigns(
    home: str | Path | None = None,
    week: str | None = None,
    party: str | None = None,
    verdict: str | None = None,
) -> pl.DataFrame:
    """`marts.campaigns`, optionally only those active in an ISO `week` ("2011-W41"), of a
    `party`, or of a `verdict` (automated, overt, coordinated, organic); the largest first."""
    start, end = _week_bounds(week)
    return _frame(
        home,
        """select * from marts.campaigns
           where ($start::date is null or (last_seen >= $start and first_seen < $end))
             and ($party::varchar is null or party = $party)
             and ($verdict::varchar is null or verdict = $verdict)
           order by n_accounts desc, n_tweets desc, campaign_id""",
        {"start": start, "end": end, "party": party, "verdict": _verdict(verdict)},
    )


def accounts(
    home: str | Path | None = None, party: str | None = None, verdict: str | None = None
) -> pl.DataFrame:
    """`marts.accounts`, optionally of one party lean or one verdict; the most active first."""
    return _frame(
        home,
        """select * from marts.accounts
           where ($party::varchar is null or party_lean = $party)
             and ($verdict::varchar is null or verdict = $verdict)
           order by n_campaigns desc, user_id""",
        {"party": party, "verdict": _verdict(verdict)},
    )


def groups(home: str | Path | None = None, party: str | None = None) -> pl.DataFrame:
    """`marts.account_groups`, optionally of one party; the largest first."""
    return _frame(
        home,
        """select * from marts.account_groups
           where ($party::varchar is null or party = $party)
           order by n_accounts desc, group_id""",
        {"party": party},
    )


def weeks(home: str | Path | None = None, party: str | None = None) -> pl.DataFrame:
    """`marts.party_weekly`: per ISO week and party, campaigns, automated and coordinated/overt
    volumes and shares; optionally of one party."""
    return _frame(
        home,
        """select * from marts.party_weekly
           where ($party::varchar is null or party = $party)
           order by week_start, party nulls last""",
        {"party": party},
    )


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """A query's rows as dicts (column name to value)."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
