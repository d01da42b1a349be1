"""The published tables a build keeps from the warehouse: only from the state's last build, as
published and untouched since (chorus.build.kept). No dbt: the files are made by hand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from chorus.build.engines import published_file
from chorus.build.kept import forget_build, holds_last_build, remember_build, start_published
from chorus.config import Settings
from chorus.publish import publish


def manifest(settings: Settings) -> None:
    """A last build's manifest naming one incremental published model and one table."""
    nodes = {
        f"model.chorus.{name}": {
            "resource_type": "model",
            "schema": schema,
            "alias": name,
            "config": {"materialized": materialized},
        }
        for schema, name, materialized in (
            ("staging", "stg_tweets", "incremental"),
            ("marts", "campaigns", "table"),
        )
    }
    target = settings.dbt_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(json.dumps({"nodes": nodes}))


def built_and_published(settings: Settings) -> None:
    """A build of the state completes and its candidate becomes the warehouse."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    remember_build(settings)
    settings.candidate_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.candidate)) as con:
        con.execute("create schema staging; create schema marts")
        con.execute("create table staging.stg_tweets as select 'one' as tweet_id")
        con.execute("create table marts.campaigns as select 'c' as campaign_id")
    publish(settings, settings.candidate)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    made = Settings.make(tmp_path / "home")
    manifest(made)
    built_and_published(made)
    return made


def kept_tables(settings: Settings) -> list[tuple[str, str]]:
    with duckdb.connect(str(published_file(settings.state)), read_only=True) as con:
        return con.execute("select schema_name, table_name from duckdb_tables() order by all").fetchall()


def test_the_published_warehouse_of_the_last_build_is_kept_with_only_its_incremental_tables(
    settings: Settings,
) -> None:
    assert holds_last_build(settings)
    assert start_published(settings, fresh=False) == ["staging.stg_tweets"]
    assert kept_tables(settings) == [("staging", "stg_tweets")]
    assert start_published(settings, fresh=True) == []  # a full refresh keeps nothing
    assert not published_file(settings.state).exists()


def test_a_write_ahead_log_beside_the_warehouse_means_someone_wrote_to_it(settings: Settings) -> None:
    wal = settings.warehouse.with_name(settings.warehouse.name + ".wal")
    wal.write_bytes(b"")
    assert not holds_last_build(settings)
    assert start_published(settings, fresh=False) == []
    assert not published_file(settings.state).exists()
    wal.unlink()
    assert holds_last_build(settings)


def test_a_warehouse_written_to_or_replaced_is_not_the_last_build(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse)) as con:  # an analyst adds a table and checkpoints
        con.execute("create table main.notes as select 1 as n")
    assert not holds_last_build(settings)
    built_and_published(settings)
    assert holds_last_build(settings)
    copy = settings.warehouse.with_name("copy.duckdb")
    copy.write_bytes(settings.warehouse.read_bytes())
    os.replace(copy, settings.warehouse)  # the same bytes, another file
    assert not holds_last_build(settings)


def test_a_build_of_the_state_since_the_publication_is_not_in_the_warehouse(settings: Settings) -> None:
    forget_build(settings)  # a build runs: until it completes no warehouse holds the state's last build
    assert not holds_last_build(settings)
    remember_build(settings)  # it completed, never published
    assert not holds_last_build(settings)
    assert start_published(settings, fresh=False) == []
