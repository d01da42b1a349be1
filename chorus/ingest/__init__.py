"""Ingest stage: archives in, Parquet lake and audit tables out, every input line accounted for."""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import orjson
import pyarrow as pa
from tqdm import tqdm

from chorus.config import Settings
from chorus.errors import InputError
from chorus.ingest.formats import (
    Item,
    json_object_items,
    jsonl_items,
    read_lines,
    reject,
)
from chorus.ingest.lake import (
    FILE_SCHEMA,
    NOTICE_SCHEMA,
    REJECT_SCHEMA,
    TweetWriter,
    is_ingested,
    write_audit_table,
)
from chorus.ingest.personal import personal_items
from chorus.ingest.sources import Unit, input_files, units_of
from chorus.ingest.tables import csv_items, looks_like_csv_header

log = logging.getLogger(__name__)
PEEK = 64 * 1024


@dataclass
class FileResult:
    """What one input gave."""

    path: str
    sha256: str
    format: str
    counts: Counter[str] = field(default_factory=Counter)
    skipped: bool = False
    size: int = 0


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


def plausible(record: dict[str, object], latest: datetime) -> bool:
    """A tweet time between Twitter's first day and `latest` (tomorrow, when ingesting)."""
    when = record["created_at"]
    return isinstance(when, datetime) and EARLIEST <= when <= latest


def sniff(head: bytes) -> str:
    """Recognise the container format from the first bytes of a (decompressed) stream."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(TWEETS_JS):
        return "personal-archive-js"
    if text.startswith((b"window.YTD", b"Grailbird")):
        return "personal-archive-other"
    if text.startswith(b"["):
        return "json-array"
    if text.startswith(b"{"):
        return "jsonl"
    first_line = text.split(b"\n", 1)[0]
    if looks_like_csv_header(first_line) or b"," in first_line:
        return "csv"
    return "unknown"


def items_of(stream: BinaryIO, container: str, owner: dict[str, object] | None = None) -> Iterator[Item]:
    """The items of one stream, by container format."""
    if container == "personal-archive-js":
        yield from personal_items(stream.read(), owner)
        return
    if container == "csv":
        yield from csv_items(stream)
        return
    if container == "json-array":
        raw = stream.read()
        try:
            values = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield reject(1, f"invalid JSON array: {exc}", raw[:4096])
            return
        for index, value in enumerate(values if isinstance(values, list) else [values], start=1):
            yield from json_object_items(value, index, orjson.dumps(value))
        return
    lines = read_lines(stream)
    if container == "unknown":
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield reject(number, "unrecognised format (not tweet JSON, CSV or tweets.js)", line)
            else:
                yield Item(number, "blank")
        return
    yield from jsonl_items(lines)


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
        kind = "skipped" if unit.skip else "refused"
        sha = f"{kind}-" + hashlib.sha256(unit.name.encode()).hexdigest()[:32]
        if is_ingested(settings.lake, sha):
            return FileResult(unit.name, sha, kind, skipped=True)
    if unit.skip:
        result = FileResult(unit.name, sha, "skipped")
        write_audit(settings, result, [], [])
        return result
    if unit.refusal:
        result = FileResult(unit.name, sha, "refused", Counter(rejects=1))
        write_audit(
            settings,
            result,
            [{"path": unit.name, "file_sha256": sha, "line_no": 0, "reason": unit.refusal, "raw": ""}],
            [],
        )
        log.warning("%s: %s", unit.name, unit.refusal)
        return result
    sha = unit.sha256()
    if is_ingested(settings.lake, sha):
        return FileResult(unit.name, sha, "", skipped=True)
    with unit.open() as stream:
        head = stream.peek(PEEK)[:PEEK] if hasattr(stream, "peek") else b""
        container = sniff(head)
    if container == "personal-archive-other":
        return ingest_unit(replace(unit, skip="not a tweets file of a personal archive"), settings, progress)
    return load(unit, sha, container, settings, progress)


def load(unit: Unit, sha: str, container: str, settings: Settings, progress: bool) -> FileResult:
    """Read every line of one input: tweets to the lake, notices and rejects to its audit files."""
    result = FileResult(unit.name, sha, container, size=unit.size)
    writer = TweetWriter(settings.lake, sha)
    rejects: list[dict[str, object]] = []
    notices: list[dict[str, object]] = []
    last_line = 0
    formats_seen: Counter[str] = Counter()
    latest = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)

    def reject_line(line: int, reason: str, raw: str) -> None:
        rejects.append({"path": unit.name, "file_sha256": sha, "line_no": line, "reason": reason, "raw": raw})

    with gc_paused():  # flushed inside: a collection over the buffered rows costs as much
        try:
            with progress_stream(unit, progress) as stream:
                for item in items_of(stream, container, unit.owner):
                    last_line = max(last_line, item.line)
                    record = item.record
                    if item.kind == "tweet" and record is not None:
                        if not plausible(record, latest):
                            when = record["created_at"]
                            reason = f"created_at {when} outside {EARLIEST.date()}..today"
                            reject_line(item.line, reason, str(record.get("tweet_id")))
                            continue
                        record.setdefault("source_format", container)
                        formats_seen[record["source_format"]] += 1
                        record["file_sha256"] = sha
                        record["line_no"] = item.line
                        writer.add(record)
                        result.counts["tweet"] += 1
                    elif item.kind == "notice" and record is not None:
                        notices.append({"file_sha256": sha, "line_no": item.line, **record})
                        result.counts["notice"] += 1
                    elif item.kind == "reject":
                        reject_line(item.line, item.reason or "", item.raw or "")
                    else:
                        result.counts[item.kind] += 1
        except (OSError, EOFError, ValueError) as exc:  # corrupt compression, zip bomb, bad bytes
            reject_line(last_line + 1, f"unreadable from here on: {exc}", "")
            log.warning("%s:%d: %s", unit.name, last_line + 1, exc)
        writer.flush()
    if formats_seen:
        result.format = formats_seen.most_common(1)[0][0]
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
        yield io.BufferedReader(_CountingRaw(stream, bar), 1 << 18)  # type: ignore[arg-type]


class _CountingRaw(io.RawIOBase):
    """A raw stream that advances a progress bar as bytes are read."""

    def __init__(self, inner: BinaryIO, bar: tqdm) -> None:  # type: ignore[type-arg]
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
        "ingested_at": datetime.now(UTC).replace(tzinfo=None),
    }
    write_audit_table(lake, "files", sha, pa.Table.from_pylist([row], schema=FILE_SCHEMA))


def ingest_file(path: Path, settings: Settings, progress: bool) -> list[FileResult]:
    """Ingest one file (every member, for a zip)."""
    return [ingest_unit(unit, settings, progress) for unit in units_of(path)]


def ingest_in_parallel(
    files: list[Path], settings: Settings, progress: bool, workers: int
) -> list[list[FileResult]] | None:
    """Ingest files in worker processes; None if the pool cannot run here (the caller then
    goes on in this process: a file a worker finished is skipped by its hash)."""
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            jobs = [pool.submit(ingest_file, path, settings, False) for path in files]
            bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=None if progress else True)
            for job in as_completed(jobs):
                job.result()
                bar.update()
            bar.close()
            return [job.result() for job in jobs]
    except (BrokenProcessPool, OSError) as exc:
        log.warning("parallel ingest unavailable here (%s); ingesting in this process", exc)
        return None


def ingest(
    paths: list[Path], settings: Settings, progress: bool = True, workers: int | None = None
) -> IngestSummary:
    """Ingest every archive under `paths` into the lake of `settings.home`.

    Files are ingested in parallel (one process per core, at most `workers`); each writes its
    own Parquet parts, so the result does not depend on the order they finish in.
    """
    try:
        files = input_files(paths)
    except FileNotFoundError as exc:
        raise InputError(str(exc).split(":")[0], "no such file or directory") from exc
    workers = min(workers or os.cpu_count() or 1, len(files)) or 1
    per_file: list[list[FileResult]] | None = None
    if workers > 1:
        per_file = ingest_in_parallel(files, settings, progress, workers)
    if per_file is None:
        per_file = [ingest_file(path, settings, progress) for path in files]
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
