"""Airflow: the DAGs import cleanly, are wired as intended, and run the pipeline with dag.test()."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import REPO

DAG_IDS = {"chorus_ingest", "chorus_transform", "chorus_weekly_report"}


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A migrated SQLite Airflow home, and the project's DAGs loaded from it."""
    airflow_home = tmp_path_factory.mktemp("airflow")
    env = {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    airflow = Path(sys.executable).parent / "airflow"
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, env=os.environ)
    from airflow.dag_processing.dagbag import DagBag

    yield DagBag(dag_folder=str(REPO / "dags"))
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_dags_import_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == DAG_IDS


def test_schedules_tags_and_retries(dagbag) -> None:
    ingest = dagbag.get_dag("chorus_ingest")
    transform = dagbag.get_dag("chorus_transform")
    weekly = dagbag.get_dag("chorus_weekly_report")
    assert ingest.schedule == "@daily"
    assert [a.name for a in ingest.tasks[0].outlets] == ["chorus_lake"]
    assert "chorus_lake" in str(transform.timetable.asset_condition)
    assert weekly.timetable._expression == "0 6 * * 1"
    assert "Monday" in weekly.timetable.description
    for dag in (ingest, transform, weekly):
        assert "chorus" in dag.tags
        assert dag.doc_md and dag.catchup is False
        for task in dag.tasks:
            assert task.retries >= 1 and task.retry_exponential_backoff
            assert task.on_failure_callback


def test_weekly_timetable_interval_is_the_week_that_ended(dagbag) -> None:
    import pendulum

    weekly = dagbag.get_dag("chorus_weekly_report")
    info = weekly.timetable.infer_manual_data_interval(run_after=pendulum.datetime(2011, 10, 24, 6, tz="UTC"))
    assert info.start == pendulum.datetime(2011, 10, 17, 6, tz="UTC")
    assert info.end == pendulum.datetime(2011, 10, 24, 6, tz="UTC")


@pytest.mark.slow
def test_ingest_transform_report_run_end_to_end_and_again(dagbag, sample, tmp_path: Path) -> None:
    import pendulum

    home = tmp_path / "home"
    landing = home / "landing"
    shutil.copytree(sample[0], landing)
    os.environ["CHORUS_HOME"] = str(home)
    try:
        for dag_id in ("chorus_ingest", "chorus_transform"):
            assert dagbag.get_dag(dag_id).test().state == "success", dag_id
        run = dagbag.get_dag("chorus_weekly_report").test(
            logical_date=pendulum.datetime(2011, 10, 17, 6, tz="UTC")
        )
        assert run.state == "success"
        page = home / "reports" / "2011-W41.html"
        assert page.exists() and not (home / "reports" / "2011-W42.html").exists()
        with duckdb.connect(str(home / "chorus.duckdb"), read_only=True) as con:
            first = con.execute(
                "select campaign_id, party, amplification_score from marts.campaigns order by 1"
            ).fetchall()
        first_page = page.read_text(encoding="utf-8")
        twin = page.with_suffix(".json")
        first_figures = json.loads(twin.read_text(encoding="utf-8"))
        first_figures.pop("quality")
        # Re-running the report task alone gives the very same page.
        dagbag.get_dag("chorus_weekly_report").test(logical_date=pendulum.datetime(2011, 10, 17, 6, tz="UTC"))
        assert page.read_text(encoding="utf-8") == first_page
        # A re-run of every DAG changes no figure; nothing new came in, so nothing is built.
        published = (home / "chorus.duckdb").stat().st_mtime_ns
        for dag_id in ("chorus_ingest", "chorus_transform"):
            assert dagbag.get_dag(dag_id).test().state == "success", dag_id
        assert (home / "chorus.duckdb").stat().st_mtime_ns == published
        dagbag.get_dag("chorus_weekly_report").test(logical_date=pendulum.datetime(2011, 10, 17, 6, tz="UTC"))
        with duckdb.connect(str(home / "chorus.duckdb"), read_only=True) as con:
            again = con.execute(
                "select campaign_id, party, amplification_score from marts.campaigns order by 1"
            ).fetchall()
        assert first and again == first
        figures = json.loads(twin.read_text(encoding="utf-8"))
        figures.pop("quality")
        assert figures == first_figures
    finally:
        os.environ.pop("CHORUS_HOME", None)


def test_the_tasks_take_the_engine_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CHORUS_ENGINE (env, else the Airflow Variable) picks what runs the transform DAG's models."""
    from chorus.errors import ChorusError
    from chorus.orchestration import settings_from_env

    monkeypatch.setenv("CHORUS_HOME", str(tmp_path))
    monkeypatch.delenv("CHORUS_ENGINE", raising=False)
    assert settings_from_env().engine == "duckdb"
    monkeypatch.setenv("CHORUS_ENGINE", "Spark")
    assert settings_from_env().engine == "spark"
    monkeypatch.setenv("CHORUS_ENGINE", "presto")
    with pytest.raises(ChorusError, match="CHORUS_ENGINE"):
        settings_from_env()
