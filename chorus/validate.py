"""Validate stage: Great Expectations suites over a warehouse decide whether it may be published.

The GX file context lives in `expectations/gx/` (suites, validation definitions and checkpoints
as JSON in git); results and Data Docs go under `<home>/gx/` via `$CHORUS_GX_HOME`. GX has no
DuckDB datasource, so each suite validates a DuckDB query result as a pandas dataframe.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from chorus.config import GX_DIR, Settings

log = logging.getLogger(__name__)
EARLIEST = datetime(2006, 3, 21)

# One query per suite. Value checks read only the columns they need (row-level, so failures come
# with a sample of offending values); the schema suite reads the catalogue.
QUERIES: dict[str, str] = {
    "schema": """
        select table_schema || '.' || table_name || '.' || column_name as qualified_column,
               case when table_schema || '.' || table_name || '.' || column_name in (
                        'staging.stg_tweets.created_at', 'marts.campaigns.first_seen',
                        'marts.campaigns.last_seen', 'marts.campaign_tweets.created_at')
                    then data_type end as timestamp_type
        from information_schema.columns
        where table_schema in ('staging', 'marts', 'audit')""",
    "stg_tweets": "select tweet_id, created_at, is_retweet from staging.stg_tweets",
    "campaigns": """
        select campaign_id, party, party_confidence, is_automated, amplification_score, n_tweets,
               n_accounts, first_seen, last_seen, reasons
        from marts.campaigns""",
    "campaign_tweets": "select campaign_id, tweet_id from marts.campaign_tweets",
    "party_weekly": "select *, coalesce(party, '') as party_key from marts.party_weekly",
    "party_daily": "select *, coalesce(party, '') as party_key from marts.party_daily",
    "lake_files": "select path, sha256, lines, tweets, rejects from audit.ingest_files",
    "rejects": "select file, line_no, reason, raw from audit.rejects",
    "consistency": """
        select
            (select count(*) from marts.campaign_tweets
             anti join staging.stg_tweets using (tweet_id)) as members_missing_from_stg_tweets,
            (select count(*) from marts.campaigns c
             left join (select campaign_id, count(*) as n from marts.campaign_tweets group by 1) m
                 using (campaign_id)
             where c.n_tweets is distinct from m.n) as campaigns_with_miscounted_members,
            (select count(*) from marts.campaign_tweets
             anti join marts.campaigns using (campaign_id)) as members_without_campaign,
            (select count(*) from (
                select coalesce(party, '') as p, sum(n_automated_tweets) as n
                from marts.party_weekly group by 1
             ) w full outer join (
                select coalesce(party, '') as p, sum(n_tweets) as n
                from marts.campaigns where is_automated group by 1
             ) c using (p)
             where coalesce(w.n, 0) <> coalesce(c.n, 0)) as party_weekly_mismatches,
            abs((select coalesce(sum(rejects), 0) from audit.ingest_files)
                - (select count(*) from audit.rejects)) as rejects_not_in_file_counts
    """,
}


@dataclass
class Failure:
    """One failed expectation, with a sample of what broke it."""

    table: str
    expectation: str
    column: str | None
    sample: list[Any] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        sample = f" (e.g. {', '.join(repr(v) for v in self.sample[:5])})" if self.sample else ""
        return f"{where}: {self.expectation} failed{sample}"


@dataclass
class ValidationReport:
    """The outcome of one gate: which suites ran, what failed, where the Data Docs are."""

    database: Path
    suites: dict[str, bool] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    data_docs: Path | None = None
    validated_at: str = ""

    @property
    def success(self) -> bool:
        return bool(self.suites) and all(self.suites.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "suites": self.suites,
            "row_counts": self.row_counts,
            "failures": [str(f) for f in self.failures],
            "validated_at": self.validated_at,
            "data_docs": str(self.data_docs) if self.data_docs else None,
        }


def reference_parties(con: duckdb.DuckDBPyConnection) -> list[str | None]:
    rows = con.sql("select distinct party from staging.stg_reference__parties").fetchall()
    return [r[0] for r in rows] + [None]


def last_good_counts(settings: Settings) -> dict[str, int]:
    path = settings.gx_home / "last_good.json"
    return json.loads(path.read_text())["row_counts"] if path.exists() else {}


def parameters(settings: Settings, con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Run-time values the suites refer to as $PARAMETER."""
    last = last_good_counts(settings)
    return {
        "earliest_time": EARLIEST,
        "latest_time": datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1),
        "parties": reference_parties(con),
        # Deletions may shrink the tweets a little; a collapse means a broken build.
        "stg_tweets_min_rows": max(1, int(last.get("stg_tweets", 0) * 0.9)),
        "campaigns_min_rows": int(last.get("campaigns", 0) * 0.5),
    }


def _failures(table: str, result: Any) -> list[Failure]:
    out = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = dict(config.kwargs)
        sample = list((item.result or {}).get("partial_unexpected_list") or [])
        if not sample and "observed_value" in (item.result or {}):
            sample = [item.result["observed_value"]]
        out.append(
            Failure(
                table,
                config.type,
                kwargs.get("column")
                or (",".join(kwargs["column_list"]) if "column_list" in kwargs else None),
                sample,
            )
        )
    return out


def gx_context(settings: Settings) -> Any:
    os.environ["CHORUS_GX_HOME"] = str(settings.gx_home)
    settings.gx_home.mkdir(parents=True, exist_ok=True)
    import great_expectations as gx

    return gx.get_context(mode="file", project_root_dir=str(GX_DIR))


def validate(settings: Settings, database: Path | None = None) -> ValidationReport:
    """Run every suite over `database` (default: the published warehouse)."""
    database = database or settings.warehouse
    report = ValidationReport(database=database, validated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    context = gx_context(settings)
    frames: dict[str, Any] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        params = parameters(settings, con)
        for name, query in QUERIES.items():
            try:
                frames[name] = con.sql(query).df()
            except duckdb.Error as exc:  # a table or column the suite needs is missing
                report.suites[name] = False
                report.failures.append(Failure(name, f"reading the table ({exc})".split("\n")[0], None))
    for name, frame in frames.items():
        report.row_counts[name] = len(frame)
        checkpoint = context.checkpoints.get(f"gate_{name}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=params)
        for run_result in result.run_results.values():
            report.suites[name] = bool(run_result.success)
            report.failures.extend(_failures(name, run_result))
    context.build_data_docs()
    index = settings.gx_home / "data_docs" / "index.html"
    report.data_docs = index if index.exists() else None
    (settings.gx_home / "last_validation.json").write_text(json.dumps(report.to_json(), indent=1))
    return report


def remember_good(settings: Settings, report: ValidationReport) -> None:
    """After a publication, keep its row counts as the baseline for the next gate."""
    (settings.gx_home / "last_good.json").write_text(json.dumps(report.to_json(), indent=1))
