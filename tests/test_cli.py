"""The command line: help for every command, one-line errors, the closing summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import chorus_cli, tools_cli


@pytest.mark.parametrize(
    "command", ["run", "ingest", "build", "publish", "validate", "report", "query", "docs", "sensitivity"]
)
def test_every_command_has_help(command: str) -> None:
    done = chorus_cli(command, "--help")
    assert done.returncode == 0
    assert "usage: chorus" in done.stdout
    assert "--home" in done.stdout


def test_the_product_cli_leaves_the_development_tools_out() -> None:
    done = chorus_cli("synth", "--help")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    for command in ("synth", "eval"):
        done = tools_cli(command, "--help")
        assert done.returncode == 0 and "usage: python -m tools" in done.stdout


@pytest.mark.slow
def test_run_prints_a_summary(built, sample, tmp_path: Path) -> None:
    done = chorus_cli("run", "-q", "--home", str(tmp_path / "home"), str(sample[0]))
    assert done.returncode == 0, done.stderr
    assert f"tweets: {sample[1]['tweets']}" in done.stdout
    assert "campaigns:" in done.stdout and "reports:" in done.stdout


@pytest.mark.slow
def test_build_on_an_empty_home_says_what_to_do(tmp_path: Path) -> None:
    done = chorus_cli("build", "--home", str(tmp_path / "empty"))
    assert done.returncode == 2
    assert "the lake is empty" in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_engine_is_a_one_line_error(tmp_path: Path) -> None:
    done = chorus_cli("build", "--home", str(tmp_path / "h"), env={"CHORUS_ENGINE": "trino"})
    assert done.returncode == 2
    assert "CHORUS_ENGINE: 'trino' is not one of duckdb, spark" in done.stderr
    assert "Traceback" not in done.stderr


def test_publish_without_a_spark_build_says_what_to_do(tmp_path: Path) -> None:
    done = chorus_cli("publish", "--home", str(tmp_path / "h"))
    assert done.returncode == 2
    assert "no Spark build to publish" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "h" / "chorus.duckdb").exists()


def test_home_defaults_to_chorus_home(tmp_path: Path, sample) -> None:
    done = chorus_cli("ingest", "-q", str(sample[0]), env={"CHORUS_HOME": str(tmp_path / "h")})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "h" / "lake" / "_audit" / "files").is_dir()


@pytest.mark.slow
def test_a_lake_shared_by_two_homes(tmp_path: Path, sample) -> None:
    """`CHORUS_LAKE` puts the lake outside the home: a host that ingests and another that builds
    (Airflow workers on a shared mount) see the same lake, each with its own warehouse."""
    lake = tmp_path / "shared lake"
    shared = {"CHORUS_LAKE": str(lake)}
    done = chorus_cli("ingest", "-q", "--home", str(tmp_path / "ingester"), str(sample[0]), env=shared)
    assert done.returncode == 0, done.stderr
    assert (lake / "_audit" / "files").is_dir()
    assert not (tmp_path / "ingester" / "lake").exists()
    done = chorus_cli("build", "--home", str(tmp_path / "builder"), env=shared)
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(tmp_path / "builder" / "chorus.duckdb"), read_only=True) as con:
        files = con.execute("select count(*) from audit.ingest_files").fetchone()
    assert files == (len(list(sample[0].iterdir())),)


def test_the_project_is_found_without_an_editable_install(tmp_path: Path) -> None:
    from chorus.config import find_project_root, require_project
    from chorus.errors import ChorusError

    checkout = Path(__file__).resolve().parent.parent
    installed = tmp_path / "site-packages" / "chorus"  # a wheel: no transforms/ beside the package
    installed.mkdir(parents=True)
    assert find_project_root(None, checkout / "chorus", tmp_path) == checkout
    assert find_project_root(None, installed, checkout) == checkout
    assert find_project_root(str(checkout), installed, tmp_path) == checkout
    lost = find_project_root(None, installed, tmp_path)
    with pytest.raises(ChorusError, match="CHORUS_PROJECT"):
        require_project(lost)
    require_project(checkout)


@pytest.mark.slow
def test_freshness_says_when_the_lake_went_stale(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.conftest import REAL_FIXTURES

    home = tmp_path / "home"
    assert (
        chorus_cli(
            "ingest", "-q", "--home", str(home), str(REAL_FIXTURES / "cnt__sample_data.csv")
        ).returncode
        == 0
    )
    done = chorus_cli("freshness", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pass") and "lake.ingest_files" in done.stdout
    assert not list((home / ".state").glob("*.duckdb"))  # its scratch databases are gone
    (audit,) = (home / "lake" / "_audit" / "files").glob("*.parquet")
    table = pq.read_table(audit)
    old = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=40)
    stale = table.set_column(
        table.schema.get_field_index("ingested_at"),
        "ingested_at",
        pa.array([old], table.schema.field("ingested_at").type),
    )
    pq.write_table(stale, audit)
    done = chorus_cli("freshness", "--home", str(home))
    assert done.returncode == 1 and done.stdout.startswith("error"), done.stdout + done.stderr


@pytest.mark.slow
def test_spark_refuses_a_path_it_cannot_keep_tables_under(tmp_path: Path) -> None:
    home = tmp_path / "q'h [1]"
    done = chorus_cli("build", "--home", str(home), env={"CHORUS_ENGINE": "spark"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Spark cannot keep its tables under this path" in done.stderr


@pytest.mark.slow
def test_the_cli_honours_chorus_parties_as_the_dags_do(tmp_path: Path) -> None:
    """`$CHORUS_PARTIES` names the party reference for the CLI too: a bad one is refused, naming it."""
    bad = tmp_path / "parties.csv"
    bad.write_text("party,signal_type,value\nPS,colour,red\n", encoding="utf-8")
    done = chorus_cli("build", "--home", str(tmp_path / "home"), env={"CHORUS_PARTIES": str(bad)})
    assert done.returncode == 2 and str(bad) in done.stderr and "colour" in done.stderr, done.stderr
