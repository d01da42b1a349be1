"""Ingest stage: archives in, Parquet lake and audit tables out, every input line accounted for."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import itertools
import logging
import multiprocessing
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import ijson
import orjson
import pyarrow as pa
from tqdm import tqdm

from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.ingest.documents import as_utf8, document_items, wide_encoding
from chorus.ingest.formats import (
    BOM,
    MAX_RAW,
    Includes,
    Item,
    NotATweet,
    Oversized,
    jsonl_items,
    raw_json,
    read_lines,
    reject,
)
from chorus.ingest.lake import (
    CREATED_AT,
    FILE_SCHEMA,
    NOTICE_SCHEMA,
    REJECT_SCHEMA,
    SOURCE_FORMAT,
    TweetWriter,
    is_ingested,
    write_audit_table,
)
from chorus.ingest.personal import personal_items
from chorus.ingest.sources import Candidate, Unit, input_files, units_of
from chorus.ingest.tables import csv_items, looks_like_csv_header
from chorus.ingest.typed import typed_notice, typed_tweet

log = logging.getLogger(__name__)
PEEK = 64 * 1024
# What reading a hostile or broken input can raise: corrupt or truncated compression (OSError,
# EOFError, zlib.error), a bad zip member (BadZipFile: bad CRC, understated size), an encrypted or
# unsupported member (RuntimeError, NotImplementedError), undecodable bytes (ValueError).
UNREADABLE = (
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
    ijson.JSONError,
)


@dataclass
class FileResult:
    """What one input gave."""

    path: str
    sha256: str
    format: str
    counts: Counter[str] = field(default_factory=Counter)
    skipped: bool = False
    size: int = 0
    note: str = ""
    parts: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    """Totals of one ingest run, printed at the end."""

    files: list[FileResult] = field(default_factory=list)

    def total(self, kind: str) -> int:
        return sum(f.counts[kind] for f in self.files if not f.skipped)

    @property
    def new_files(self) -> int:
        return sum(1 for f in self.files if not f.skipped)

    @property
    def skipped_files(self) -> int:
        return sum(1 for f in self.files if f.skipped)


TWEETS_JS = (b"window.YTD.tweets.", b"window.YTD.tweet.", b"Grailbird.data.tweets")


EARLIEST = datetime(2006, 3, 21)


def sniff(head: bytes) -> str:
    """Recognise the container format from the first bytes of a (decompressed) stream.

    JSON lines are recognised by any of the first lines parsing on its own, so a file whose first
    line was cut, or is `null` or `[]`, is still read line by line; a JSON document that spans
    lines (an array, a pretty-printed object) is streamed element by element.
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(TWEETS_JS):
        return "personal-archive-js"
    if text.startswith((b"window.YTD", b"window.__THAR", b"Grailbird")):
        return "personal-archive-other"
    first_line = text.split(b"\n", 1)[0]
    if looks_like_csv_header(first_line):
        return "csv"
    if text[:1] in (b"{", b"[") and not any_line_parses(text) and spans_lines(text):
        return "json-array" if text.startswith(b"[") else "json-document"
    if any_line_parses(text):
        return "jsonl"
    if b"," in first_line:
        return "csv"
    return "unknown"


def spans_lines(text: bytes) -> bool:
    """Whether the head looks like one JSON value written across lines (pretty-printed: its first
    line is a lone `{` or `[`), or one value longer than the head; else it is read line by line."""
    first, newline, _ = text.partition(b"\n")
    return not newline or first.strip() in (b"{", b"[")


def one_parses_alone(lines: Iterable[bytes], count: int = 5) -> bool:
    """Whether one of the first `count` non-blank lines is a JSON object or array on its own."""
    for line in itertools.islice((line for line in lines if line.strip()), count):
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(value, dict | list):
            return True
    return False


def any_line_parses(text: bytes) -> bool:
    """Whether one of the first complete, non-blank lines of the head parses on its own."""
    return one_parses_alone(text.split(b"\n")[:-1] if b"\n" in text else [])


def first_lines_parse(unit: Unit, encoding: str | None, lines: int = 5) -> bool:
    """Whether one of the first lines, read whole (up to MAX_LINE), is a JSON object or array on
    its own: JSON lines longer than the sniffer's look-ahead, not one document. Read as a
    document, such a file (twarc2 pages of 100 tweets with their expansions) would lose every
    line after a broken one; read as lines, a broken line is one reject."""
    with unit.open() as stream:
        first = itertools.islice(read_lines(as_utf8(stream, encoding)), lines)
        return one_parses_alone(line.removeprefix(BOM) for line in first if not isinstance(line, Oversized))


def items_of(
    stream: BinaryIO,
    container: str,
    owner: dict[str, object] | None = None,
    columns: dict[str, str] | None = None,
    includes: Includes | None = None,
) -> Iterator[Item]:
    """The items of one stream, by container format (a table read by `columns` when given)."""
    if container == "personal-archive-js":
        yield from personal_items(stream, owner)
        return
    if container == "csv":
        yield from csv_items(stream, columns)
        return
    if container in ("json-array", "json-document"):
        yield from document_items(stream, "array" if container == "json-array" else "values", includes)
        return
    lines = read_lines(stream)
    if container == "unknown":
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield reject(number, "unrecognised format (not tweet JSON, CSV or tweets.js)", line)
            else:
                yield Item(number, "blank")
        return
    yield from jsonl_items(lines, includes=includes)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing.

    Parsing allocates millions of short-lived, acyclic objects; the collections they trigger
    cost about a fifth of ingest time and free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ingest_unit(unit: Unit, settings: Settings, progress: bool) -> FileResult:
    """Ingest one input into the lake; returns its counts (or `skipped` if seen before)."""
    if unit.skip or unit.refusal:
        return record_refusal(unit, settings)
    try:
        sha = unit.sha256()
        if is_ingested(settings.lake, sha):
            return FileResult(unit.name, sha, "", skipped=True)
        with unit.open() as stream:
            head = stream.peek(PEEK)[:PEEK] if hasattr(stream, "peek") else b""
    except UNREADABLE as exc:  # a corrupt or truncated compressed file, an unreadable zip member
        return record_refusal(replace(unit, refusal=f"unreadable: {describe(exc)}"), settings)
    encoding = wide_encoding(head)
    if encoding:
        head = head.decode(encoding, "ignore").encode("utf-8")  # the BOM and a cut last character go
    container = "csv" if unit.columns is not None else sniff(head)
    if container == "json-document" and b"\n" not in head and first_lines_parse(unit, encoding):
        container = "jsonl"  # lines longer than the look-ahead (twarc2 pages run to hundreds of KB)
    if container == "personal-archive-other":
        return record_refusal(replace(unit, skip="not a tweets file of a personal archive"), settings)
    return load(unit, sha, container, settings, progress, encoding)


def describe(exc: BaseException) -> str:
    """An exception as one short line."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def record_refusal(unit: Unit, settings: Settings) -> FileResult:
    """An input read no further (refused as unsafe or unreadable, or skipped as not tweets),
    recorded once with its reason; offered again, it is skipped."""
    kind = "skipped" if unit.skip else "refused"
    sha = f"{kind}-" + hashlib.sha256(unit.name.encode()).hexdigest()[:32]
    if is_ingested(settings.lake, sha):
        return FileResult(unit.name, sha, kind, skipped=True)
    if unit.skip:
        result = FileResult(unit.name, sha, "skipped", note=unit.skip)
        write_audit(settings, result, [], [])
        return result
    result = FileResult(unit.name, sha, "refused", Counter(rejects=1), note=unit.refusal or "")
    row = {"path": unit.name, "file_sha256": sha, "line_no": 0, "reason": unit.refusal, "raw": ""}
    write_audit(settings, result, [row], [])
    log.warning("%s: %s", unit.name, unit.refusal)
    return result


def load(
    unit: Unit, sha: str, container: str, settings: Settings, progress: bool, encoding: str | None = None
) -> FileResult:
    """Read every line of one input: tweets to the lake, notices and rejects to its audit files.
    (`encoding`: UTF-16 or UTF-32, read as UTF-8; else the bytes are UTF-8.)

    Each record is typed against the lake schema first (`typed.py`): a record that is not a
    tweet after all is a reject naming its line, never a crash. A stream that breaks (corrupt
    compression, a bad zip member) keeps everything read before the break.
    """
    result = FileResult(unit.name, sha, container, size=unit.size)
    writer = TweetWriter(settings.lake, sha)
    rejects: list[dict[str, object]] = []
    notices: list[dict[str, object]] = []

    def notice_row(line: int, record: dict[str, object]) -> None:
        notices.append({"file_sha256": sha, "line_no": line, **typed_notice(record)})

    if encoding:  # a wide encoding (Windows tools' "Unicode" text): a decision about the file
        notice_row(0, {"kind": "encoding", "detail": f"{encoding} (byte-order mark), read as its text"})
    skips: Counter[str] = Counter()
    last_line = 0
    latest = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)

    def reject_line(line: int, reason: str, raw: str) -> None:
        rejects.append(
            {
                "path": unit.name,
                "file_sha256": sha,
                "line_no": line,
                "reason": " ".join(reason.split())[:500],  # one line (parsers' messages span several)
                "raw": raw[:MAX_RAW],
            }
        )

    with gc_paused():  # flushed inside: a collection over the buffered rows costs as much
        try:
            with progress_stream(unit, progress) as stream:
                items = items_of(
                    as_utf8(stream, encoding), container, unit.owner, unit.columns, unit.includes
                )
                for item in items:
                    last_line = max(last_line, item.line)
                    if item.kind == "tweet":
                        row = item.row
                        if row is None:
                            try:
                                row = typed_tweet(item.record or {})
                            except NotATweet as exc:
                                raw = raw_json(item.record).decode("utf-8", "replace")
                                reject_line(item.line, str(exc), raw)
                                continue
                            if row[SOURCE_FORMAT] is None:
                                row = (*row[:SOURCE_FORMAT], container, *row[SOURCE_FORMAT + 1 :])
                        created_at = row[CREATED_AT]
                        if not EARLIEST <= created_at <= latest:
                            reason = f"created_at {created_at} outside {EARLIEST.date()}..today"
                            reject_line(item.line, reason, row[0])
                            continue
                        writer.add_row(row, item.line)
                    elif item.kind == "notice" and item.record is not None:
                        notice_row(item.line, item.record)
                        result.counts["notice"] += 1
                    elif item.kind == "quality" and item.record is not None:  # of the file, no line
                        notice_row(0, item.record)
                    elif item.kind == "reject":
                        reject_line(item.line, item.reason or "", item.raw or "")
                    elif item.kind == "skip":
                        skips[item.reason or ""] += 1
                        result.counts["skip"] += 1
                    else:
                        result.counts[item.kind] += 1
        except UNREADABLE as exc:  # corrupt compression, zip bomb, bad CRC, bad bytes
            reject_line(last_line + 1, f"unreadable from here on: {describe(exc)}", "")
            log.warning("%s:%d: %s", unit.name, last_line + 1, describe(exc))
        writer.flush()
    result.parts = writer.written
    result.counts["tweet"] = sum(writer.formats.values())
    if writer.formats:
        result.format = writer.formats.most_common(1)[0][0]
    if skips:
        result.note = "; ".join(f"{n} line(s): {reason}" for reason, n in skips.most_common(3))
        if not writer.formats:
            result.format = "not tweets"
    result.counts["lines"] = last_line
    result.counts["rejects"] = len(rejects)
    write_audit(settings, result, rejects, notices)
    return result


@contextmanager
def progress_stream(unit: Unit, progress: bool) -> Iterator[BinaryIO]:
    """The unit's decompressed bytes, buffered, advancing a per-file progress bar as they are read."""
    with (
        unit.open() as stream,
        tqdm(
            total=unit.size or None,
            unit="B",
            unit_scale=True,
            desc=Path(unit.name).name[:40],
            leave=False,
            disable=None if progress else True,
        ) as bar,
    ):
        yield io.BufferedReader(_CountingRaw(stream, bar), 1 << 18)


class _CountingRaw(io.RawIOBase):
    """A raw stream that advances a progress bar as bytes are read."""

    def __init__(self, inner: BinaryIO, bar: tqdm) -> None:
        self.inner = inner
        self.bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # read1 returns what one decompressed block holds: a truncated archive then loses
        # only its unreadable tail, not the buffer before it.
        reader = getattr(self.inner, "read1", self.inner.read)
        data = reader(len(buffer))
        buffer[: len(data)] = data
        self.bar.update(len(data))
        return len(data)


def write_audit(
    settings: Settings, result: FileResult, rejects: list[dict[str, object]], notices: list[dict[str, object]]
) -> None:
    """Write rejects and notices, then the file row that marks the input complete."""
    lake, sha = settings.lake, result.sha256
    write_audit_table(lake, "rejects", sha, pa.Table.from_pylist(rejects, schema=REJECT_SCHEMA))
    write_audit_table(lake, "notices", sha, pa.Table.from_pylist(notices, schema=NOTICE_SCHEMA))
    row = {
        "path": result.path,
        "sha256": result.sha256,
        "format": result.format,
        "bytes": result.size,
        "lines": result.counts["lines"],
        "blanks": result.counts["blank"],
        "tweets": result.counts["tweet"],
        "notices": result.counts["notice"],
        "rejects": result.counts["rejects"],
        "skipped": result.counts["skip"],
        "note": result.note or None,
        "parts": result.parts,
        "ingested_at": datetime.now(UTC).replace(tzinfo=None),
    }
    write_audit_table(lake, "files", sha, pa.Table.from_pylist([row], schema=FILE_SCHEMA))


def ingest_file(candidate: Candidate, settings: Settings, progress: bool) -> list[FileResult]:
    """Ingest one file (every member, for a zip). No input stops the run: should reading one fail
    in a way the readers did not foresee, it is recorded as refused with the error, logged with
    its traceback, and the next input is read."""
    results = []
    for unit in units_of(candidate):
        try:
            results.append(ingest_unit(unit, settings, progress))
        except ChorusError:
            raise  # the lake itself cannot be written: no input can be ingested
        except (Exception, MemoryError) as exc:  # noqa: BLE001 - see the docstring
            log.exception("%s: unexpected error while reading", unit.name)
            refusal = f"unreadable: unexpected {describe(exc)}"
            results.append(record_refusal(replace(unit, refusal=refusal, skip=None), settings))
    return results


def ingest_in_parallel(
    files: list[Candidate], settings: Settings, progress: bool, workers: int
) -> list[list[FileResult]] | None:
    """Ingest files in worker processes; None if the pool cannot run here (the caller then
    goes on in this process: a file a worker finished is skipped by its hash)."""
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            jobs = [pool.submit(ingest_file, candidate, settings, False) for candidate in files]
            bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=None if progress else True)
            for job in as_completed(jobs):
                job.result()
                bar.update()
            bar.close()
            return [job.result() for job in jobs]
    except (BrokenProcessPool, OSError) as exc:
        log.warning("parallel ingest unavailable here (%s); ingesting in this process", exc)
        return None


# Below this many bytes on disk, an archive is read in this process: starting worker processes
# (each imports the readers and pyarrow) took longer than reading it (the 3 MB sample: 1.3 s in
# this process, 2.0 s with two workers).
SMALL_ARCHIVE = 8 * 2**20


def stored_bytes(files: list[Candidate]) -> int:
    """The size on disk of the files that will be read (a refused or vanished one counts 0)."""
    total = 0
    for candidate in files:
        if candidate.refusal is None:
            with contextlib.suppress(OSError):
                total += candidate.path.stat().st_size
    return total


def ingest(
    paths: list[Path],
    settings: Settings,
    progress: bool = True,
    workers: int | None = None,
    parallel_from: int = SMALL_ARCHIVE,
    columns: dict[str, str] | None = None,
) -> IngestSummary:
    """Ingest every archive under `paths` into the lake of `settings.home`.

    Files are ingested in parallel (one process per core, at most `workers`) unless the archive
    is smaller than `parallel_from` bytes on disk; each writes its own Parquet parts, so the
    result does not depend on the order they finish in.
    """
    if settings.home.exists() and not settings.home.is_dir():
        raise ChorusError(f"{settings.home}: the data home is a file, not a folder")
    # a PATH it cannot use is an InputError; `columns` (a column map) reads every table given
    files = input_files(paths, exclude=settings.outputs, columns=columns)
    workers = min(workers or os.cpu_count() or 1, len(files)) or 1
    per_file: list[list[FileResult]] | None = None
    if workers > 1 and stored_bytes(files) >= parallel_from:
        per_file = ingest_in_parallel(files, settings, progress, workers)
    if per_file is None:
        per_file = [ingest_file(candidate, settings, progress) for candidate in files]
    summary = IngestSummary()
    seen: set[str] = set()
    for result in (r for results in per_file for r in results):
        if result.sha256 in seen:
            result.skipped = True
        seen.add(result.sha256)
        summary.files.append(result)
        if not result.skipped:
            log.info(
                "%s: %s, %d tweets, %d notices, %d rejects",
                result.path,
                result.format,
                result.counts["tweet"],
                result.counts["notice"],
                result.counts["rejects"],
            )
    return summary
