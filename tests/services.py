"""Servers some tests run for real on loopback: PostgreSQL and Redis from Debian's packages.

`.ci/run` installs them when missing; a test that needs one and cannot find it skips, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.loopback import free_port, wait_for_port

PG_BIN = Path("/usr/lib/postgresql")


def postgres_bin() -> Path | None:
    """The folder of Debian's newest PostgreSQL server programs, if installed."""
    versions = sorted(PG_BIN.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def missing_servers() -> list[str]:
    missing = [] if postgres_bin() else ["postgresql"]
    return missing + ([] if shutil.which("redis-server") else ["redis-server"])


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster with an `airflow` database; yields its libpq URL.

    PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user.
    """
    bin_dir = postgres_bin()
    assert bin_dir is not None
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="chorus-pg-"))
    data = root / "data"
    as_owner: list[str] = []
    if os.geteuid() == 0:
        root.chmod(0o755)
        data.mkdir()
        shutil.chown(data, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]

    def pg(*args: str) -> None:
        subprocess.run([*as_owner, *args], check=True, capture_output=True)

    try:
        pg(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start")
        pg(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "airflow")
        yield f"postgresql://postgres@127.0.0.1:{port}/airflow"
    finally:
        subprocess.run(
            [*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def redis() -> Iterator[str]:
    """A Redis server with no persistence; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, lambda: server.poll() is None, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)
