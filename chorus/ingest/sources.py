"""Find input files and open them as byte streams, decompressing as they come.

A path is a file or a folder (searched recursively). `.gz` and `.bz2` are read streaming;
a `.zip` gives one input per member, refusing members whose path escapes the archive
(zip slip) or that decompress beyond a sane size or ratio (zip bomb).
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from chorus.ingest.personal import ACCOUNT_MEMBERS, account_from_js, is_tweet_member

MAX_MEMBER_BYTES = 8 * 1024**3
MAX_RATIO = 200
CHUNK = 1 << 20


@dataclass(frozen=True)
class Unit:
    """One input to ingest: a plain or compressed file, or one member of a zip."""

    name: str
    open: Callable[[], BinaryIO]
    size: int
    raw: Callable[[], BinaryIO] | None = None
    refusal: str | None = None
    skip: str | None = None
    owner: dict[str, Any] | None = None

    def sha256(self) -> str:
        """Hash of the stored bytes: the file as on disk, or a zip member once decompressed."""
        digest = hashlib.sha256()
        with (self.raw or self.open)() as stream:
            while block := stream.read(CHUNK):
                digest.update(block)
        return digest.hexdigest()


class LimitedReader(io.RawIOBase):
    """A stream that stops with an error once more than `limit` bytes come out of it."""

    def __init__(self, inner: BinaryIO, limit: int, name: str) -> None:
        self.inner = inner
        self.limit = limit
        self.name = name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise OSError(f"refused: decompresses beyond {self.limit} bytes (zip bomb?)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def _buffered(raw: io.RawIOBase) -> BinaryIO:
    return io.BufferedReader(raw, CHUNK)  # type: ignore[return-value]


def decompressing(path: Path) -> Callable[[], BinaryIO]:
    """An opener that sniffs gzip/bz2 magic bytes, not the file name."""

    def opener() -> BinaryIO:
        with path.open("rb") as probe:
            magic = probe.read(3)
        if magic[:2] == b"\x1f\x8b":
            return gzip.open(path, "rb")  # type: ignore[return-value]
        if magic == b"BZh":
            return bz2.open(path, "rb")  # type: ignore[return-value]
        return path.open("rb")

    return opener


def is_zip(path: Path) -> bool:
    with path.open("rb") as probe:
        return probe.read(4) == b"PK\x03\x04"


def archive_owner(archive: zipfile.ZipFile) -> dict[str, Any] | None:
    """The owner of a personal archive zip (from data/account.js), or None for other zips."""
    for info in archive.infolist():
        if info.filename.replace("\\", "/").endswith(ACCOUNT_MEMBERS) and info.file_size < 10 * CHUNK:
            try:
                return account_from_js(archive.read(info))
            except (ValueError, KeyError, IndexError, AttributeError):
                return {}
    return None


def zip_units(path: Path) -> Iterator[Unit]:
    """One unit per file member of a zip, refusing unsafe members.

    In a personal archive (a zip with data/account.js) only the tweet files are read; the
    other members (likes, messages, media, ...) are recorded as skipped.
    """
    archive = zipfile.ZipFile(path)
    owner = archive_owner(archive)
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = f"{path}!{info.filename}"
        if owner is not None and not is_tweet_member(info.filename):
            yield Unit(name, _empty, info.compress_size, skip="not a tweets file of a personal archive")
            continue
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts:
            yield Unit(name, _empty, 0, refusal="refused: member path escapes the archive (zip slip)")
            continue
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 10 * CHUNK and ratio > MAX_RATIO):
            yield Unit(
                name,
                _empty,
                0,
                refusal=f"refused: declares {info.file_size} bytes, ratio {ratio:.0f}:1 (zip bomb?)",
            )
            continue
        limit = min(MAX_MEMBER_BYTES, max(10 * CHUNK, info.compress_size * MAX_RATIO))

        def opener(info: zipfile.ZipInfo = info, limit: int = limit, name: str = name) -> BinaryIO:
            return _buffered(LimitedReader(archive.open(info), limit, name))

        yield Unit(name, opener, info.compress_size, owner=owner)


def _empty() -> BinaryIO:
    return io.BytesIO(b"")


def input_files(paths: list[Path]) -> list[Path]:
    """Every file under the given files and folders, in a stable (sorted) order."""
    found: list[Path] = []
    for root in paths:
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or directory")
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        found.extend(p for p in files if not p.name.startswith("."))
    return found


def units_of(path: Path) -> Iterator[Unit]:
    """The inputs one file holds: itself, or each member of a zip."""
    if is_zip(path):
        yield from zip_units(path)
    else:
        yield Unit(
            str(path),
            decompressing(path),
            path.stat().st_size,
            raw=lambda: path.open("rb"),
            owner=sibling_owner(path),
        )


def discover(paths: list[Path]) -> Iterator[Unit]:
    """Every input under the given files and folders."""
    for path in input_files(paths):
        yield from units_of(path)


def sibling_owner(path: Path) -> dict[str, Any] | None:
    """For an unzipped personal archive's tweets.js, the owner from account.js beside it."""
    if not is_tweet_member(path.as_posix()):
        return None
    for candidate in (path.parent / "account.js", path.parent.parent / "account.js"):
        if candidate.is_file():
            try:
                return account_from_js(candidate.read_bytes())
            except (ValueError, KeyError, IndexError, AttributeError):
                return None
    return None
