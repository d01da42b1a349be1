"""The same dbt project on Spark (CHORUS_ENGINE=spark) gives the same warehouse as on DuckDB.

Both builds start from one lake; the Spark build's Parquet tables become a DuckDB candidate
(`chorus.build.candidate.candidate_from_spark`) that passes the same gate, then every published table is
compared with the DuckDB build's, row for row (floats to 1e-9). Needs Java 17 (`.ci/run` installs
openjdk-17-jre-headless when it is missing); skipped, saying so, without it.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chorus.config import Settings
from chorus.ingest import ingest
from chorus.pipeline import RunSummary, build_and_publish, publish_spark_build
from tests.test_scenarios import ARABIC, CHINESE, EVERYDAY, RUSSIAN, headline_network
from tools.synth import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no Java: Spark cannot start (apt install openjdk-17-jre-headless)",
    ),
]


def published_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every published table's rows, sorted, after a first row of its columns and their types."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        tables = {}
        for schema, table in names:
            columns = tuple(
                con.execute(
                    "select column_name || ' ' || data_type from duckdb_columns() "
                    "where schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
            )
            found = con.execute(f'select * from "{schema}"."{table}"').fetchall()
            tables[f"{schema}.{table}"] = [columns, *sorted(found, key=sort_key)]
    return tables


def sort_key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(f"{v:.6f}" if isinstance(v, float) else repr(v) for v in row)


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or math.isclose(
            left, right, rel_tol=1e-9, abs_tol=1e-9
        )
    return bool(left == right)


def assert_same_warehouse(duck: Path, spark: Path) -> None:
    expected, found = published_tables(duck), published_tables(spark)
    assert sorted(found) == sorted(expected)
    for table, rows in expected.items():
        other = found[table]
        assert other[0] == rows[0], f"{table}: columns or types differ"
        assert len(other) == len(rows), f"{table}: {len(other) - 1} rows on Spark, {len(rows) - 1} on DuckDB"
        for mine, theirs in zip(rows[1:], other[1:], strict=True):
            differing = [c[0] for c, a, b in zip(rows[0], mine, theirs, strict=True) if not same(a, b)]
            assert not differing, f"{table}: {differing} differ: DuckDB {mine} / Spark {theirs}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def master_status(ui_port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as answer:  # noqa: S310
        return dict(json.load(answer))


@contextmanager
def standalone_cluster(folder: Path, workers: int = 2) -> Iterator[tuple[str, int]]:
    """A Spark standalone master and `workers` workers (one core, 1 GiB each) on loopback, started
    from pyspark's own `spark-class`; yields (master URL, master web UI port) once every worker
    has registered, and stops them all."""
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    spark_class = str(spark_home / "bin" / "spark-class")
    env = {**os.environ, "SPARK_HOME": str(spark_home), "SPARK_LOCAL_IP": "127.0.0.1"}
    port, ui_port = free_port(), free_port()
    url = f"spark://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, *args: str) -> None:
        with (folder / f"{name}.log").open("wb") as log:
            processes.append(
                subprocess.Popen([spark_class, *args], stdout=log, stderr=subprocess.STDOUT, env=env)
            )

    try:
        start(
            "master", "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port),
        )  # fmt: skip
        for n in range(workers):
            start(
                f"worker{n}", "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                "--webui-port", str(free_port()), "--work-dir", str(folder / f"work{n}"), url,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                if master_status(ui_port).get("aliveworkers") == workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                logs = {f.name: f.read_text(errors="replace")[-1500:] for f in folder.glob("*.log")}
                raise RuntimeError(f"the standalone cluster did not come up: {logs}")
            time.sleep(1)
        yield url, ui_port
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_spark_on_a_standalone_cluster_equals_duckdb(
    built: tuple[Settings, RunSummary], home_copy: Settings, tmp_path: Path, monkeypatch
) -> None:
    """The same models on a real standalone cluster (a master and two workers on loopback, the
    driver in dbt's process): the executors on the workers write the Parquet tables, and the
    published warehouse equals DuckDB's table by table."""
    settings, _ = built
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver binds to loopback, as the workers
    with standalone_cluster(tmp_path / "cluster") as (url, ui_port):
        spark = replace(home_copy, engine="spark", spark_master=url, spark_memory="1g")
        spark.warehouse.unlink()
        assert build_and_publish(spark).success
        apps = master_status(ui_port)
    assert_same_warehouse(settings.warehouse, spark.warehouse)
    assert apps.get("activeapps", []) + apps.get("completedapps", []), apps  # dbt's session was an app
    executors = [d for n in range(2) for d in (tmp_path / "cluster" / f"work{n}").glob("app-*/*")]
    assert executors, "no executor ran on the workers"


def test_spark_build_equals_duckdb_build(built: tuple[Settings, RunSummary], home_copy: Settings) -> None:
    """The sample (every campaign kind, mixed formats): the published warehouse is the same."""
    settings, _ = built
    spark = replace(home_copy, engine="spark")
    spark.warehouse.unlink()  # the copy's warehouse is the DuckDB build's: the Spark one replaces it
    validation = build_and_publish(spark)
    assert validation.success
    assert (Path(spark.spark_warehouse) / "marts.db" / "campaigns").is_dir()  # Parquet in the lake
    assert_same_warehouse(settings.warehouse, spark.warehouse)
    with duckdb.connect(str(spark.warehouse), read_only=True) as con:
        undescribed = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where comment is null and not internal"
        ).fetchall()
        assert (
            con.execute("select count(*) filter (where is_automated) from marts.campaigns").fetchall()[0][0]
            > 0
        )
    assert not undescribed  # comments from the dbt docs, as on DuckDB

    # `chorus publish` makes the warehouse again from the same Parquet tables, through the gate
    spark.warehouse.unlink()
    assert publish_spark_build(spark).success
    assert_same_warehouse(settings.warehouse, spark.warehouse)


def test_spark_equals_duckdb_on_an_app_less_minute_archive(tmp_path: Path) -> None:
    """An Information Operations CSV (no posting app, minute times) with every campaign kind, and
    headline networks writing in three other scripts, loaded into the Spark home in two steps: the
    second build adds to the incremental caches (dbt-spark's append) and still gives what DuckDB
    gives from one load."""
    generate(tmp_path / "io", seed=23, days=5, accounts=700, organic_per_day=400, formats=["io"])
    rng = random.Random(5)  # and networks writing in Cyrillic, Chinese and Arabic (normalisation)
    for n, (language, headlines) in enumerate({"ru": RUSSIAN, "zh": CHINESE, "ar": ARABIC}.items()):
        release, _ = headline_network(
            rng, headlines=headlines, words=EVERYDAY[language], first_id=(n + 1) * 10**9, links=False
        )
        (tmp_path / "io" / "archive" / f"release_{language}.csv").write_bytes(release)
    files = sorted((tmp_path / "io" / "archive").iterdir())
    spark = replace(Settings.make(tmp_path / "spark"), engine="spark")
    ingest(files[:3], spark, progress=False)
    assert build_and_publish(spark).success
    ingest(files[3:], spark, progress=False)
    assert build_and_publish(spark).success
    compiled = next((spark.dbt_dir / "target" / "compiled").rglob("int_text_normalised.sql")).read_text()
    assert "anti join" in compiled  # the second build was incremental: only new texts normalised

    duck = Settings.make(tmp_path / "duck")  # the same lake (its audit rows' times included), once
    shutil.copytree(spark.lake.path, duck.lake.path, ignore=shutil.ignore_patterns("_warehouse"))
    assert build_and_publish(duck).success
    assert_same_warehouse(duck.warehouse, spark.warehouse)
