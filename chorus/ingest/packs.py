"""Small inputs packed together, so that the lake stays in few files however many inputs it took.

Ingest writes each input on its own: one audit object (`_audit/files/<sha256>.parquet`, its
rejects and notices beside it) and tweet parts of its own per day. A zip of 10,000 one-tweet
members would leave 40,000 files, and every build would pay for each (a listing, a footer, a
read). Before each build (`pack_lake`, under the home lock) the small inputs of a local lake
(fewer than `SMALL_TWEETS` tweets each) are packed once `Settings.pack_inputs` of them (or of
packs not yet full) are loose: a pack `pack-<id>` holds one tweet part per day and one object per
audit table, with every member's rows unchanged (its `file_sha256`, line numbers and audit row;
the audit row's `parts` name the pack's parts), so every table built from the lake is the same.
A pack grows to `PACK_TWEETS` tweets; `lake remove` and `lake repair` rewrite the pack without
the inputs they take out.

A pack is written under a journal (`_audit/packing/<id>.json`: its parts, and the objects it
replaces with theirs): the parts, rejects and notices first, the pack's audit object last, then
the stamp that tells readers the packs changed (`lake.PACK_STAMP`), and only then are the
replaced objects removed, each audit object first. A crash leaves the journal, and the next
packing finishes a pack whose audit object is written or removes what there is of one that is
not. Object-storage lakes are not packed (no lock spans the hosts writing them).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from chorus.config import Settings
from chorus.ingest.lake import (
    FILE_SCHEMA,
    NOTICE_SCHEMA,
    PACK_PREFIX,
    PACK_STAMP,
    REJECT_SCHEMA,
    TWEET_SCHEMA,
    packed_inputs,
    part_day,
    whole,
)
from chorus.storage import Lake, write_atomic

log = logging.getLogger(__name__)

SMALL_TWEETS = 10_000  # an input with fewer tweets is packed with others
PACK_TWEETS = 500_000  # a pack takes members until it holds this many tweets
ROW_GROUP = 100_000  # tweets per row group of a pack's part (bounds the memory of packing)
AUDIT_TABLES = {"rejects": REJECT_SCHEMA, "notices": NOTICE_SCHEMA}
Row = dict[str, Any]  # an audit row as pyarrow reads it


@dataclass(frozen=True)
class Journal:
    """A packing under way: the pack (None when the objects just go), its parts, and the objects
    it replaces with the parts each lists (read before they go, so that a crash can finish)."""

    pack: str | None
    parts: list[str]
    replaces: dict[str, list[str]]


@dataclass(frozen=True)
class AuditObject:
    """One audit object of the lake: a loose input's (named by its hash) or a pack's, its rows."""

    name: str
    rows: tuple[Row, ...]

    @property
    def tweets(self) -> int:
        return sum(int(row.get("tweets") or 0) for row in self.rows)

    @property
    def parts(self) -> list[str]:
        listed = [part for row in self.rows for part in (row.get("parts") or [])]
        return sorted(set(listed))

    @property
    def is_pack(self) -> bool:
        return self.name.startswith(PACK_PREFIX)


@dataclass(frozen=True)
class Packed:
    """What one packing did."""

    packs: int
    inputs: int
    tweets: int
    removed_files: int


def audit_names(lake: Lake) -> list[str]:
    """The names of every audit object of the lake (without `.parquet`)."""
    if not lake.is_local:
        found = lake.filesystem().glob(lake.url("_audit", "files", "*.parquet").split("://", 1)[1])
        return sorted(f.rsplit("/", 1)[-1].removesuffix(".parquet") for f in found)
    folder = lake.path / "_audit" / "files"
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(".parquet") for p in folder.glob("*.parquet"))


def holder(lake: Lake, sha: str) -> AuditObject | None:
    """The audit object holding an input's row: its own, a pack's, or none."""
    if lake.exists("_audit", "files", f"{sha}.parquet"):
        return read_object(lake, sha)
    packed = packed_inputs(lake).get(sha)
    if packed is None or not lake.exists("_audit", "files", f"{packed[0]}.parquet"):
        return None
    obj = read_object(lake, packed[0])
    return obj if any(row["sha256"] == sha for row in obj.rows) else None


def read_object(lake: Lake, name: str) -> AuditObject:
    table = lake.read_parquet("_audit", "files", f"{name}.parquet")
    return AuditObject(name, tuple(table.to_pylist()))


def read_objects(lake: Lake) -> list[AuditObject]:
    """Every audit object of the lake; a local lake's loose ones read together (one dataset scan
    on threads: 10,000 objects read one by one took a minute)."""
    names = audit_names(lake)
    if not lake.is_local:
        return [read_object(lake, n) for n in names]
    loose = [n for n in names if not n.startswith(PACK_PREFIX)]
    folder = lake.path / "_audit" / "files"
    rows = read_many([folder / f"{n}.parquet" for n in loose], FILE_SCHEMA).to_pylist()
    by_sha = {str(row["sha256"]): row for row in rows}
    objects = [AuditObject(n, (by_sha[n],)) for n in loose if n in by_sha]
    return objects + [read_object(lake, n) for n in names if n.startswith(PACK_PREFIX)]


def read_many(paths: list[Path], schema: pa.Schema, members: pa.Array | None = None) -> pa.Table:
    """Local Parquet files as one table of `schema` (columns a file lacks read as null), only the
    rows of `members` when given."""
    if not paths:
        return schema.empty_table()
    found = ds.dataset([str(p) for p in paths], schema=schema, format="parquet")
    where = None if members is None else ds.field(sha_field(schema)).isin(members)
    return found.to_table(filter=where)


@contextmanager
def lake_lock(lake: Lake) -> Iterator[None]:
    """Exclusive hold on packing a local lake (several homes may share one lake)."""
    lake.path.mkdir(parents=True, exist_ok=True)
    with (lake.path / ".packing.lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pack_lake(settings: Settings) -> Packed:
    """Finish or undo an interrupted packing, then pack the small inputs if enough are loose."""
    lake = settings.lake
    if not lake.is_local or settings.pack_inputs <= 0 or not (lake.path / "_audit").is_dir():
        return Packed(0, 0, 0, 0)
    with lake_lock(lake):
        recover(lake)
        objects = read_objects(lake)
        drop_loose_copies(lake, objects)
        open_ones = [o for o in objects if openable(lake, o)]
        loose = sum(1 for o in open_ones if not o.is_pack)
        if max(loose, len(open_ones) - loose) < settings.pack_inputs:
            return Packed(0, 0, 0, 0)  # few loose inputs, few packs not yet full
        done = Packed(0, 0, 0, 0)
        for group in fill(open_ones):
            if len(group) < 2:
                continue
            removed = write_pack(lake, [row for o in group for row in o.rows], group)
            done = Packed(
                done.packs + 1,
                done.inputs + sum(len(o.rows) for o in group),
                done.tweets + sum(o.tweets for o in group),
                done.removed_files + removed,
            )
        if done.packs:
            log.info("packed %d small inputs (%d tweets) into %d packs", done.inputs, done.tweets, done.packs)
        return done


def openable(lake: Lake, obj: AuditObject) -> bool:
    """Whether an object may go into a pack: a whole small input, or a pack not yet full."""
    limit = PACK_TWEETS if obj.is_pack else SMALL_TWEETS
    if obj.tweets >= limit:
        return False
    if any(int(row.get("tweets") or 0) > 0 and not row.get("parts") for row in obj.rows):
        return False  # written before audit rows listed their parts
    return whole(lake, obj.parts)


def fill(objects: list[AuditObject]) -> list[list[AuditObject]]:
    """Objects grouped, smallest first, into packs of at most PACK_TWEETS tweets."""
    groups: list[list[AuditObject]] = [[]]
    total = 0
    for obj in sorted(objects, key=lambda o: (o.tweets, o.name)):
        if groups[-1] and total + obj.tweets > PACK_TWEETS:
            groups.append([])
            total = 0
        groups[-1].append(obj)
        total += obj.tweets
    return groups


def drop_loose_copies(lake: Lake, objects: list[AuditObject]) -> None:
    """Remove a loose input that is also a pack's member (ingested again while it was packed)."""
    packed = {str(row["sha256"]) for o in objects if o.is_pack for row in o.rows}
    for obj in objects:
        if not obj.is_pack and obj.name in packed:
            remove_object(lake, obj.name, obj.parts)
            log.info("%s: a loose copy of a packed input removed", obj.name)


def write_pack(lake: Lake, rows: list[Row], replaced: list[AuditObject]) -> int:
    """Write the inputs of `rows` (audit rows of members of `replaced`) as one pack, then remove the
    replaced objects; returns the number of files removed. No rows: the objects just go."""
    members = sorted(str(row["sha256"]) for row in rows)
    name = PACK_PREFIX + hashlib.sha256("\n".join(members).encode()).hexdigest()[:32]
    sources: dict[str, list[str]] = {}
    for part in (p for obj in replaced for p in obj.parts):
        sources.setdefault(part_day(part), []).append(part)
    days = sorted({part_day(p) for row in rows for p in row.get("parts") or []})
    new_parts = {day: f"tweets/day={day}/{name}-{n:05d}.parquet" for n, day in enumerate(days)}
    journal = Journal(name if rows else None, sorted(new_parts.values()), {o.name: o.parts for o in replaced})
    write_journal(lake, name, journal)
    if rows:
        shas = pa.array(members)
        for day, part in new_parts.items():
            copy_rows(lake, sources[day], part, shas)
        for table, schema in AUDIT_TABLES.items():
            paths = [lake.path / "_audit" / table / f"{o.name}.parquet" for o in replaced]
            merged = read_many([p for p in paths if p.exists()], schema, shas)
            lake.write_parquet(merged, "_audit", table, f"{name}.parquet")
        audit = pa.Table.from_pylist(repoint(rows, new_parts), schema=FILE_SCHEMA)
        lake.write_parquet(audit, "_audit", "files", f"{name}.parquet")  # last: the pack is whole
        write_stamp(lake)
    removed = finish(lake, journal)
    write_stamp(lake)
    (lake.path / "_audit" / "packing" / f"{name}.json").unlink()
    return removed


def sha_field(schema: pa.Schema) -> str:
    """The column naming the input in an audit table."""
    return "sha256" if "sha256" in schema.names else "file_sha256"


def repoint(rows: list[Row], new_parts: dict[str, str]) -> list[Row]:
    """Audit rows whose `parts` name the pack's part of each day they had tweets on."""
    out = []
    for row in rows:
        days = sorted({part_day(p) for p in row.get("parts") or []})
        out.append({**row, "parts": [new_parts[d] for d in days]})
    return out


def copy_rows(lake: Lake, sources: list[str], target: str, members: pa.Array) -> None:
    """One pack part from the tweets of `members` in `sources`, in row groups of ROW_GROUP rows,
    written under a temporary name and renamed."""
    path = lake.path / target
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    found = ds.dataset([str(lake.path / s) for s in sorted(sources)], schema=TWEET_SCHEMA, format="parquet")
    pending: list[pa.RecordBatch] = []
    rows = 0
    with pq.ParquetWriter(tmp, TWEET_SCHEMA, compression="zstd") as writer:
        for batch in found.to_batches(filter=ds.field("file_sha256").isin(members)):
            pending.append(batch)  # one per small file: gathered into row groups of ROW_GROUP rows
            rows += batch.num_rows
            if rows >= ROW_GROUP:
                writer.write_table(pa.Table.from_batches(pending), row_group_size=ROW_GROUP)
                pending, rows = [], 0
        if pending:
            writer.write_table(pa.Table.from_batches(pending, TWEET_SCHEMA), row_group_size=ROW_GROUP)
    os.replace(tmp, path)


def finish(lake: Lake, journal: Journal) -> int:
    """Remove the objects a written pack replaces (each audit object first); returns files removed."""
    count = 0
    for old, parts in journal.replaces.items():
        count += remove_object(lake, old, parts)
    return count


def remove_object(lake: Lake, name: str, parts: list[str]) -> int:
    """An audit object, then its parts, rejects and notices (absent ones are fine)."""
    files = [("_audit", "files", f"{name}.parquet"), *(tuple(p.split("/")) for p in parts)]
    files += [("_audit", table, f"{name}.parquet") for table in AUDIT_TABLES]
    for file in files:
        lake.remove(*file)
    return len(files)


def write_journal(lake: Lake, name: str, journal: Journal) -> None:
    folder = lake.path / "_audit" / "packing"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{name}.json", json.dumps(asdict(journal)))


def write_stamp(lake: Lake) -> None:
    """Tell readers caching the packs' members (`lake.packed_inputs`) that they changed."""
    write_atomic(lake.path / PACK_STAMP, uuid.uuid4().hex)


def recover(lake: Lake) -> None:
    """Finish every pack whose audit object was written, remove what there is of the others."""
    folder = lake.path / "_audit" / "packing"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        journal = Journal(**json.loads(path.read_text(encoding="utf-8")))
        if journal.pack and lake.exists("_audit", "files", f"{journal.pack}.parquet"):
            write_stamp(lake)
            finish(lake, journal)
            log.warning("an interrupted packing finished (%s)", journal.pack)
        else:
            for part in journal.parts:
                lake.remove(*part.split("/"))
                lake.remove(*f"{part}.tmp".split("/"))  # a part cut short (an ingest's are left alone)
            for table in AUDIT_TABLES:
                lake.remove("_audit", table, f"{path.stem}.parquet")
            log.warning("an interrupted packing undone (%s)", path.stem)
        path.unlink()


def unpack(lake: Lake, shas: set[str], obj: AuditObject) -> None:
    """Take members out of a pack: the pack is written again without them (or goes, if no member
    is left). The caller holds the home lock."""
    with lake_lock(lake):
        write_pack(lake, [row for row in obj.rows if row["sha256"] not in shas], [obj])
