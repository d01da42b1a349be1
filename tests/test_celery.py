"""Airflow with the Celery executor, for real: PostgreSQL metadata, a Redis broker, an API server,
a scheduler, a DAG processor and one Celery worker, each its own process, and the lake in an S3
bucket. The DAG files and the Chorus code are the ones `dag.test()` runs in tests/test_dags.py."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from tests.conftest import REPO
from tests.services import free_port, missing_servers, postgres, redis, wait_for_port
from tools.loopback import make_bucket

pytestmark = pytest.mark.skipif(
    bool(missing_servers()), reason=f"needs {', '.join(missing_servers())} (.ci/run installs them)"
)
BIN = Path(sys.executable).parent
COMPONENTS = {
    "api-server": ["api-server"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "worker": ["celery", "worker", "--concurrency", "2"],
}


@dataclass
class Deployment:
    """A running Airflow deployment: its environment, metadata database and component logs."""

    env: dict[str, str]
    database: str
    logs: Path
    home: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def airflow(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "airflow"), *args], env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"airflow {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg2.connect(self.database) as con, con.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def wait(self, what: str, sql: str, *params: Any, seconds: float = 480) -> list[tuple[Any, ...]]:
        """Poll the metadata database until `sql` returns rows; fail with the components' logs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            stopped = [name for name, process in self.processes.items() if process.poll() is not None]
            if stopped:
                pytest.fail(f"{what}: airflow {', '.join(stopped)} stopped\n{self.tails()}")
            found = self.query(sql, *params)
            if found:
                return found
            time.sleep(2)
        pytest.fail(f"{what}: not within {seconds:.0f} s\n{self.tails()}")

    def tails(self) -> str:
        logs = sorted(self.logs.iterdir())
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs)


@pytest.fixture(scope="module")
def deployment(
    s3: dict[str, str], sample: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("celery")
    home, landing, logs = root / "home", root / "landing", root / "logs"
    for folder in (home, landing, logs):
        folder.mkdir()
    for file in sample[0].iterdir():
        shutil.copy(file, landing)
    make_bucket(s3, "celery-lake")
    api_port = free_port()
    with postgres() as database, redis() as broker:
        env = {
            **os.environ,
            **s3,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "AIRFLOW_HOME": str(root / "airflow"),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database.replace(
                "postgresql://", "postgresql+psycopg2://"
            ),
            "AIRFLOW__CELERY__BROKER_URL": broker,
            "AIRFLOW__CELERY__RESULT_BACKEND": database.replace("postgresql://", "db+postgresql+psycopg2://"),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "CHORUS_HOME": str(home),
            "CHORUS_LANDING": str(landing),
            "CHORUS_LAKE": "s3://celery-lake/lake",
        }
        deployed = Deployment(env, database, logs, home)
        deployed.airflow("db", "migrate")
        running = deployed.processes
        try:
            for name, args in COMPONENTS.items():
                with (logs / f"{name}.log").open("wb") as log:
                    running[name] = subprocess.Popen(
                        [str(BIN / "airflow"), *args],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
            api = running["api-server"]
            wait_for_port(api_port, lambda: api.poll() is None, "airflow api-server", seconds=120)
            yield deployed
        finally:
            for process in running.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in running.values():
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def test_ingest_and_asset_triggered_transform_run_on_a_celery_worker(deployment: Deployment, sample) -> None:
    """Unpaused, `chorus_ingest` runs on the worker, its asset event schedules `chorus_transform`,
    which builds, validates and publishes the warehouse; both read the lake in the bucket."""
    deployment.wait(
        "the DAG processor serialising the DAGs",
        "select count(*) from dag where dag_id in ('chorus_ingest', 'chorus_transform') having count(*) = 2",
    )
    deployment.airflow("dags", "unpause", "chorus_transform")
    deployment.airflow("dags", "unpause", "chorus_ingest")
    deployment.wait(
        "chorus_transform succeeding after an asset event",
        "select run_id from dag_run where dag_id = 'chorus_transform' and state = 'success'"
        " and run_type = 'asset_triggered'",
    )
    ingest_runs = deployment.query("select state from dag_run where dag_id = 'chorus_ingest'")
    assert ("success",) in ingest_runs
    tasks = deployment.query(
        "select dag_id, task_id, state, external_executor_id, hostname from task_instance"
        " where dag_id in ('chorus_ingest', 'chorus_transform') and state = 'success'"
    )
    assert {(dag, task) for dag, task, *_ in tasks} >= {("chorus_ingest", "ingest_landing")}
    assert any(dag == "chorus_transform" for dag, *_ in tasks)
    # Celery gave every task a task id of its own: the worker ran them, not the scheduler.
    assert all(celery_id and host for *_, celery_id, host in tasks)

    with duckdb.connect(str(deployment.home / "chorus.duckdb"), read_only=True) as con:
        tweets = con.execute("select count(*) from staging.stg_tweets").fetchone()
        campaigns = con.execute("select count(*) from marts.campaigns").fetchone()
    assert tweets and tweets[0] > 0 and campaigns and campaigns[0] > 0
    assert not (deployment.home / "lake").exists()
