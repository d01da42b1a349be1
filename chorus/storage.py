"""Where the Parquet lake lives: a local folder, or object storage through fsspec (`s3://`, tested;
any other fsspec filesystem whose package is installed, such as `gs://` with gcsfs).

A local lake writes each file under a temporary name and renames it into place. An object store
has no rename, but it needs none: an object appears whole or not at all once its upload (one PUT,
or a multipart upload completed in one call) finishes. Either way a reader never sees a partial
file, and the audit row that marks an input complete is written last.

Credentials never pass through Chorus: the filesystem package reads them from the provider's own
environment (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `GOOGLE_APPLICATION_CREDENTIALS`...).
`$CHORUS_LAKE_OPTIONS` (JSON) adds fsspec storage options that are not secret, such as
`{"endpoint_url": "http://minio:9000"}`; they also reach dbt's profile, where `dbt debug` shows them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chorus.errors import ChorusError, TransientError

if TYPE_CHECKING:
    import fsspec
    import pyarrow as pa

URL = re.compile(r"^(?P<protocol>[a-z][a-z0-9+.-]*)://(?P<rest>.+)$")
# The package behind each common protocol, named in the error when it is not installed.
PACKAGES = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "abfs": "adlfs", "az": "adlfs"}


def escape_glob(path: str) -> str:
    """A path with `[`, `*` and `?` made literal for DuckDB's (and fsspec's) glob."""
    return "".join(f"[{c}]" if c in "[*?" else c for c in path)


def escape_hadoop_glob(path: str) -> str:
    """A path with Hadoop's glob characters made literal (a backslash before each), and with
    backticks doubled, for a Spark `parquet.`...`` relation."""
    escaped = "".join(f"\\{c}" if c in "\\*?[]{}" else c for c in path)
    return escaped.replace("`", "``")


@dataclass(frozen=True)
class Lake:
    """The lake's root: an absolute local path, or a URL such as `s3://bucket/prefix`."""

    root: str
    options: str = "{}"  # fsspec storage options as JSON (kept as text: settings stay hashable)

    @classmethod
    def at(cls, location: str | Path, options: str | None = None) -> Lake:
        """A lake at a local folder (made absolute) or at an fsspec URL."""
        text = str(location)
        match = URL.match(text)
        if match is None or match["protocol"] == "file":
            local = match["rest"] if match else text
            return cls(str(Path(local).resolve()))
        try:
            parsed = json.loads(options or "{}")
        except json.JSONDecodeError as exc:
            raise ChorusError(f"CHORUS_LAKE_OPTIONS: not JSON ({exc})") from exc
        if not isinstance(parsed, dict):
            raise ChorusError("CHORUS_LAKE_OPTIONS: expected a JSON object of fsspec storage options")
        return cls(text.rstrip("/"), json.dumps(parsed, sort_keys=True))

    def __str__(self) -> str:
        return self.root

    @property
    def protocol(self) -> str | None:
        """The URL scheme (`s3`), or None for a local folder."""
        match = URL.match(self.root)
        return match["protocol"] if match else None

    @property
    def is_local(self) -> bool:
        return self.protocol is None

    @property
    def path(self) -> Path:
        """The local folder (a local lake only)."""
        if not self.is_local:
            raise ChorusError(f"{self.root}: not a local folder")
        return Path(self.root)

    def url(self, *parts: str) -> str:
        """A location under the root, as DuckDB and fsspec spell it."""
        return "/".join([self.root, *parts])

    def storage_options(self) -> dict[str, Any]:
        return dict(json.loads(self.options))

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """The fsspec filesystem of an object-storage lake (fsspec caches one per options)."""
        import fsspec

        protocol = self.protocol or "file"
        try:
            return fsspec.filesystem(protocol, **self.storage_options())
        except ImportError as exc:
            package = PACKAGES.get(protocol, f"the fsspec package for {protocol}://")
            raise ChorusError(f"{self.root}: install {package} to use this lake") from exc
        except (ValueError, TypeError) as exc:  # unknown protocol, options it does not take
            raise ChorusError(f"{self.root}: no usable filesystem ({exc})") from exc

    @contextmanager
    def reporting(self, what: str, where: str) -> Iterator[None]:
        """Turn a storage failure (missing bucket, refused credentials, no route) into one clear line."""
        try:
            yield
        except ChorusError:
            raise
        except Exception as exc:  # each filesystem package has its own errors (botocore's are not OSError)
            reason = str(exc) or type(exc).__name__
            raise TransientError(f"{where}: cannot {what} the lake ({reason})") from exc

    def _key(self, *parts: str) -> str:
        """A location under the root without its scheme, as fsspec methods take it."""
        return self.url(*parts).split("://", 1)[1].rstrip("/")

    def exists(self, *parts: str) -> bool:
        if self.is_local:
            return self.path.joinpath(*parts).exists()
        with self.reporting("read", self.url(*parts)):
            return bool(self.filesystem().exists(self._key(*parts)))

    def files(self, folder: str) -> set[str]:
        """Every file under a folder of the lake, as paths relative to its root, in one listing
        (on object storage, not one request per file)."""
        if self.is_local:
            root = self.path
            return {p.relative_to(root).as_posix() for p in (root / folder).rglob("*") if p.is_file()}
        with self.reporting("read", self.url(folder)):
            base = self._key()
            return {key[len(base) + 1 :] for key in self.filesystem().find(self._key(folder))}

    def has_files(self, folder: str, suffix: str = ".parquet") -> bool:
        """Whether a folder of the lake holds at least one file ending in `suffix` (`folder` may
        end in a `*` part: `tweets/*` looks one level down)."""
        if self.is_local:
            return any(self.path.glob(f"{folder}/*{suffix}"))
        with self.reporting("read", self.url(folder)):
            return bool(self.filesystem().glob(escape_glob(self._key()) + f"/{folder}/*{suffix}"))

    def write_parquet(self, table: pa.Table, *parts: str) -> None:
        """Write a Parquet file so that no reader sees it partial (see the module docstring)."""
        import pyarrow.parquet as pq

        if self.is_local:
            path = self.path.joinpath(*parts)
            tmp = path.with_name(path.name + ".tmp")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(table, tmp, compression="zstd")
                os.replace(tmp, path)
            except OSError as exc:  # a read-only or full disk, a home that is a file
                raise ChorusError(f"{path.parent}: cannot write to the lake ({exc.strerror or exc})") from exc
            return
        with self.reporting("write to", self.url(*parts)):
            pq.write_table(table, self._key(*parts), compression="zstd", filesystem=self.filesystem())

    def read_parquet(self, *parts: str) -> pa.Table:
        import pyarrow.parquet as pq

        if self.is_local:
            return pq.read_table(self.path.joinpath(*parts))
        with self.reporting("read", self.url(*parts)):
            return pq.read_table(self._key(*parts), filesystem=self.filesystem())

    def remove(self, *parts: str) -> None:
        """Delete one file of the lake (absent already is fine)."""
        if self.is_local:
            self.path.joinpath(*parts).unlink(missing_ok=True)
            return
        with self.reporting("delete from", self.url(*parts)):
            if self.filesystem().exists(self._key(*parts)):
                self.filesystem().rm(self._key(*parts))

    def glob(self, *parts: str) -> str:
        """A DuckDB file pattern under the root: the root's own glob characters are escaped
        (`h[1]` must never match `h1`), only `parts` are read as a pattern."""
        return "/".join([escape_glob(self.root), *parts])

    def spark_glob(self, *parts: str) -> str:
        """A Spark (Hadoop) file pattern under the root, the root's own glob characters escaped;
        object storage through Hadoop's s3a connector (`s3://` is read as `s3a://`)."""
        root = self.root if self.is_local else re.sub(r"^s3://", "s3a://", self.root)
        return "/".join([escape_hadoop_glob(root), *parts])

    def duckdb_filesystems(self) -> list[dict[str, Any]]:
        """fsspec filesystems for DuckDB to register (dbt-duckdb's `filesystems`): none when local.

        DuckDB's own httpfs extension would need a download at run time; an fsspec filesystem
        registered on the connection reads the same URLs with what is installed.
        """
        if self.is_local:
            return []
        return [{"fs": self.protocol, **self.storage_options()}]


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a local file whole or not at all: a temporary file beside it, renamed over it."""
    tmp = path.with_name(path.name + ".tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)
