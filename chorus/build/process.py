"""dbt child processes, started before they are needed.

Every dbt command runs in a child process of its own (`chorus.build.run_dbt`): dbt-duckdb's
cached connection then never holds a database open in this process, and dbt's memory ends with
the step. Starting one costs ~2 s of importing dbt before anything runs. `prestart` has children
import it in the background (while `chorus run` ingests, while dbt builds for the docs page);
`dbt_child` hands out a loaded one, or starts one at once. The command itself (arguments,
environment, working folder: known only when it is due) goes to the child as one JSON line
(`chorus.build.worker`).
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from pathlib import Path

from chorus.config import process_environment

WORKER = [sys.executable, "-m", "chorus.build.worker"]


class DbtChild:
    """One dbt process, loading or loaded, waiting for its one command."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            WORKER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**process_environment(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )

    def run(self, args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run `dbt <args>` in this child and wait for it; its output and exit code."""
        request = json.dumps({"args": args, "env": env, "cwd": str(cwd)}) + "\n"
        try:
            stdout, stderr = self.process.communicate(request)
        except BrokenPipeError:  # the child died before the command (its error is on stderr)
            stdout, stderr = self.process.communicate()
        return subprocess.CompletedProcess(["dbt", *args], self.process.returncode, stdout, stderr)

    def stop(self) -> None:
        """End the child if it is still waiting (a command that was never sent)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


_waiting: list[DbtChild] = []
_lock = threading.Lock()


def prestart(count: int = 1) -> None:
    """Have `count` dbt children loading in the background (started only if fewer are waiting)."""
    with _lock:
        _waiting[:] = [child for child in _waiting if child.process.poll() is None]
        while len(_waiting) < count:
            _waiting.append(DbtChild())


def dbt_child() -> DbtChild:
    """A dbt child for one command: one started earlier if any is waiting, else a new one."""
    with _lock:
        while _waiting:
            child = _waiting.pop(0)
            if child.process.poll() is None:
                return child
    return DbtChild()


@atexit.register
def stop_waiting() -> None:
    """End the children nobody used (a run that stopped early, a docs page already current)."""
    with _lock:
        children, _waiting[:] = list(_waiting), []
    for child in children:
        child.stop()
