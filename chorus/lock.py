"""One build at a time per data home: an advisory lock on `<home>/.lock`.

A second `chorus run` (or Airflow task) on the same home waits for the first to publish, instead
of deleting its candidate under it. Ingest takes no lock: inputs write their own parts and audit
rows, so any number of them may run beside a build.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chorus.errors import TransientError

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


@contextmanager
def home_lock(home: Path, timeout: float) -> Iterator[None]:
    """Hold the home's lock for the block; wait up to `timeout` seconds for another holder."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / ".lock"
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TransientError(
                        f"{home}: another chorus build holds this home ({holder(path)}); "
                        f"gave up after {timeout:.0f} s"
                    ) from None
                if not waited:
                    log.warning("%s: waiting for another chorus build (%s)", home, holder(path))
                    waited = True
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "pid unknown"
    except OSError:
        return "pid unknown"
