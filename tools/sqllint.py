"""SQL style of the dbt project: sqlfluff with dbt's templater over the models and tests.

The templater compiles the project as a build would, so it needs the environment a build gives
dbt (`chorus.build.engines.dbt_environment`); here it is the environment of an empty home in a
temporary folder, so a lint touches no warehouse and no lake. The rules and the project's reasons
for departing from sqlfluff's defaults are in `transforms/.sqlfluff`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from chorus.build.engines import dbt_environment, published_file
from chorus.config import DBT_PROJECT_DIR, Settings

LINTED = ("models", "tests")


def lint_environment(home: Path) -> dict[str, str]:
    """dbt's environment for an empty home at `home`, its databases and dbt's output inside it."""
    settings = Settings.make(home)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    database = settings.state_dir / "lint.duckdb"
    env = dbt_environment(settings, database)
    # the templater runs dbt in the project folder: absolute paths, and dbt's files kept out of it
    env["CHORUS_DBT_DB"] = str(database)
    env["CHORUS_DBT_PUBLISHED"] = str(published_file(database))
    env["DBT_TARGET_PATH"] = str(home / "target")
    env["DBT_LOG_PATH"] = str(home / "logs")
    return env


def sqllint(fix: bool = False, paths: tuple[str, ...] = LINTED, project: Path = DBT_PROJECT_DIR) -> int:
    """Lint (or fix) the dbt project's SQL; sqlfluff's exit code (0: clean)."""
    with tempfile.TemporaryDirectory(prefix="chorus-sqllint-") as home:
        command = [sys.executable, "-m", "sqlfluff", *(["fix", "--force"] if fix else ["lint"]), *paths]
        command += ["--processes", str(min(2, os.cpu_count() or 1)), "--disable-progress-bar"]
        return subprocess.run(command, cwd=project, env=lint_environment(Path(home)), check=False).returncode
