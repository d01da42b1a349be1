"""Find input files and open them as byte streams, decompressing as they come.

A path is a file or a folder (searched recursively). `.gz` and `.bz2` are read streaming;
a `.zip` gives one input per member, refusing members whose path escapes the archive
(zip slip) or that decompress beyond a sane size or ratio (zip bomb).
"""

from __future__ import annotations

import bz2
import errno
import gzip
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

import orjson

from chorus.errors import InputError
from chorus.ingest.formats import Includes, includes_of
from chorus.ingest.personal import ACCOUNT_MEMBERS, account_from_js, is_tweet_member
from chorus.ingest.rtables import parse_column_map

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
    columns: dict[str, str] | None = None  # a column map: read as a table by these columns
    includes: Includes | None = None  # users and tweets for v2 tweets that come without them

    def sha256(self) -> str:
        """Hash of the stored bytes: the file as on disk, or a zip member once decompressed."""
        digest = hashlib.sha256()
        with (self.raw or self.open)() as stream:
            while block := stream.read(CHUNK):
                digest.update(block)
        return digest.hexdigest()


class LimitedReader(io.RawIOBase):
    """A stream that stops with an error once more than `limit` bytes come out of it."""

    def __init__(self, inner: IO[bytes], limit: int, name: str, underlying: IO[bytes] | None = None) -> None:
        self.inner = inner
        self.limit = limit
        self.name = name
        self.count = 0
        self.underlying = underlying  # closed with this reader (a decompressor does not close its source)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # read1: what the decompressor has, without insisting on a full buffer, so a truncated
        # input gives up its readable part before the error
        reader = getattr(self.inner, "read1", self.inner.read)
        data = reader(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise OSError(f"refused: decompresses beyond {self.limit} bytes (zip bomb?)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        if self.underlying is not None:
            self.underlying.close()
        super().close()


def _buffered(raw: io.RawIOBase) -> BinaryIO:
    return io.BufferedReader(raw, CHUNK)


def expansion_limit(compressed: int) -> int:
    """The most a compressed input may decompress to: MAX_RATIO times its size (at least 10 MB),
    at most MAX_MEMBER_BYTES. Tweet JSON compresses 5-30x; a bomb compresses 1000x and more."""
    return min(MAX_MEMBER_BYTES, max(10 * CHUNK, compressed * MAX_RATIO))


def magic_of(stream: BinaryIO) -> str:
    """`gz`, `bz2`, `zip` or `` from the first bytes of a stream (which must support peek)."""
    head = stream.peek(4)[:4]  # type: ignore[attr-defined]
    if head[:2] == b"\x1f\x8b":
        return "gz"
    if head[:3] == b"BZh":
        return "bz2"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    return ""


def decompressed(stream: BinaryIO, compressed: int, name: str) -> BinaryIO:
    """The stream itself, or its gzip/bz2 content (sniffed from magic bytes, not the name),
    bounded in size and ratio so that a small bomb cannot fill memory or disk."""
    kind = magic_of(stream)
    if kind == "gz":
        inner: BinaryIO = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
    elif kind == "bz2":
        inner = bz2.BZ2File(stream, "rb")  # type: ignore[assignment]
    else:
        return stream
    return _buffered(LimitedReader(inner, expansion_limit(compressed), name, underlying=stream))


def decompressing(path: Path) -> Callable[[], BinaryIO]:
    """An opener of a file's content, decompressed when it is gzip or bz2."""

    def opener() -> BinaryIO:
        return decompressed(_buffered(io.FileIO(path, "r")), path.stat().st_size, str(path))

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
            except (ValueError, KeyError, IndexError, AttributeError, RuntimeError, zipfile.BadZipFile):
                return {}
    return None


def member_path(name: str) -> PurePosixPath:
    """A zip member's name as a path (some Windows tools write backslashes)."""
    return PurePosixPath(name.replace("\\", "/"))


def member_refusal(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be read, or None: a path escaping the archive (zip slip), a
    declared size or ratio of a bomb, encryption, or an archive nested inside."""
    member = member_path(info.filename)
    if member.is_absolute() or ".." in member.parts:
        return "refused: member path escapes the archive (zip slip)"
    ratio = info.file_size / max(1, info.compress_size)
    if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 10 * CHUNK and ratio > MAX_RATIO):
        return f"refused: declares {info.file_size} bytes, ratio {ratio:.0f}:1 (zip bomb?)"
    if info.flag_bits & 0x1:
        return "refused: encrypted member (no password is ever tried)"
    try:
        with archive.open(info) as member_stream:
            head = member_stream.read(4)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error) as exc:
        return f"unreadable member: {type(exc).__name__}: {str(exc)[:200]}"
    if head == b"PK\x03\x04":
        return "refused: a zip inside a zip (unzip the outer archive and ingest its folder)"
    return None


def zip_units(path: Path, shown: str | None = None) -> Iterator[Unit]:
    """One unit per file member of a zip, refusing unsafe members.

    In a personal archive (a zip with data/account.js) only the tweet files are read; the
    other members (likes, messages, media, ...) are recorded as skipped. A gzip or bz2 member
    is decompressed (bounded like any other); a zip inside the zip is refused.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Unit(
            shown or display(path), _empty, 0, refusal=f"unreadable zip archive: {type(exc).__name__}: {exc}"
        )
        return
    owner = archive_owner(archive)
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = f"{shown or display(path)}!{display(info.filename)}"
        if is_metadata_member(info.filename):
            yield Unit(name, _empty, info.compress_size, skip=METADATA_SKIP)
            continue
        if owner is not None and not is_tweet_member(info.filename):
            yield Unit(name, _empty, info.compress_size, skip=personal_side_file(info.filename))
            continue
        refusal = member_refusal(archive, info)
        if refusal is not None:
            yield Unit(name, _empty, 0, refusal=refusal)
            continue
        limit = expansion_limit(info.compress_size)

        def opener(info: zipfile.ZipInfo = info, limit: int = limit, name: str = name) -> BinaryIO:
            member = _buffered(LimitedReader(archive.open(info), limit, name))
            return decompressed(member, info.compress_size, name)

        yield Unit(name, opener, info.compress_size, owner=owner)


METADATA_SKIP = "not data: a hidden file or macOS metadata (__MACOSX/, ._*, .DS_Store)"


def is_metadata_member(name: str) -> bool:
    """A member zip tools add beside the data (macOS resource forks, hidden files); a folder's
    hidden files are left out the same way."""
    parts = member_path(name).parts
    return "__MACOSX" in parts or any(part.startswith(".") and part != ".." for part in parts)


def personal_side_file(name: str) -> str:
    """Why a personal archive's member is skipped: which side file it is."""
    stem = member_path(name).name
    known = {
        "manifest.js": "the archive's manifest",
        "account.js": "the owner's account (read for the author)",
        "deleted-tweets.js": "deleted tweets (not part of the public record)",
        "like.js": "likes",
        "follower.js": "followers",
        "following.js": "accounts followed",
        "direct-messages.js": "direct messages",
    }
    return f"not a tweets file of a personal archive: {known.get(stem, stem)}"


def _empty() -> BinaryIO:
    return io.BytesIO(b"")


@dataclass(frozen=True)
class Candidate:
    """A file found under the given paths, or the reason it will not be read."""

    path: Path
    refusal: str | None = None
    columns: dict[str, str] | None = None
    skip: str | None = None


# A column map beside a table (`tweets.csv.columns.yml`) tells how to read it: a file of its own
# that is not an archive (recorded as skipped).
COLUMN_MAP_SUFFIX = ".columns.yml"


# academictwitteR's raw output: data_<n>.json (tweets) with users_<n>.json beside it (their
# authors and referenced tweets); the users file is read with its data file
ACADEMIC_DATA = re.compile(r"data_(\d+)\.json")
ACADEMIC_USERS = re.compile(r"users_(\d+)\.json")
MAX_INCLUDES_BYTES = 256 * 1024**2


def with_sidecars(candidate: Candidate, columns: dict[str, str] | None) -> Candidate:
    """The file with what is read beside it: the column map it is read by (`columns`, given for
    the run, else the map beside it; a map that cannot be read refuses the file with the reason);
    a column map itself, or academictwitteR's users file of a data file, is skipped as such."""
    path = candidate.path
    if candidate.refusal is not None:
        return candidate
    users = ACADEMIC_USERS.fullmatch(path.name)
    if users and path.with_name(f"data_{users[1]}.json").is_file():
        return replace(candidate, skip="academictwitteR's users file, read with its data file")
    if path.name.endswith(COLUMN_MAP_SUFFIX):
        return replace(candidate, skip="a column map, read with the table it names")
    beside = path.with_name(path.name + COLUMN_MAP_SUFFIX)
    if columns is None and beside.is_file():
        try:
            columns = parse_column_map(beside.read_text(encoding="utf-8")[:10_000])
        except (ValueError, OSError) as exc:
            return replace(candidate, refusal=f"refused: its column map {display(beside.name)}: {exc}")
    return replace(candidate, columns=columns)


def display(path: Path | str) -> str:
    """A path as it can be shown and stored: bytes that are not UTF-8 written as `\\xNN`,
    control characters (line breaks, escapes, bidirectional overrides) escaped, so a file name
    can neither break a log line, an audit row nor a page."""
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def input_files(
    paths: list[Path], exclude: tuple[Path, ...] = (), columns: dict[str, str] | None = None
) -> list[Candidate]:
    """Every file under the given files and folders, in a stable (sorted) order.

    Hidden files and folders are left out, and so is anything under `exclude` (the data home and
    the lake: a run over `.` must not ingest its own output). A symlink found in a folder that
    points outside it, a symlink loop, a folder that cannot be listed, and anything that is not a
    regular file (a FIFO, a device), is refused rather than read: one must never hang the run,
    stop it, or pull in files the user did not give. A PATH that does not exist (or is a broken
    symlink) is an InputError naming it. `columns`, a column map, is how every table is read;
    without it, a table is read by the map beside it (`<name>.columns.yml`) if there is one.
    """
    found: list[Candidate] = []
    excluded = [p.resolve() for p in exclude]
    for root in paths:
        try:
            if not root.exists():
                why = "a broken symlink (its target does not exist)" if root.is_symlink() else None
                raise InputError(display(root), why or "no such file or directory")
            if root.is_dir():
                found.extend(folder_files(root, excluded))
            elif not stat.S_ISREG(root.stat().st_mode):
                found.append(Candidate(root, "refused: not a regular file (a FIFO, device or socket)"))
            elif not is_under(root.resolve(), excluded):
                found.append(Candidate(root))
        except (OSError, RuntimeError) as exc:  # a symlink loop, a folder it may not read
            raise InputError(display(root), reason(exc)) from exc
    return [with_sidecars(candidate, columns) for candidate in found]


def reason(exc: BaseException) -> str:
    """Why a directory entry cannot be used, in a few words."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "a symlink loop"
    return (exc.strerror if isinstance(exc, OSError) else None) or type(exc).__name__


def resolved(path: Path) -> Path | None:
    """The path with its symlinks followed, or None when they loop or cannot be read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def folder_files(root: Path, excluded: list[Path]) -> Iterator[Candidate]:
    inside = root.resolve()
    unlisted: list[OSError] = []
    for folder, dirs, files in sorted_walk(root, unlisted.append):
        yield from unlisted_folders(unlisted, folder)
        kept = []
        for d in dirs:
            target = resolved(folder / d)
            if not d.startswith(".") and target is not None and not is_under(target, excluded):
                kept.append(d)
        dirs[:] = kept
        for name in files:
            if not name.startswith("."):
                candidate = folder_entry(folder / name, inside, excluded)
                if candidate is not None:
                    yield candidate
    yield from unlisted_folders(unlisted, root)


def unlisted_folders(errors: list[OSError], near: Path) -> Iterator[Candidate]:
    """The folders os.walk could not list so far, as refusals (the list emptied as they are given)."""
    for error in errors:
        yield Candidate(
            Path(error.filename or near), f"refused: the folder cannot be listed ({reason(error)})"
        )
    errors.clear()


def folder_entry(path: Path, inside: Path, excluded: list[Path]) -> Candidate | None:
    """One file found in a folder, refused with its reason when it is not a regular file inside
    the folder; None when it lies under the excluded outputs."""
    try:
        target = path.resolve()
        if is_under(target, excluded):
            return None
        if path.is_symlink() and not path.exists():
            return Candidate(path, "refused: a broken symlink (its target does not exist)")
        if path.is_symlink() and not is_under(target, [inside]):
            return Candidate(path, "refused: a symlink to a file outside the input folder")
        if not path.exists() or not stat.S_ISREG(path.stat().st_mode):
            return Candidate(path, "refused: not a regular file (a FIFO, device, socket or broken link)")
        return Candidate(path)
    except (OSError, RuntimeError) as exc:
        return Candidate(path, f"refused: {reason(exc)}")


def sorted_walk(
    root: Path, onerror: Callable[[OSError], None] | None = None
) -> Iterator[tuple[Path, list[str], list[str]]]:
    """os.walk in sorted order, not following symlinked folders; a folder that cannot be listed
    goes to `onerror` (os.walk would skip it silently)."""
    for folder, dirs, files in os.walk(root, onerror=onerror, followlinks=False):
        dirs.sort()
        yield Path(folder), dirs, sorted(files)


def is_under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def units_of(candidate: Candidate) -> Iterator[Unit]:
    """The inputs one file holds: itself, or each member of a zip. A file that vanished or cannot
    be opened since it was listed is one refused unit."""
    path = candidate.path
    name = display(path)
    if candidate.refusal is not None or candidate.skip is not None:
        yield Unit(name, _empty, 0, refusal=candidate.refusal, skip=candidate.skip)
        return
    try:
        if is_zip(path):
            for unit in zip_units(path, name):
                yield replace(unit, columns=candidate.columns)
            return
        size = path.stat().st_size
    except OSError as exc:
        yield Unit(name, _empty, 0, refusal=f"refused: {reason(exc)}")
        return
    yield Unit(
        name,
        decompressing(path),
        size,
        raw=lambda: path.open("rb"),
        owner=sibling_owner(path),
        columns=candidate.columns,
        includes=sibling_includes(path),
    )


def sibling_includes(path: Path) -> Includes | None:
    """For academictwitteR's data_<n>.json, the users and tweets of users_<n>.json beside it (None
    without one, or when it is too large or not JSON: the tweets then load without their authors'
    handles)."""
    data = ACADEMIC_DATA.fullmatch(path.name)
    users = path.with_name(f"users_{data[1]}.json") if data else None
    if users is None or not users.is_file() or users.stat().st_size > MAX_INCLUDES_BYTES:
        return None
    try:
        return includes_of(orjson.loads(users.read_bytes()))
    except (orjson.JSONDecodeError, OSError):
        return None


TWEETS_JS = re.compile(r"tweets(-part\d+)?\.js")


def sibling_owner(path: Path) -> dict[str, Any] | None:
    """For an unzipped personal archive's tweets.js (under data/ or copied out of it), the owner
    from account.js beside it."""
    if not (is_tweet_member(path.as_posix()) or TWEETS_JS.fullmatch(path.name)):
        return None
    for candidate in (path.parent / "account.js", path.parent.parent / "account.js"):
        if candidate.is_file():
            try:
                return account_from_js(candidate.read_bytes()[: 10 * CHUNK])
            except (ValueError, KeyError, IndexError, AttributeError):
                return None
    return None
