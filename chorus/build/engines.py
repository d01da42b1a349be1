"""The environments of dbt's two engines (DuckDB, Spark): paths, variables, the lake's empty
schema files beside old parts, and the databases a run writes."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from chorus.config import DBT_PROJECT_DIR, Settings, process_environment
from chorus.errors import ChorusError
from chorus.storage import escape_glob, escape_hadoop_glob

if TYPE_CHECKING:
    import pyarrow as pa


def sql_escaped(path: str | Path) -> str:
    """A path as the inside of a SQL string literal (single quotes doubled)."""
    return str(path).replace("'", "''")


def remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log: a log left behind would be replayed into
    the next file of that name."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def published_file(database: Path) -> Path:
    """Where a DuckDB run of dbt builds the published tables of `database` (profiles.yml attaches
    it as `published`). Its name follows the database's, so that the build and the docs run
    connect alike and share dbt's parse cache, while scratch runs never touch the build's file."""
    return database.with_name(f"{database.stem}.published.duckdb")


def dbt_environment(settings: Settings, database: Path) -> dict[str, str]:
    """The process environment for dbt: its databases, and the lake's file patterns as SQL string
    contents.

    Only the pattern's last parts are globs: the lake's own path is escaped (`--home h[1]` must
    never read `h1`), then quoted for SQL. A lake holding no tweet yet (only rejects) is read
    through an empty Parquet file of the lake schema, so a build gives empty tables, not an error.
    """
    lake = settings.lake
    has_tweets = lake_has_tweets(settings)  # one listing of the lake (a remote one in object storage)
    # Local paths are relative to dbt's working folder, the state folder: the profile and the
    # sources file (hence dbt's parse cache) are then the same in every home (see `shared_parse`).
    root = escape_glob(os.path.relpath(lake.root, settings.state_dir)) if lake.is_local else lake.glob()
    tweets = (
        "/".join([root, "tweets", "*", "*.parquet"])
        if has_tweets
        else os.path.relpath(empty_tweets(settings), settings.state_dir)
    )
    return {
        **process_environment(),
        "CHORUS_MEMORY_LIMIT": settings.memory_limit,
        "CHORUS_DBT_DB": os.path.relpath(database, settings.state_dir),
        "CHORUS_DBT_PUBLISHED": os.path.relpath(published_file(database), settings.state_dir),
        "CHORUS_LAKE_SQL": sql_escaped(root),
        "CHORUS_TWEETS_SQL": sql_escaped(tweets),
        # the day partitions read as a column (base_lake__tweet_days), unless a folder above them
        # has a `key=value` name too: DuckDB would read that one as a partition as well
        "CHORUS_TWEETS_BY_DAY": "true" if has_tweets and "=" not in root else "",
        # read beside the parts, so that parts written before a column was added read it as NULL
        "CHORUS_EMPTY_TWEETS_SQL": sql_escaped(os.path.relpath(empty_tweets(settings), settings.state_dir)),
        "CHORUS_EMPTY_NOTICES_SQL": sql_escaped(
            os.path.relpath(empty_table(settings, "notices", notice_schema()), settings.state_dir)
        ),
        "CHORUS_DBT_FILESYSTEMS": repr(lake.duckdb_filesystems()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(spark_environment(settings, has_tweets) if settings.engine == "spark" else {}),
    }


def spark_environment(settings: Settings, has_tweets: bool) -> dict[str, str]:
    """Where a Spark build reads and writes (see profiles.yml and macros/lake.sql); paths are
    Hadoop patterns with their own glob characters and backticks escaped."""
    lake = settings.lake
    tweets = (
        lake.spark_glob("tweets", "*", "*.parquet")
        if has_tweets
        else escape_hadoop_glob(str(empty_tweets(settings)))
    )
    parties = settings.state_dir / "party_reference.jsonl"
    return {
        "CHORUS_SPARK_LAKE": lake.spark_glob(),
        "CHORUS_SPARK_TWEETS": tweets,
        "CHORUS_SPARK_PARTIES": escape_hadoop_glob(str(parties)),
        "CHORUS_SPARK_WAREHOUSE": settings.spark_warehouse,
        "CHORUS_SPARK_METASTORE": str(settings.spark_dir / "metastore_db"),
        "CHORUS_SPARK_JAVA_OPTIONS": f"-Dderby.system.home={java_option_quoted(str(settings.spark_dir))}",
        "CHORUS_SPARK_MASTER": settings.spark_master or f"local[{settings.spark_cores}]",
        "CHORUS_SPARK_MEMORY": settings.spark_memory,
        "CHORUS_SPARK_PARTITIONS": settings.spark_partitions,
    }


def java_option_quoted(value: str) -> str:
    """A value inside Spark's extraJavaOptions, which Spark splits on spaces: double-quoted, with
    backslashes and double quotes escaped (a home such as `q'h [1]` must not split)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lake_has_tweets(settings: Settings) -> bool:
    return settings.lake.has_files("tweets/*")


def empty_tweets(settings: Settings) -> Path:
    """A Parquet file of the lake's tweet schema with no rows (read in place of an empty lake)."""
    from chorus.ingest.lake import TWEET_SCHEMA

    return empty_table(settings, "tweets", TWEET_SCHEMA)


def notice_schema() -> pa.Schema:
    from chorus.ingest.lake import NOTICE_SCHEMA

    return NOTICE_SCHEMA


def empty_table(settings: Settings, name: str, schema: pa.Schema) -> Path:
    """A Parquet file of `schema` with no rows, kept in the state: read beside a lake table's
    files, it gives the columns that files written before a column was added lack."""
    import pyarrow.parquet as pq

    path = settings.state_dir / f"empty_{name}.parquet"
    if not path.exists() or not pq.read_schema(path).equals(schema):
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), path)
    return path


def dbt_vars(settings: Settings, extra: dict[str, object] | None = None) -> dict[str, object]:
    """Vars for dbt: `$CHORUS_DBT_VARS` (JSON, e.g. '{"min_accounts": 10}'), then `extra`, and the
    applied party reference (checked and rewritten by `write_party_reference`)."""
    try:
        values = json.loads(settings.dbt_vars_json)
    except json.JSONDecodeError as exc:
        raise ChorusError(f"CHORUS_DBT_VARS: not JSON ({exc})") from exc
    if not isinstance(values, dict):
        raise ChorusError('CHORUS_DBT_VARS: expected a JSON object, e.g. {"min_accounts": 10}')
    values.update(extra or {})
    values["parties_csv"] = "party_reference.csv"  # in the state folder, dbt's working folder
    return values


def project_fingerprint(settings: Settings, extra_vars: dict[str, object] | None = None) -> str:
    """A digest of what the state's incremental models are a function of: the models, macros,
    seeds (the app catalogue), vars and the party reference (the tweets' party signals are kept
    per day).

    When it changes, kept rows may no longer match the rules, so the state is rebuilt in full.
    """
    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds"):
        files.extend(sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()))
    for path in files:
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    # a reference that is not there is the build's to report (check_party_reference), in one line
    parties = settings.parties.read_bytes() if settings.parties.is_file() else b""
    digest.update(b"parties\0" + parties + b"\0")
    values = {k: v for k, v in dbt_vars(settings, extra_vars).items() if k != "parties_csv"}
    digest.update(json.dumps(values, sort_keys=True).encode())
    digest.update(settings.engine.encode())  # another engine's state is not this one's
    return digest.hexdigest()


# What a path may hold for Spark's tables: Hadoop reads a managed table's location as a pattern
# and a URI (a home `q'h [1]` gave PATH_NOT_FOUND), so anything else is refused up front.
SPARK_SAFE_PATH = re.compile(r"^[A-Za-z0-9._/@+=,~-]+$")


def check_spark_paths(settings: Settings) -> None:
    """A one-line error, before Spark starts, for a lake Spark cannot keep its tables under."""
    if not SPARK_SAFE_PATH.match(settings.spark_warehouse):
        raise ChorusError(
            f"{settings.spark_warehouse}: Spark cannot keep its tables under this path (spaces, quotes, "
            "brackets, ...); use a home or CHORUS_LAKE with plain characters, or CHORUS_ENGINE=duckdb"
        )
