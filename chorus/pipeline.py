"""The whole job in one go: ingest, build a candidate, validate it, publish it, report on it."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from chorus.build import build, docs_are_current, docs_job
from chorus.build.candidate import candidate_from_spark
from chorus.build.inputs import inputs_digest, published_inputs, remember_published
from chorus.build.process import prestart
from chorus.config import Settings
from chorus.errors import ChorusError, ValidationFailed
from chorus.ingest import IngestSummary, ingest
from chorus.ingest.packs import pack_lake
from chorus.lock import home_lock
from chorus.publish import publish, publish_docs
from chorus.publish.gate import ValidationReport, last_report, remember_good, validate
from chorus.report import report

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What one `chorus run` did, for the closing summary."""

    ingest: IngestSummary
    validation: ValidationReport | None = None
    warehouse: Path | None = None
    reports: list[Path] = field(default_factory=list)
    campaigns: int = 0
    automated: int = 0


def build_and_publish(
    settings: Settings,
    extra_vars: dict[str, object] | None = None,
    full_refresh: bool = False,
    accept_shrink: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> ValidationReport:
    """Pack the lake's small inputs (chorus.ingest.packs), build a candidate, gate it (its dbt tests
    again, the GX suites), and publish it only if all pass.

    Work that does not wait on another step overlaps it: Great Expectations (3 s to import) loads
    while dbt builds in its own process, and the dbt docs page is generated from the build state
    while the gate validates the candidate, the warehouse is published and `meanwhile` runs (the
    report of `chorus run`); the page is published once ready.

    A build whose inputs (chorus.build.inputs) are those of the warehouse already published is
    skipped unless `full_refresh`: the report returned is then the gate's of that publication,
    marked `current`.
    """
    prestart_dbt(settings, extra_vars)
    with home_lock(settings.home, settings.lock_timeout), ThreadPoolExecutor(1) as background:
        pack_lake(settings)
        inputs = inputs_digest(settings, extra_vars)
        unchanged = inputs is not None and inputs == published_inputs(settings)
        current = last_report(settings) if unchanged and not full_refresh else None
        if current is not None:
            log.info("nothing new since the last build: %s is current", settings.warehouse)
            if meanwhile is not None:
                meanwhile()
            return current
        gx_loaded = background.submit(importlib.import_module, "great_expectations")
        candidate = build(settings, extra_vars, full_refresh=full_refresh, docs=False)
        gx_loaded.result()
        job = docs_job(settings, extra_vars)  # takes what it needs of the candidate before it moves
        docs = background.submit(job) if job is not None else None
        validation = validate(settings, candidate, accept_shrink=accept_shrink)
        remember_published(settings, None)  # the warehouse is about to change
        gate_and_publish(settings, candidate, validation)
        remember_published(settings, inputs)
        if meanwhile is not None:
            meanwhile()
        if docs is not None:
            docs.result()
        publish_docs(settings)
        return validation


def prestart_dbt(settings: Settings, extra_vars: dict[str, object] | None = None) -> None:
    """dbt processes loading ahead of need: one for the build, one for the docs page if due.
    (A project or vars that cannot be read are the build's to report, in its own words.)"""
    try:
        docs_due = not docs_are_current(settings, extra_vars)
    except (ChorusError, OSError):
        docs_due = False
    prestart(2 if docs_due else 1)


def publish_spark_build(settings: Settings, accept_shrink: bool = False) -> ValidationReport:
    """`chorus publish`: the DuckDB warehouse from the published tables a Spark build wrote as
    Parquet (a build on a cluster, or the last local one), through the same gate and swap."""
    with home_lock(settings.home, settings.lock_timeout):
        candidate = candidate_from_spark(settings)
        validation = validate(settings, candidate, accept_shrink=accept_shrink)
        remember_published(settings, None)  # made elsewhere: its inputs are not known here
        gate_and_publish(settings, candidate, validation)
        publish_docs(settings)
        return validation


def gate_and_publish(settings: Settings, candidate: Path, validation: ValidationReport) -> ValidationReport:
    """Publish a validated candidate, or raise with the gate's failures (nothing published)."""
    if not validation.success:
        lines = "\n  ".join(str(f) for f in validation.failures) or "a suite failed"
        raise ValidationFailed(
            f"validation failed, nothing published ({settings.warehouse} unchanged):\n  {lines}"
        )
    publish(settings, candidate)
    remember_good(settings, validation)
    return validation


def run(
    paths: list[Path],
    settings: Settings,
    progress: bool = True,
    accept_shrink: bool = False,
    columns: dict[str, str] | None = None,
) -> RunSummary:
    """Ingest `paths` (tables read by `columns`, a column map, when given), rebuild, validate,
    publish and render every week's report."""
    prestart_dbt(settings)  # dbt loads while the archive is read
    summary = RunSummary(ingest=ingest(paths, settings, progress=progress, columns=columns))

    def write_reports() -> None:
        summary.reports = report(settings)

    summary.validation = build_and_publish(settings, accept_shrink=accept_shrink, meanwhile=write_reports)
    summary.warehouse = settings.warehouse
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        found = con.execute(
            "select count(*), count(*) filter (where is_automated) from marts.campaigns"
        ).fetchone()
    summary.campaigns, summary.automated = (int(found[0]), int(found[1])) if found else (0, 0)
    return summary
