"""Validate stage: the publication gate over a candidate warehouse.

Each rule lives in one place. What a table must hold (keys, relationships, ranges, the
cross-table consistency of `transforms/tests/`) is a dbt test: dbt runs it as the models build,
and the gate runs the same compiled tests again on the file about to be published (or, for
`chorus validate`, on the published file), so nothing broken between build and publish goes
out. What dbt cannot say is the gate's own: run-time bounds (no tweet in the future), and no
collapse against the last good publication. The published tables' columns and types are dbt
model contracts. Every check is an aggregate computed in DuckDB (one row per suite), so the gate
reads no table whole, and Great Expectations validates those numbers and writes Data Docs that
hold numbers only: no tweet text, name or path ever reaches its pages.

The GX file context lives in `expectations/gx/` (suites, validation definitions and checkpoints as
JSON in git, generated from `SUITES` by `expectations/define_suites.py`); results and Data Docs go
under `<home>/gx/`.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from chorus.build.engines import sql_escaped
from chorus.config import GX_DIR, Settings

log = logging.getLogger(__name__)
# GX imports pyspark when it is installed (the Spark engine), which warns about pandas 3 on import:
# nothing GX or Chorus uses of it.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
EARLIEST = datetime(2006, 3, 21)
# the name dbt's compiled SQL gives the published tables' file (profiles.yml's attach alias)
PUBLISHED = "published"


@dataclass(frozen=True)
class Metric:
    """One number a suite checks: a scalar SQL expression over the candidate and its bounds.

    `low`/`high` are numbers, or the name of a run-time parameter (see `parameters`).
    """

    name: str
    sql: str
    low: float | str | None = None
    high: float | str | None = None
    says: str = ""


def exactly_zero(name: str, sql: str, says: str) -> Metric:
    return Metric(name, sql, 0, 0, says)


SUITES: dict[str, list[Metric]] = {
    "stg_tweets": [
        Metric(
            "rows",
            "(select count(*) from staging.stg_tweets)",
            "stg_tweets_min_rows",
            None,
            "fewer tweets than the last good run allows (see --accept-shrink)",
        ),
        Metric(
            "earliest_created_at",
            "(select coalesce(min(created_at), $latest_time) from staging.stg_tweets)",
            "earliest_time",
            None,
            "a tweet older than Twitter",
        ),
        Metric(
            "latest_created_at",
            "(select coalesce(max(created_at), $earliest_time) from staging.stg_tweets)",
            None,
            "latest_time",
            "a tweet in the future",
        ),
    ],
    "campaigns": [
        Metric(
            "rows",
            "(select count(*) from marts.campaigns)",
            "campaigns_min_rows",
            None,
            "fewer campaigns than the last good run allows",
        ),
        Metric(
            "latest_first_seen",
            "(select coalesce(max(first_seen), $earliest_time) from marts.campaigns)",
            None,
            "latest_time",
            "a campaign in the future",
        ),
    ],
    "published_tests": [
        exactly_zero(
            "failing",
            "$failing_tests",
            "dbt tests of the published tables fail on this file (named below)",
        ),
    ],
    "audit": [
        Metric(
            "longest_raw_line",
            "(select coalesce(max(length(raw)), 0) from audit.rejects)",
            None,
            4096,
            "a raw rejected line longer than 4 KB",
        ),
    ],
}


@dataclass
class Failure:
    """One failed check, with the number observed."""

    table: str
    expectation: str
    column: str | None
    sample: list[Any] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        sample = f" (observed {', '.join(repr(v) for v in self.sample[:5])})" if self.sample else ""
        return f"{where}: {self.expectation}{sample}"


@dataclass
class ValidationReport:
    """The outcome of one gate: which suites ran, what failed, where the Data Docs are."""

    database: Path
    suites: dict[str, bool] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    data_docs: Path | None = None
    validated_at: str = ""
    overrides: list[str] = field(default_factory=list)
    current: bool = False  # nothing was built: the report of the publication still current

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
            "overrides": self.overrides,
            "data_docs": str(self.data_docs) if self.data_docs else None,
        }


def suite_query(metrics: list[Metric]) -> str:
    """One row: every metric of a suite as a column (SQL from `SUITES`, nothing from input)."""
    return "select " + ",\n".join(f"{m.sql} as {m.name}" for m in metrics)


def last_good(settings: Settings) -> dict[str, Any]:
    path = settings.gx_home / "last_good.json"
    return json.loads(path.read_text()) if path.exists() else {}


def last_report(settings: Settings) -> ValidationReport | None:
    """The gate's report of the warehouse last published, marked `current` (None if unknown)."""
    good = last_good(settings)
    if not good.get("success") or not good.get("suites"):
        return None
    docs = good.get("data_docs")
    return ValidationReport(
        database=settings.warehouse,
        suites={str(k): bool(v) for k, v in good["suites"].items()},
        row_counts={str(k): int(v) for k, v in good.get("row_counts", {}).items()},
        data_docs=Path(docs) if docs else None,
        validated_at=str(good.get("validated_at", "")),
        overrides=[str(o) for o in good.get("overrides", [])],
        current=True,
    )


def removed_since(settings: Settings, since: str) -> int:
    """Tweets taken out of the lake with `chorus lake remove` (or repair) after `since`."""
    if not settings.lake.has_files("_audit/removals"):
        return 0
    pattern = settings.lake.glob("_audit", "removals", "*.parquet")
    with duckdb.connect() as con:
        if not settings.lake.is_local:
            con.register_filesystem(settings.lake.filesystem())
        found = con.execute(
            "select coalesce(sum(tweets), 0) from read_parquet(?) where removed_at > ?::timestamp",
            [pattern, since or "1970-01-01"],
        ).fetchone()
    return int(found[0]) if found else 0


def parameters(settings: Settings, con: duckdb.DuckDBPyConnection, accept_shrink: bool) -> dict[str, Any]:
    """Run-time values the suites refer to as $PARAMETER.

    Against the last good run, the tweets may shrink by what was deliberately taken away (tweets
    named by delete notices since, inputs removed from the lake since) and 10% more; campaigns by
    half. `accept_shrink` lifts both bounds for one run (logged, and recorded in the results).
    """
    good = last_good(settings)
    counts = good.get("row_counts", {})
    deleted = deleted_tweets(con)
    explained = max(0, deleted - int(good.get("deleted_tweets", deleted))) + removed_since(
        settings, str(good.get("validated_at", ""))[:19]
    )
    expected_tweets = max(0, int(counts.get("stg_tweets", 0)) - explained)
    shrink = expected_tweets / max(1, int(counts.get("stg_tweets", 0))) if counts else 1.0
    return {
        "earliest_time": EARLIEST,
        "latest_time": datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1),
        "stg_tweets_min_rows": 0 if accept_shrink else int(expected_tweets * 0.9),
        "campaigns_min_rows": 0 if accept_shrink else int(int(counts.get("campaigns", 0)) * 0.5 * shrink),
        "deleted_tweets": deleted,
    }


def deleted_tweets(con: duckdb.DuckDBPyConnection) -> int:
    """Tweets the published warehouse leaves out because a delete notice names them."""
    try:
        found = con.execute(
            "select count(distinct tweet_id) from audit.stream_notices where kind = 'delete'"
        ).fetchone()
    except duckdb.Error:
        return 0
    return int(found[0]) if found else 0


def published_tests(settings: Settings) -> dict[str, str]:
    """The last build's dbt tests that read published tables only, by name, as dbt compiled them.

    Tests of internal models or of the lake stay with the build. A Spark build's tests are Spark
    SQL, run on Spark's own tables as it built; its candidate is a copy of them, so none is
    repeated here.
    """
    path = settings.dbt_dir / "target" / "manifest.json"
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("metadata", {}).get("adapter_type") != "duckdb":
        return {}
    nodes = manifest["nodes"]

    def is_published(unique_id: str) -> bool:
        return nodes.get(unique_id, {}).get("database") == PUBLISHED

    return {
        node["name"]: node["compiled_code"]
        for node in nodes.values()
        if node["resource_type"] == "test"
        and node.get("compiled_code")
        and node["config"].get("severity", "ERROR").upper() == "ERROR"
        and node["depends_on"]["nodes"]
        and all(is_published(uid) for uid in node["depends_on"]["nodes"])
    }


def failing_tests(database: Path, tests: dict[str, str]) -> list[str]:
    """The tests (compiled SQL of our project, returning failing rows) that fail on `database`,
    attached read-only under the name dbt compiled them against."""
    failing = []
    with duckdb.connect() as con:
        con.execute(f"attach '{sql_escaped(database)}' as {PUBLISHED} (read_only)")
        for name, sql in sorted(tests.items()):
            try:
                # the project's own SQL, compiled by dbt from our models' tests: no input in it
                found = con.execute(f"select count(*) from ({sql}\n) as failures").fetchone()  # noqa: S608
            except duckdb.Error as exc:
                failing.append(f"{name} (cannot run: {str(exc).splitlines()[0]})")
                continue
            if found and found[0]:
                failing.append(name)
    return failing


def gx_context(settings: Settings) -> Any:
    """The GX file context of `expectations/gx/`; its config reads `${CHORUS_GX_HOME}`, given as
    GX's runtime environment (results and Data Docs under the home; the process environment is
    left alone)."""
    settings.gx_home.mkdir(parents=True, exist_ok=True)
    import great_expectations as gx

    return gx.get_context(
        mode="file",
        project_root_dir=str(GX_DIR),
        runtime_environment={"CHORUS_GX_HOME": str(settings.gx_home)},
    )


def validate(
    settings: Settings, database: Path | None = None, accept_shrink: bool = False
) -> ValidationReport:
    """Run every suite over `database` (default: the published warehouse)."""
    database = database or settings.warehouse
    report = ValidationReport(database=database, validated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    frames: dict[str, Any] = {}
    failing = failing_tests(database, published_tests(settings))
    with duckdb.connect(str(database), read_only=True) as con:
        params = parameters(settings, con, accept_shrink) | {"failing_tests": len(failing)}
        for name, metrics in SUITES.items():
            try:
                frames[name] = con.execute(suite_query(metrics), sql_parameters(metrics, params)).df()
            except duckdb.Error as exc:  # a table or column the suite reads is missing
                report.suites[name] = False
                report.failures.append(Failure(name, f"cannot be read ({str(exc).splitlines()[0]})", None))
    if accept_shrink:
        report.overrides.append("--accept-shrink: the row-count bounds against the last good run were lifted")
        log.warning("gate: %s", report.overrides[-1])
    report.row_counts = {
        name: int(frame["rows"].iloc[0]) for name, frame in frames.items() if "rows" in frame.columns
    }
    report.row_counts["deleted_tweets"] = params["deleted_tweets"]
    context = gx_context(settings)
    for name, frame in frames.items():
        checkpoint = context.checkpoints.get(f"gate_{name}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=params)
        for run_result in result.run_results.values():
            report.suites[name] = bool(run_result.success)
            report.failures.extend(failures_of(name, run_result))
    report.failures.extend(Failure("published_tests", "fails on this file", name) for name in failing)
    context.build_data_docs()
    self_contained(settings.gx_home / "data_docs")
    index = settings.gx_home / "data_docs" / "index.html"
    report.data_docs = index if index.exists() else None
    (settings.gx_home / "last_validation.json").write_text(json.dumps(report.to_json(), indent=1))
    return report


def sql_parameters(metrics: list[Metric], params: dict[str, Any]) -> dict[str, Any]:
    """The named parameters a suite's SQL uses (`$latest_time`, ...)."""
    sql = " ".join(m.sql for m in metrics)
    return {name: value for name, value in params.items() if f"${name}" in sql}


def failures_of(suite: str, result: Any) -> list[Failure]:
    """Each failed expectation as a Failure: the metric, what failing it means, the number seen."""
    says = {m.name: m.says for m in SUITES[suite]}
    out = []
    for item in result.results:
        if item.success:
            continue
        column = item.expectation_config.kwargs.get("column")
        observed = (item.result or {}).get("partial_unexpected_list") or []
        out.append(Failure(suite, says.get(column, item.expectation_config.type), column, list(observed)))
    return out


def remember_good(settings: Settings, report: ValidationReport) -> None:
    """After a publication, keep its row counts as the baseline for the next gate."""
    good = report.to_json() | {"deleted_tweets": report.row_counts.get("deleted_tweets", 0)}
    (settings.gx_home / "last_good.json").write_text(json.dumps(good, indent=1))


EXTERNAL_LOADS = re.compile(
    r"""<script\b[^>]*\bsrc=["']https?://[^>]*>\s*</script>"""
    r"""|<link\b[^>]*\bhref=["']https?://[^>]*>"""
    r"""|<img\b[^>]*\bsrc=["']https?://[^>]*>""",
    re.IGNORECASE,
)
# Nothing but the page itself and inline styles: a page opened later cannot fetch anything either
NO_NETWORK = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:\">"
)


def self_contained(docs: Path) -> None:
    """Great Expectations' Data Docs load stylesheets and scripts from CDNs and a logo that
    reports the context's id; every such load is taken out of the pages (and a content security
    policy forbids any other), so opening them fetches nothing and tells no one. The pages stay
    readable, unstyled where the CDN's stylesheet was."""
    for page in docs.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        cleaned = EXTERNAL_LOADS.sub("", html)
        if NO_NETWORK not in cleaned:
            cleaned = re.sub(r"<head\b[^>]*>", lambda m: m.group(0) + NO_NETWORK, cleaned, count=1)
        if cleaned != html:
            page.write_text(cleaned, encoding="utf-8")
