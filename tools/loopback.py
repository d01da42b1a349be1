"""Stand-ins for remote services on loopback: moto's S3 server (a development dependency) for the
object-storage benchmark and tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import fsspec


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, alive: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Wait until something listens on `port`; raise if `alive()` turns false or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if not alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start on port {port}") from None
            time.sleep(0.2)


@contextmanager
def s3_emulator() -> Iterator[dict[str, str]]:
    """moto's S3 server on a free port; yields the environment that points boto at it (made-up
    keys, so no real credentials are ever used or shown)."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, lambda: server.poll() is None, "moto_server")
        yield {
            "AWS_ACCESS_KEY_ID": "chorus-loopback",
            "AWS_SECRET_ACCESS_KEY": "chorus-loopback",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        }
    finally:
        server.terminate()
        server.wait(10)


def make_bucket(env: dict[str, str], name: str) -> fsspec.AbstractFileSystem:
    """Create a bucket on the endpoint `env` points at; return a filesystem to look into it."""
    import fsspec

    fs = fsspec.filesystem(
        "s3",
        key=env["AWS_ACCESS_KEY_ID"],
        secret=env["AWS_SECRET_ACCESS_KEY"],
        endpoint_url=env["AWS_ENDPOINT_URL"],
        skip_instance_cache=True,
    )
    fs.mkdir(name)
    return fs
