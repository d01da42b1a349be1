"""What the Airflow tasks call: the same stage functions as the CLI, configured from the
environment (`CHORUS_HOME`, `CHORUS_LANDING`, `CHORUS_PARTIES`) so that DAG files stay thin.

Nothing here reads the clock: each task is keyed on what Airflow passes it (the landing
folder's content, the logical week), so re-running a task gives the same result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from chorus.config import Settings
from chorus.errors import ChorusError, TransientError

log = logging.getLogger(__name__)
LAKE_ASSET_NAME = "chorus_lake"
WAREHOUSE_ASSET_NAME = "chorus_warehouse"


def airflow_variable(name: str) -> str | None:
    """The Airflow Variable `name`, or None: the fallback of the settings resolver
    (`Settings.make`) in tasks, where the environment does not set it. Read inside tasks only,
    never at import."""
    try:
        from airflow.sdk import Variable

        found = Variable.get(name, default=None)
    except Exception:  # noqa: BLE001 - outside Airflow, or no Variable store: use the default
        return None
    return str(found) if found else None


def settings_from_env() -> Settings:
    """Settings for a task: `CHORUS_HOME` (default ./warehouse), `CHORUS_PARTIES` (default seed),
    `CHORUS_LAKE` (default `$CHORUS_HOME/lake`; a folder or an object-storage URL) and
    `CHORUS_LAKE_OPTIONS` (fsspec storage options, JSON, nothing secret) and `CHORUS_ENGINE`
    (duckdb, the default, or spark: what runs the transform DAG's dbt models)."""
    return Settings.make(fallback=airflow_variable)


@contextmanager
def terminal_failures() -> Iterator[None]:
    """Bad input and a closed gate fail the task at once: retrying gives the same answer after
    the same work. Transient errors (storage unreachable, the home busy) and anything unforeseen
    propagate as they are, and Airflow retries them."""
    try:
        yield
    except TransientError:
        raise
    except ChorusError as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def ingest_landing() -> dict[str, Any]:
    """Ingest every file in the landing folder; files already in the lake are skipped by hash."""
    from chorus.ingest import ingest

    with terminal_failures():
        settings = settings_from_env()
        settings.landing.mkdir(parents=True, exist_ok=True)
        # One process per task: Airflow scales across tasks and workers, not inside one.
        workers = settings.ingest_workers or 1
        summary = ingest([settings.landing], settings, progress=False, workers=workers)
    return {
        "new_files": summary.new_files,
        "skipped_files": summary.skipped_files,
        "tweets": summary.total("tweet"),
        "notices": summary.total("notice"),
        "rejects": summary.total("rejects"),
    }


def build_validate_publish() -> dict[str, Any]:
    """dbt build into a candidate, GX gate, atomic publish (raises if the gate closes)."""
    from chorus.pipeline import build_and_publish

    with terminal_failures():
        validation = build_and_publish(settings_from_env())
    return {"suites": validation.suites, "row_counts": validation.row_counts, "current": validation.current}


def iso_week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_report(data_interval_start: date) -> list[str]:
    """Render the report of the ISO week that contains the data interval's start."""
    from chorus.report import report

    with terminal_failures():
        return [str(p) for p in report(settings_from_env(), iso_week_of(data_interval_start))]


def task_defaults(retries: int, retry_minutes: int) -> dict[str, Any]:
    """default_args of every Chorus DAG: retries with exponential back-off, a failure summary."""
    return {
        "retries": retries,
        "retry_delay": timedelta(minutes=retry_minutes),
        "retry_exponential_backoff": True,
        "on_failure_callback": log_failure,
    }


def log_failure(context: dict[str, Any]) -> None:
    """Airflow failure callback: one clear line with the DAG, task, date and error."""
    ti = context.get("task_instance")
    log.error(
        "chorus task failed: dag=%s task=%s logical_date=%s error=%s",
        getattr(ti, "dag_id", "?"),
        getattr(ti, "task_id", "?"),
        context.get("logical_date"),
        context.get("exception"),
    )
