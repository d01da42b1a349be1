"""The build: check the party reference, `dbt build` the lake into the state and a candidate.

dbt builds the internal schema into the build state (`<home>/.state/chorus.duckdb`), which keeps
it between builds. The incremental models there are caches of pure functions of the lake
(normalised text per distinct text, MinHash signature per distinct message): a build computes
them only for what is new, so adding a day to the lake costs a fraction of a full build. The
state is rebuilt from scratch (`--full-refresh`) when the dbt project, its vars or the party
reference change, or on request. The published schemas go straight into a file of their own
(`published_file`, attached as `published`: macros/generate_database_name.sql), which becomes
the candidate the gate validates and publish renames into place; it starts as a copy of the
warehouse holding the tables of incremental models when the warehouse is the state's last build
(`chorus.build.kept`). A failed build or gate never touches the warehouse.

With `CHORUS_ENGINE=spark` the same models run on Spark (dbt-spark, target `spark`): the tables
are Parquet under the lake's warehouse area and the candidate is made from their published
schemas (`chorus.build.candidate.candidate_from_spark`); the rest is the same.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from chorus.build.candidate import candidate_from_spark, finish_candidate
from chorus.build.docs import generate_docs
from chorus.build.engines import check_spark_paths, project_fingerprint, published_file, remove_database
from chorus.build.kept import forget_build, remember_build, start_published
from chorus.build.reference import check_party_reference, write_party_reference
from chorus.build.runner import run_dbt
from chorus.config import PROJECT_ROOT, Settings, require_project
from chorus.errors import ChorusError

log = logging.getLogger(__name__)


def lake_is_empty(settings: Settings) -> bool:
    return not settings.lake.has_files("_audit/files")


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
    kept = start_published(settings, fresh)  # before the state moves: it checks the last build's token
    forget_build(settings)
    write_party_reference(settings)
    # dbt's unit tests check the models' logic on fixed rows, not the data: `make check` runs them
    # (`unit_tests`), a production build does not (as dbt advises).
    if kept:
        log.info("published tables kept from the warehouse: %s", ", ".join(kept))
    run_dbt(["build", "--exclude-resource-type", "unit_test"], settings, settings.state, extra_vars)
    remember_build(settings)


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
