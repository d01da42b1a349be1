"""Where Chorus keeps its data, and the settings every stage shares."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chorus.errors import ChorusError, InputError
from chorus.storage import Lake


def find_project_root(declared: str | None, package_dir: Path, cwd: Path) -> Path:
    """The folder holding `transforms/` (the dbt project) and `expectations/` (GX): `$CHORUS_PROJECT`
    when set, else the checkout the package sits in (an editable install), else the working directory
    (a wheel installed elsewhere, run from the checkout). Nothing assumes an editable install."""
    if declared:
        return Path(declared).resolve()
    for candidate in (package_dir.parent, cwd):
        if (candidate / "transforms" / "dbt_project.yml").is_file():
            return candidate.resolve()
    return package_dir.parent


def require_project(root: Path) -> None:
    """A clear error when the dbt project is not where the settings say."""
    if not (root / "transforms" / "dbt_project.yml").is_file():
        raise ChorusError(
            f"{root}: no transforms/dbt_project.yml here; set CHORUS_PROJECT to the Chorus checkout "
            "(the folder holding transforms/ and expectations/)"
        )


PROJECT_ROOT = find_project_root(
    os.environ.get("CHORUS_PROJECT"), Path(__file__).resolve().parent, Path.cwd()
)
DBT_PROJECT_DIR = PROJECT_ROOT / "transforms"
GX_DIR = PROJECT_ROOT / "expectations"
DEFAULT_PARTIES = DBT_PROJECT_DIR / "seeds" / "party_reference.csv"


Lookup = Callable[[str], "str | None"]


def process_environment() -> dict[str, str]:
    """The environment a child process (dbt's) inherits, read here like every setting."""
    return dict(os.environ)


ENGINES = ("duckdb", "spark")
# DuckDB's memory limit in a build: with dbt's own ~300-700 MiB beside it, builds of the hostile
# small inputs tested stay under 2 GiB, a dense release under 3 GiB (README, "Cost follows the evidence")
DEFAULT_MEMORY_LIMIT = "1.5GB"


@dataclass(frozen=True)
class Settings:
    """Paths under one data home. Every stage takes one of these."""

    home: Path
    parties: Path = DEFAULT_PARTIES
    lake_root: Lake | None = None
    lock_timeout: float = 3600.0  # seconds a build waits for another build of the same home
    landing_dir: Path | None = None  # where the ingest DAG picks files up (default <home>/landing)
    dbt_vars_json: str = "{}"  # dbt vars overriding the project's defaults, as JSON
    engine: str = "duckdb"  # what runs the dbt models: duckdb (embedded) or spark
    memory_limit: str = DEFAULT_MEMORY_LIMIT  # DuckDB's memory limit in dbt (it spills to disk beyond)
    spark_cores: str = "*"  # the local Spark session's cores
    spark_master: str = ""  # a Spark master to run on (spark://host:7077); empty: local[spark_cores]
    spark_memory: str = "4g"  # ... and its driver memory
    spark_partitions: str = "8"  # ... and its shuffle partitions
    ingest_workers: int | None = None  # processes reading inputs (None: the caller's default)
    pack_inputs: int = 16  # small inputs loose in the lake before a build packs them (0: never)

    @classmethod
    def make(
        cls,
        home: str | Path | None = None,
        parties: str | Path | None = None,
        lake: str | Path | None = None,
        lake_options: str | None = None,
        landing: str | Path | None = None,
        engine: str | None = None,
        fallback: Lookup | None = None,
    ) -> Settings:
        """Resolve a home (default `$CHORUS_HOME` or `./warehouse`), a party reference (default
        `$CHORUS_PARTIES`, else the seed) and a lake
        (default `$CHORUS_LAKE`, else `<home>/lake`; `lake_options` default `$CHORUS_LAKE_OPTIONS`),
        the landing folder (`$CHORUS_LANDING`), the lock timeout (`$CHORUS_LOCK_TIMEOUT`) and dbt
        vars (`$CHORUS_DBT_VARS`), DuckDB's memory limit (`$CHORUS_MEMORY_LIMIT`), the local Spark
        session (`$CHORUS_SPARK_CORES`, `_MEMORY`, `_PARTITIONS`, or `$CHORUS_SPARK_MASTER`, a
        standalone cluster's master), the ingest's workers (`$CHORUS_INGEST_WORKERS`) and how many
        small inputs may lie loose in the lake before a build packs them (`$CHORUS_PACK_INPUTS`).
        The environment is read here, once, and nowhere else: an
        argument given wins, then the environment, then `fallback` (the DAGs pass Airflow
        Variables), then the default."""

        def setting(name: str) -> str | None:
            return os.environ.get(name) or (fallback(name) if fallback else None) or None

        home_path = Path(home) if home else Path(setting("CHORUS_HOME") or "warehouse")
        parties = parties or setting("CHORUS_PARTIES")  # the CLI honours it as the DAGs do
        parties_path = Path(parties) if parties else DEFAULT_PARTIES
        lake_location = lake or setting("CHORUS_LAKE")
        options = lake_options or setting("CHORUS_LAKE_OPTIONS")
        timeout = setting("CHORUS_LOCK_TIMEOUT") or "3600"
        workers = setting("CHORUS_INGEST_WORKERS")
        if workers is not None and not workers.strip().isdigit():
            raise ChorusError(f"CHORUS_INGEST_WORKERS: not a whole number ({workers!r})")
        pack_inputs = setting("CHORUS_PACK_INPUTS") or "16"
        if not pack_inputs.strip().isdigit():
            raise ChorusError(f"CHORUS_PACK_INPUTS: not a whole number ({pack_inputs!r})")
        try:
            lock_timeout = float(timeout)
        except ValueError as exc:
            raise ChorusError(f"CHORUS_LOCK_TIMEOUT: not a number of seconds ({timeout!r})") from exc
        landing = landing or setting("CHORUS_LANDING")
        engine = (engine or setting("CHORUS_ENGINE") or "duckdb").strip().lower()
        if engine not in ENGINES:
            raise ChorusError(f"CHORUS_ENGINE: {engine!r} is not one of {', '.join(ENGINES)}")
        home_path = home_path.resolve()
        if "?" in str(home_path):
            # DuckDB reads what follows a `?` in a database path as connection options, whatever
            # the quoting (its write-ahead log lands elsewhere and the first commit fails)
            raise InputError(
                str(home_path),
                "DuckDB cannot keep a database under a path holding '?'; choose another --home",
            )
        return cls(
            home=home_path,
            parties=parties_path.resolve(),
            lake_root=Lake.at(lake_location, options) if lake_location else None,
            lock_timeout=lock_timeout,
            landing_dir=Path(landing).resolve() if landing else None,
            dbt_vars_json=setting("CHORUS_DBT_VARS") or "{}",
            engine=engine,
            memory_limit=setting("CHORUS_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
            spark_cores=setting("CHORUS_SPARK_CORES") or "*",
            spark_master=setting("CHORUS_SPARK_MASTER") or "",
            spark_memory=setting("CHORUS_SPARK_MEMORY") or "4g",
            spark_partitions=setting("CHORUS_SPARK_PARTITIONS") or "8",
            ingest_workers=int(workers) if workers is not None else None,
            pack_inputs=int(pack_inputs),
        )

    @property
    def lake(self) -> Lake:
        """The Parquet lake: `$CHORUS_LAKE` (a folder many hosts mount, or an object-storage URL
        such as `s3://bucket/chorus`), else `<home>/lake`."""
        return self.lake_root or Lake.at(self.home / "lake")

    def refuse_overwriting(self, out: Path) -> None:
        """Raise an InputError when writing `out` would overwrite the warehouse (or its write-ahead
        log), the build state, the candidate or a local lake: an export pointed at them by mistake
        must cost nothing."""
        target = out.resolve()
        kept = [self.warehouse, self.warehouse.with_name(self.warehouse.name + ".wal")]
        kept += [self.state_dir, self.candidate_dir, *([self.lake.path] if self.lake.is_local else [])]
        for place in (p.resolve() for p in kept):
            if target == place or place in target.parents:
                raise InputError(str(out), f"refused as --out: it would overwrite {place}")

    @property
    def outputs(self) -> tuple[Path, ...]:
        """What Chorus writes under the home (and a local lake): never read back as input. The
        rest of the home (a landing folder, a sample archive) may hold inputs."""
        written = (
            self.warehouse,
            self.state_dir,
            self.candidate_dir,
            self.reports,
            self.gx_home,
            self.home / "docs",
            self.home / "airflow",
        )
        return (*written, self.lake.path) if self.lake.is_local else written

    @property
    def tweets_dir(self) -> Path:
        """The tweets folder of a local lake."""
        return self.lake.path / "tweets"

    @property
    def audit_dir(self) -> Path:
        """The audit folder of a local lake."""
        return self.lake.path / "_audit"

    @property
    def warehouse(self) -> Path:
        """The published DuckDB file analysts open."""
        return self.home / "chorus.duckdb"

    @property
    def candidate_dir(self) -> Path:
        """The candidate warehouse the gate validates before it is published."""
        return self.home / ".candidate"

    @property
    def state_dir(self) -> Path:
        """The build state kept between builds: every model, incremental caches included."""
        return self.home / ".state"

    @property
    def state(self) -> Path:
        return self.state_dir / "chorus.duckdb"

    @property
    def dbt_dir(self) -> Path:
        """dbt's target (run results, compiled SQL, docs, parse cache) and logs of the last build."""
        return self.state_dir / "dbt"

    @property
    def spark_dir(self) -> Path:
        """Spark's own files for a Spark build: its metastore (which tables exist) and logs."""
        return self.state_dir / "spark"

    @property
    def spark_warehouse(self) -> str:
        """Where a Spark build writes its tables as Parquet (`<schema>.db/<table>/`): the lake's
        warehouse area, beside the data it is built from."""
        return self.lake.url("_warehouse") if not self.lake.is_local else str(self.lake.path / "_warehouse")

    @property
    def candidate(self) -> Path:
        return self.candidate_dir / "chorus.duckdb"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def gx_home(self) -> Path:
        """Validation results and Data Docs (never in git)."""
        return self.home / "gx"

    @property
    def landing(self) -> Path:
        """Where the ingest DAG picks files up: `$CHORUS_LANDING`, else `<home>/landing`."""
        return self.landing_dir or self.home / "landing"
