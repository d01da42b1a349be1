"""Running dbt: one child process per command (`chorus.build.process`), its parse cache shared
between homes, and its failures said in one line per failing node."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chorus.build.engines import dbt_environment, dbt_vars
from chorus.build.process import dbt_child
from chorus.config import DBT_PROJECT_DIR, Settings
from chorus.errors import ChorusError, ValidationFailed


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
PARSE_PROJECT = "partial_parse.project"  # beside a parse cache: the project folder it was made from


@contextmanager
def shared_parse(target: Path) -> Iterator[None]:
    """Start dbt from the last parse of the project made in any home, and keep its own for the next.

    Parsing the project takes dbt ~4 s; with a parse cache it re-reads only the files that
    changed. The cache is dbt's own `partial_parse.msgpack`, which dbt checks against every file's
    hash, the vars, the profile and the environment it read: a cache that does not fit is parsed
    afresh. dbt does not check where the files were, though, and loads the seeds from the folder
    the cache names: a cache made by another clone of the project (a home built from a checkout
    since moved or deleted) is dropped here. Homes share it through the project's `target/`
    folder (best effort: a read-only project only loses the head start).
    """
    own, shared = target / PARSE_CACHE, DBT_PROJECT_DIR / "target" / PARSE_CACHE
    with contextlib.suppress(OSError):
        if own.exists() and not made_here(own):
            own.unlink()
        if not own.exists() and shared.exists() and made_here(shared):
            own.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared, own)
    yield
    if own.exists():
        with contextlib.suppress(OSError):
            stamp_here(own)
            shared.parent.mkdir(parents=True, exist_ok=True)
            partial = shared.with_name(f".{PARSE_CACHE}.{os.getpid()}")
            shutil.copyfile(own, partial)
            os.replace(partial, shared)  # whole or not at all: homes may build at the same time
            stamp_here(shared)


def made_here(cache: Path) -> bool:
    """Whether a parse cache was made from this folder of the project (stamped by `stamp_here`)."""
    stamp = cache.with_name(PARSE_PROJECT)
    try:
        return stamp.read_text(encoding="utf-8") == str(DBT_PROJECT_DIR.resolve())
    except OSError:
        return False


def stamp_here(cache: Path) -> None:
    """Record beside a parse cache that dbt made or checked it from this folder of the project
    (the same text from every writer: homes building at once cannot disagree)."""
    cache.with_name(PARSE_PROJECT).write_text(str(DBT_PROJECT_DIR.resolve()), encoding="utf-8")


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
