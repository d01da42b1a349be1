"""Build stage: check the party reference, `dbt build` the lake into the state and a candidate.

dbt builds the internal schema into the build state (`<home>/.state/chorus.duckdb`), which keeps
it between builds. The incremental models there are caches of pure functions of the lake
(normalised text per distinct text, MinHash signature per distinct message): a build computes
them only for what is new, so adding a day to the lake costs a fraction of a full build. The
state is rebuilt from scratch (`--full-refresh`) when the dbt project, its vars or the party
reference change, or on request. The published schemas go straight into a file of their own
(`published_file`, attached as `published`: macros/generate_database_name.sql), which becomes
the candidate the gate validates and publish renames into place, with no copy; a failed build or
gate never touches the warehouse.

With `CHORUS_ENGINE=spark` the same models run on Spark (dbt-spark, target `spark`): the tables
are Parquet under the lake's warehouse area and the candidate is made from their published
schemas (`chorus.publish.candidate_from_spark`); the rest is the same.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chorus.config import DBT_PROJECT_DIR, PROJECT_ROOT, Settings, require_project
from chorus.dbt_process import dbt_child
from chorus.errors import ChorusError, InputError, ValidationFailed
from chorus.publish import candidate_from_spark, finish_candidate
from chorus.storage import escape_glob, escape_hadoop_glob

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger(__name__)
SIGNAL_TYPES = ("account", "hashtag", "domain", "source")


def read_party_reference(path: Path) -> list[tuple[str, str, str]]:
    """The rows of a party reference CSV, checked: a bad header, an unknown signal type, an empty
    or duplicate row, text that is not UTF-8 or a quote left open is an error naming the line.

    The rows are then written once, canonical (`write_party_reference`), for dbt to read, so the
    reference is parsed in one place only.
    """
    if not path.is_file():
        raise InputError(str(path), "party reference not found")
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "UTF-16 text: save the reference as UTF-8", line=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "not UTF-8 text (save the reference as UTF-8)", line=line) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if header != ["party", "signal_type", "value"]:
            raise InputError(str(path), "header must be party,signal_type,value", line=1)
        return reference_rows(path, reader)
    except csv.Error as exc:
        raise InputError(str(path), f"malformed CSV ({exc})", line=reader.line_num) from exc


def reference_rows(path: Path, reader: Iterator[list[str]]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    line = 1
    for row in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise InputError(str(path), f"expected 3 columns, got {len(row)}", line=line)
        party, signal, value = (cell.strip() for cell in row)
        if signal.lower() not in SIGNAL_TYPES:
            raise InputError(
                str(path),
                f"unknown signal_type {signal!r} (allowed: {', '.join(SIGNAL_TYPES)})",
                line=line,
            )
        if not party or not value.lstrip("#@"):
            raise InputError(str(path), "party and value must not be empty", line=line)
        key = (party, signal.lower(), value.lstrip("#@").lower())
        if key in seen:
            raise InputError(str(path), f"duplicate of line {seen[key]}", line=line)
        seen[key] = line
        rows.append((party, signal.lower(), value))
    if not rows:
        raise InputError(str(path), "party reference has no rows")
    return rows


def check_party_reference(path: Path) -> int:
    """The number of rows of a valid party reference (see `read_party_reference`)."""
    return len(read_party_reference(path))


def write_party_reference(settings: Settings) -> Path:
    """The applied party reference, checked and rewritten as plain UTF-8 CSV for dbt to read."""
    rows = read_party_reference(settings.parties)
    target = settings.state_dir / "party_reference.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["party", "signal_type", "value"])
    writer.writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    # the same rows as JSON lines, for Spark (its CSV reader escapes quotes its own way)
    fields = ("party", "signal_type", "value")
    lines = [json.dumps(dict(zip(fields, row, strict=True)), ensure_ascii=False) for row in rows]
    target.with_suffix(".jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target


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
        **os.environ,
        "CHORUS_DBT_DB": os.path.relpath(database, settings.state_dir),
        "CHORUS_DBT_PUBLISHED": os.path.relpath(published_file(database), settings.state_dir),
        "CHORUS_LAKE_SQL": sql_escaped(root),
        "CHORUS_TWEETS_SQL": sql_escaped(tweets),
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


def run_dbt(
    args: list[str],
    settings: Settings,
    database: Path,
    extra_vars: dict[str, object] | None = None,
    target: str = "target",
    engine: str | None = None,
) -> None:
    """Run dbt on the project in a child process; raise a ChorusError naming what failed.

    `engine` (default: the settings') picks the dbt target: DuckDB's `candidate` or `spark`.
    A child process keeps dbt-duckdb's cached connection from holding the candidate open
    in this process, and bounds dbt's memory to the step; one started ahead (`prestart`) has
    dbt loaded already.
    """
    work = settings.dbt_dir
    engine = engine or settings.engine
    command = [
        *args,
        *(["--target", "spark"] if engine == "spark" else []),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work / target),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps(dbt_vars(settings, extra_vars)),
    ]
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with shared_parse(work / target):
        done = dbt_child().run(command, dbt_environment(settings, database), settings.state_dir)
    if done.returncode == 0:
        return
    results = node_results(work / target / "run_results.json")
    errors = [f"{name}: {message}" for name, status, message in results if status == "error"]
    failed_tests = [f"{name}: {message}" for name, status, message in results if status == "fail"]
    if failed_tests and not errors:
        hints = [HINTS[name] for name, status, _ in results if status == "fail" and name in HINTS]
        raise ValidationFailed(
            f"dbt tests failed, nothing published ({settings.warehouse} unchanged):\n  "
            + "\n  ".join([*failed_tests[:8], *hints])
        )
    tail = "\n".join(done.stdout.strip().splitlines()[-15:])
    detail = "; ".join(errors[:8]) or tail or done.stderr.strip()[-2000:]
    command_name = " ".join(a for a in args[:2] if not a.startswith("-"))  # `dbt build`, `dbt docs generate`
    raise ChorusError(f"dbt {command_name} failed: {detail}\n(logs: {work / 'logs' / 'dbt.log'})")


PARSE_CACHE = "partial_parse.msgpack"


@contextmanager
def shared_parse(target: Path) -> Iterator[None]:
    """Start dbt from the last parse of the project made in any home, and keep its own for the next.

    Parsing the project takes dbt ~4 s; with a parse cache it re-reads only the files that
    changed. The cache is dbt's own `partial_parse.msgpack`, which dbt checks against every file's
    hash, the vars, the profile and the environment it read: a cache that does not fit is parsed
    afresh, never trusted. Homes share it through the project's `target/` folder (best effort:
    a read-only project only loses the head start).
    """
    own, shared = target / PARSE_CACHE, DBT_PROJECT_DIR / "target" / PARSE_CACHE
    if not own.exists() and shared.exists():
        with contextlib.suppress(OSError):
            own.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared, own)
    yield
    if own.exists():
        with contextlib.suppress(OSError):
            shared.parent.mkdir(parents=True, exist_ok=True)
            partial = shared.with_name(f".{PARSE_CACHE}.{os.getpid()}")
            shutil.copyfile(own, partial)
            os.replace(partial, shared)  # whole or not at all: homes may build at the same time


# What to do about a failed dbt test, where there is something to do.
HINTS = {
    "assert_lake_inputs_whole": "some inputs' tweet parts are gone from the lake: run `chorus lake repair`",
}


def node_results(run_results: Path) -> list[tuple[str, str, str]]:
    """(node name, status, message) of every node dbt ran."""
    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text()).get("results", [])
    return [
        (r["unique_id"].split(".")[2], str(r.get("status")), plain(r.get("message") or "")[:600])
        for r in results
    ]


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(message: str) -> str:
    """dbt's message without terminal colours, on as few lines as it reads well."""
    return " ".join(ANSI.sub("", message).split())


def lake_is_empty(settings: Settings) -> bool:
    return not settings.lake.has_files("_audit/files")


def project_fingerprint(settings: Settings, extra_vars: dict[str, object] | None = None) -> str:
    """A digest of what the cached models are a function of: the models, macros and vars.

    When it changes, cached rows may no longer match the rules, so the state is rebuilt in full.
    (The party reference and the seeds feed no cache: editing them costs an ordinary build.)
    """
    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros"):
        files.extend(sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()))
    for path in files:
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    values = {k: v for k, v in dbt_vars(settings, extra_vars).items() if k != "parties_csv"}
    digest.update(json.dumps(values, sort_keys=True).encode())
    digest.update(settings.engine.encode())  # another engine's state is not this one's
    return digest.hexdigest()


def build(
    settings: Settings,
    extra_vars: dict[str, object] | None = None,
    full_refresh: bool = False,
    docs: bool = True,
) -> Path:
    """Build every model, seed and dbt test, the published ones into a candidate; return its path.

    Incremental models reuse the build state of the last build unless `full_refresh`, or the
    project fingerprint changed since. `docs=False` leaves the docs site to `generate_docs`
    (the pipeline runs it while the gate validates).
    """
    require_project(PROJECT_ROOT)
    check_party_reference(settings.parties)
    if settings.engine == "spark":
        check_spark_paths(settings)
    if lake_is_empty(settings):
        raise ChorusError(f"{settings.lake}: the lake is empty; run `chorus ingest PATH` first")
    if settings.candidate_dir.exists():
        shutil.rmtree(settings.candidate_dir)
    settings.candidate_dir.mkdir(parents=True)
    fingerprint = project_fingerprint(settings, extra_vars)
    stamp = settings.state_dir / "fingerprint"
    reuse = (
        not full_refresh and state_exists(settings) and stamp.exists() and stamp.read_text() == fingerprint
    )
    try:
        build_state(settings, extra_vars, fresh=not reuse)
    except ChorusError as exc:
        if not reuse or "dbt build failed" not in str(exc):
            raise
        # A state another process damaged (a kill mid-write, a garbage file) fails every build
        # that reuses it: rebuild it from scratch once, and say so.
        log.warning("build over the kept state failed (%s); rebuilding the state from scratch", exc)
        build_state(settings, extra_vars, fresh=True)
    stamp.write_text(fingerprint)
    if settings.engine == "spark":
        candidate_from_spark(settings)
    else:
        finish_candidate(published_file(settings.state), settings.candidate)
    if docs:
        generate_docs(settings, extra_vars)
    return settings.candidate


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


def state_exists(settings: Settings) -> bool:
    """Whether a build state is there to reuse: DuckDB's file, or Spark's metastore (its tables
    are in the lake's warehouse area)."""
    if settings.engine == "spark":
        return (settings.spark_dir / "metastore_db").is_dir()
    return settings.state.exists()


def build_state(settings: Settings, extra_vars: dict[str, object] | None, fresh: bool) -> None:
    """`dbt build` into the build state; `fresh` starts from an empty state (a full refresh)."""
    if fresh:
        shutil.rmtree(settings.state_dir, ignore_errors=True)
        if settings.engine == "spark" and settings.lake.is_local:
            # Spark's tables go with its metastore (in the state): neither outlives the other
            shutil.rmtree(settings.spark_warehouse, ignore_errors=True)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    (settings.state_dir / "fingerprint").unlink(missing_ok=True)  # written back once complete
    write_party_reference(settings)
    # dbt's unit tests check the models' logic on fixed rows, not the data: `make check` runs them
    # (`unit_tests`), a production build does not (as dbt advises).
    remove_database(published_file(settings.state))  # a failed attempt's tables go with it
    run_dbt(["build", "--exclude-resource-type", "unit_test"], settings, settings.state, extra_vars)


@dataclass(frozen=True)
class Freshness:
    """One source's freshness as `dbt source freshness` judged it."""

    source: str
    status: str  # pass, warn, error (or runtime error)
    max_loaded_at: str
    age_hours: float


def freshness(settings: Settings) -> list[Freshness]:
    """`dbt source freshness` over the lake: how long since an input was last ingested (the
    thresholds are in the sources file). A stale lake is reported, not an error of the command."""
    require_project(PROJECT_ROOT)
    if lake_is_empty(settings):
        raise ChorusError(f"{settings.lake}: the lake is empty; run `chorus ingest PATH` first")
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    scratch = settings.state_dir / "freshness.duckdb"
    try:
        run_dbt(["source", "freshness"], settings, scratch, target="freshness", engine="duckdb")
    except ChorusError:
        pass  # a stale source makes dbt exit non-zero: its verdict is in sources.json
    finally:
        remove_database(scratch)
        remove_database(published_file(scratch))
    found = settings.dbt_dir / "freshness" / "sources.json"
    results = json.loads(found.read_text()).get("results", []) if found.exists() else []
    if not results:
        logs = settings.dbt_dir / "logs" / "dbt.log"
        raise ChorusError(f"dbt source freshness gave no verdict (logs: {logs})")
    return [
        Freshness(
            source=".".join(r["unique_id"].split(".")[2:]),
            status=str(r.get("status")),
            max_loaded_at=str(r.get("max_loaded_at") or ""),
            age_hours=round(float(r.get("max_loaded_at_time_ago_in_s") or 0) / 3600, 1),
        )
        for r in results
    ]


def unit_tests(settings: Settings) -> None:
    """dbt's unit tests alone, over every model built empty (`--empty`) in a scratch database:
    the detection logic checked in seconds (the fast test tier runs this on a tiny lake)."""
    scratch = settings.state_dir / "unit"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    write_party_reference(settings)
    run_dbt(
        ["build", "--empty", "--exclude", "resource_type:test"],
        settings,
        scratch / "unit.duckdb",
        target="unit",
        engine="duckdb",
    )


def generate_docs(settings: Settings, extra_vars: dict[str, object] | None = None) -> None:
    """The static dbt docs page of the build state, into the candidate's dbt folder.

    Skipped when the published page is current (`docs_are_current`).
    """
    job = docs_job(settings, extra_vars)
    if job is not None:
        job()


def docs_job(settings: Settings, extra_vars: dict[str, object] | None = None) -> Callable[[], None] | None:
    """The docs page's dbt run with its inputs in place, to call now or in the background; None
    when the published page is current. The candidate may be moved once this has returned."""
    if docs_are_current(settings, extra_vars):
        return None
    # The page is made from the build's own manifest, which holds every node compiled as it ran:
    # compiling them all again (dbt's default) took longer than the rest (5.3 s -> 3.0 s, sample).
    docs = settings.dbt_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(settings.dbt_dir / "target" / "manifest.json", docs / "manifest.json")
    # dbt reads the published tables' catalogue where the build wrote them: a copy of the
    # candidate there (the gate holds the candidate open meanwhile, and dbt attaches read-write),
    # or of the warehouse once the candidate is published
    published = published_file(settings.state)
    if settings.engine != "spark":
        built = next((f for f in (settings.candidate, settings.warehouse) if f.exists()), None)
        if built is None:
            raise ChorusError(f"{settings.home}: no build to document; run `chorus build` first")
        remove_database(published)
        shutil.copyfile(built, published)

    def run() -> None:
        try:
            run_dbt(
                ["docs", "generate", "--static", "--no-compile"],
                settings,
                settings.state,
                extra_vars,
                target="docs",
            )
        finally:
            remove_database(published)
        (docs / "fingerprint").write_text(docs_fingerprint(settings, extra_vars))

    return run


def docs_fingerprint(settings: Settings, extra_vars: dict[str, object] | None = None) -> str:
    """What the docs page is made from: the project (models, macros, vars) and its seeds."""
    digest = hashlib.sha256(project_fingerprint(settings, extra_vars).encode())
    for path in sorted((DBT_PROJECT_DIR / "seeds").rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def docs_are_current(settings: Settings, extra_vars: dict[str, object] | None = None) -> bool:
    """Whether the published page was generated from the same project: the page describes the
    project, not the rows, so it would come out the same."""
    published = settings.home / "docs"
    stamp = published / "fingerprint"
    return (
        (published / "index.html").exists()
        and stamp.exists()
        and stamp.read_text() == docs_fingerprint(settings, extra_vars)
    )
