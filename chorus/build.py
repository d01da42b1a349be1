"""Build stage: check the party reference, `dbt build` the lake, and copy the result into a candidate.

dbt builds into the build state (`<home>/.state/chorus.duckdb`), which keeps every model between
builds. The incremental models there are caches of pure functions of the lake (normalised text per
distinct text, MinHash signature per distinct message, similarity per candidate pair): a build
computes them only for what is new, so adding a day to the lake costs a fraction of a full build.
The state is rebuilt from scratch (`--full-refresh`) when the dbt project, its vars or the party
reference change, or on request. The published schemas of the finished state are copied into a
new candidate file, which the gate validates and publish renames into place; a failed build or
gate never touches the warehouse.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from chorus.config import DBT_PROJECT_DIR, DEFAULT_PARTIES, Settings
from chorus.errors import ChorusError, InputError
from chorus.publish import make_candidate

log = logging.getLogger(__name__)
SIGNAL_TYPES = ("account", "hashtag", "domain", "source")


def check_party_reference(path: Path) -> int:
    """Refuse a party reference with a bad header, unknown signal type, empty or duplicate row.

    Returns the number of rows. The error names the file and the line.
    """
    if not path.is_file():
        raise InputError(str(path), "party reference not found")
    seen: dict[tuple[str, str, str], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header != ["party", "signal_type", "value"]:
            raise InputError(str(path), "header must be party,signal_type,value", line=1)
        rows = 0
        for line, row in enumerate(reader, start=2):
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
            rows += 1
    if rows == 0:
        raise InputError(str(path), "party reference has no rows")
    return rows


def sql_escaped(path: str | Path) -> str:
    """A path as the inside of a SQL string literal (single quotes doubled)."""
    return str(path).replace("'", "''")


def dbt_environment(settings: Settings, database: Path) -> dict[str, str]:
    """The process environment for dbt: the paths the dbt project reads from env vars."""
    return {
        **os.environ,
        "CHORUS_DBT_DB": str(database),
        "CHORUS_LAKE_SQL": sql_escaped(settings.lake.root),
        "CHORUS_DBT_FILESYSTEMS": repr(settings.lake.duckdb_filesystems()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_vars(settings: Settings, extra: dict[str, object] | None = None) -> dict[str, object]:
    """Vars for dbt: `$CHORUS_DBT_VARS` (JSON, e.g. '{"min_accounts": 10}'), then `extra`."""
    values: dict[str, object] = json.loads(os.environ.get("CHORUS_DBT_VARS") or "{}")
    values.update(extra or {})
    if settings.parties != DEFAULT_PARTIES.resolve():
        values["parties_csv"] = str(settings.parties)
    return values


def dbt_executable() -> str:
    """The `dbt` installed beside this interpreter (the project's venv)."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def run_dbt(
    args: list[str],
    settings: Settings,
    database: Path,
    extra_vars: dict[str, object] | None = None,
    target: str = "target",
) -> None:
    """Run dbt on the project in a child process; raise a ChorusError naming what failed.

    A child process keeps dbt-duckdb's cached connection from holding the candidate open
    in this process, and bounds dbt's memory to the step.
    """
    work = settings.dbt_dir
    command = [
        dbt_executable(),
        *args,
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
    done = subprocess.run(
        command,
        env=dbt_environment(settings, database),
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return
    failures = failed_nodes(work / target / "run_results.json")
    tail = "\n".join(done.stdout.strip().splitlines()[-15:])
    detail = "; ".join(failures[:8]) or tail or done.stderr.strip()[-2000:]
    raise ChorusError(f"dbt {' '.join(args[:2])} failed: {detail}\n(logs: {work / 'logs' / 'dbt.log'})")


def failed_nodes(run_results: Path) -> list[str]:
    """`model_or_test: message` for every node dbt reports as failed."""
    if not run_results.exists():
        return []
    results = json.loads(run_results.read_text()).get("results", [])
    return [
        f"{r['unique_id'].split('.')[-1]}: {(r.get('message') or '').strip()[:300]}"
        for r in results
        if r.get("status") in ("error", "fail")
    ]


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
    return digest.hexdigest()


def build(
    settings: Settings,
    extra_vars: dict[str, object] | None = None,
    full_refresh: bool = False,
    docs: bool = True,
) -> Path:
    """Build every model, seed and dbt test, then copy the result into a candidate; return its path.

    Incremental models reuse the build state of the last build unless `full_refresh`, or the
    project fingerprint changed since. `docs=False` leaves the docs site to `generate_docs`
    (the pipeline runs it while the gate validates).
    """
    check_party_reference(settings.parties)
    if lake_is_empty(settings):
        raise ChorusError(f"{settings.lake}: the lake is empty; run `chorus ingest PATH` first")
    if settings.candidate_dir.exists():
        shutil.rmtree(settings.candidate_dir)
    settings.candidate_dir.mkdir(parents=True)
    fingerprint = project_fingerprint(settings, extra_vars)
    stamp = settings.state_dir / "fingerprint"
    reuse = (
        not full_refresh and settings.state.exists() and stamp.exists() and stamp.read_text() == fingerprint
    )
    if not reuse:
        shutil.rmtree(settings.state_dir, ignore_errors=True)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)  # written back only once the state is complete again
    run_dbt(["build"], settings, settings.state, extra_vars)
    stamp.write_text(fingerprint)
    make_candidate(settings.state, settings.candidate)
    if docs:
        generate_docs(settings, extra_vars)
    return settings.candidate


def generate_docs(settings: Settings, extra_vars: dict[str, object] | None = None) -> None:
    """The static dbt docs page of the build state, into the candidate's dbt folder.

    Skipped when the published page was generated from the same project (models, macros, vars,
    seeds): the page describes the project, not the rows, so it would come out the same.
    """
    digest = hashlib.sha256(project_fingerprint(settings, extra_vars).encode())
    for path in sorted((DBT_PROJECT_DIR / "seeds").rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    published = settings.home / "docs"
    stamp = published / "fingerprint"
    if (published / "index.html").exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    run_dbt(["docs", "generate", "--static"], settings, settings.state, extra_vars, target="docs")
    (settings.dbt_dir / "docs" / "fingerprint").write_text(digest.hexdigest())
