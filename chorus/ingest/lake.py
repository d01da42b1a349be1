"""The Parquet lake: schema, layout and atomic writes.

Layout under the lake's root (`<home>/lake/`, `$CHORUS_LAKE`, or an object-storage URL):
- `tweets/day=YYYY-MM-DD/<sha16>-<part>.parquet`: tweets, partitioned by UTC day of `created_at`.
- `_audit/files/<sha256>.parquet`: one row per ingested input; written last, it marks the input
  complete. Tweets of an input with no audit row (a crash mid-way) are ignored downstream and
  rewritten, under the same names, by the next run.
- `_audit/rejects/<sha256>.parquet`, `_audit/notices/<sha256>.parquet`: rejected lines and stream
  notices of that input (zero rows is a valid file).

No reader ever sees a partial file: a local lake writes to a temporary name and renames, an
object store makes an object visible only once its upload completes (chorus/storage.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pyarrow as pa

from chorus.storage import Lake

TWEET_SCHEMA = pa.schema(
    [
        ("tweet_id", pa.string()),
        ("user_id", pa.string()),
        ("screen_name", pa.string()),
        ("user_created_at", pa.timestamp("us")),
        ("user_followers", pa.int64()),
        ("user_following", pa.int64()),
        ("user_tweets", pa.int64()),
        ("created_at", pa.timestamp("us")),
        ("text", pa.string()),
        ("source", pa.string()),
        ("source_url", pa.string()),
        ("lang", pa.string()),
        ("is_retweet", pa.bool_()),
        ("retweeted_tweet_id", pa.string()),
        ("retweeted_screen_name", pa.string()),
        ("quoted_tweet_id", pa.string()),
        ("in_reply_to_tweet_id", pa.string()),
        ("hashtags", pa.list_(pa.string())),
        ("mentions", pa.list_(pa.string())),
        ("urls", pa.list_(pa.string())),
        ("time_precision", pa.string()),
        ("source_format", pa.string()),
        ("file_sha256", pa.string()),
        ("line_no", pa.int64()),
        # what the archive says of the author's profile (NULL where it says nothing; see typed.PROFILE_FIELDS)
        ("user_name", pa.string()),
        ("user_description", pa.string()),
        ("user_location", pa.string()),
        ("user_verified", pa.bool_()),
        ("user_protected", pa.bool_()),
        ("user_default_image", pa.bool_()),
        ("user_listed", pa.int64()),
        ("user_favourites", pa.int64()),
    ]
)

TWEET_COLUMNS = tuple(TWEET_SCHEMA.names)
CREATED_AT = TWEET_COLUMNS.index("created_at")
FILE_SHA256 = TWEET_COLUMNS.index("file_sha256")  # the writer adds it and the line number
SOURCE_FORMAT = TWEET_COLUMNS.index("source_format")
PROFILE = TWEET_COLUMNS.index("line_no") + 1  # the profile columns follow them

FILE_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("format", pa.string()),
        ("bytes", pa.int64()),
        ("lines", pa.int64()),
        ("blanks", pa.int64()),
        ("tweets", pa.int64()),
        ("notices", pa.int64()),
        ("rejects", pa.int64()),
        ("skipped", pa.int64()),
        ("note", pa.string()),
        ("parts", pa.list_(pa.string())),
        ("ingested_at", pa.timestamp("us")),
    ]
)

REJECT_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("file_sha256", pa.string()),
        ("line_no", pa.int64()),
        ("reason", pa.string()),
        ("raw", pa.string()),
    ]
)

NOTICE_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("line_no", pa.int64()),
        ("kind", pa.string()),
        ("tweet_id", pa.string()),
        ("user_id", pa.string()),
        ("detail", pa.string()),  # what a data-quality notice decided (an encoding, a date order...)
    ]
)


class TweetWriter:
    """Buffers one input's tweets by day and writes them as Parquet parts.

    Rows come typed (`typed.typed_row`: every column but the file and the line, which the writer
    adds), with their line number beside them; `formats` counts the rows per source format.
    """

    def __init__(self, lake: Lake, sha256: str, flush_rows: int = 200_000) -> None:
        self.lake = lake
        self.sha256 = sha256
        self.flush_rows = flush_rows
        self.buffer: dict[date, tuple[list[tuple[Any, ...]], list[int]]] = {}
        self.buffered = 0
        self.parts = 0
        self.written: list[str] = []
        self.formats: Counter[str] = Counter()

    def add(self, record: dict[str, Any]) -> None:
        """Buffer one lake record given as a dict (columns it lacks are null)."""
        columns = TWEET_COLUMNS[:FILE_SHA256] + TWEET_COLUMNS[PROFILE:]
        self.add_row(tuple(map(record.get, columns)), int(record.get("line_no") or 0))

    def add_row(self, row: tuple[Any, ...], line: int) -> None:
        """Buffer one typed row (`created_at` is its 8th value; the profile columns last) read from `line`."""
        day = row[CREATED_AT].date()
        found = self.buffer.get(day)
        if found is None:
            found = self.buffer[day] = ([], [])
        found[0].append(row)
        found[1].append(line)
        self.buffered += 1
        if self.buffered >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        """Write every buffered day as one Parquet part."""
        for day in sorted(self.buffer):
            rows, lines = self.buffer[day]
            name = f"{self.sha256[:16]}-{self.parts:05d}.parquet"
            columns = list(zip(*rows, strict=True))
            self.formats.update(columns[FILE_SHA256 - 1])
            fields = [*TWEET_SCHEMA][:FILE_SHA256] + [*TWEET_SCHEMA][PROFILE:]
            arrays = [
                pa.array(values, type=field.type) for values, field in zip(columns, fields, strict=True)
            ]
            arrays[FILE_SHA256:FILE_SHA256] = [
                pa.array([self.sha256] * len(rows), type=pa.string()),
                pa.array(lines, type=pa.int64()),
            ]
            table = pa.Table.from_arrays(arrays, schema=TWEET_SCHEMA)
            folder = f"day={day.isoformat()}"
            self.lake.write_parquet(table, "tweets", folder, name)
            self.written.append(f"tweets/{folder}/{name}")
            self.parts += 1
        self.buffer.clear()
        self.buffered = 0


def write_audit_table(lake: Lake, table: str, sha256: str, rows: pa.Table) -> None:
    """One input's rows of an audit table (`files`, `rejects`, `notices`)."""
    lake.write_parquet(rows, "_audit", table, f"{sha256}.parquet")


PACK_PREFIX = "pack-"  # the audit objects of packs of small inputs (chorus.ingest.packs)
PACK_STAMP = "_audit/packs.stamp"  # rewritten whenever packs change: readers' caches follow it


def part_day(part: str) -> str:
    """The day of a tweet part's path (`tweets/day=YYYY-MM-DD/...`)."""
    return part.split("/")[1].removeprefix("day=")


def whole(lake: Lake, parts: list[str]) -> bool:
    """Whether every one of these tweet parts is in the lake."""
    return all(lake.exists(*part.split("/")) for part in parts)


_PACKED: dict[str, tuple[str, dict[str, tuple[str, list[str]]]]] = {}


def packed_inputs(lake: Lake) -> dict[str, tuple[str, list[str]]]:
    """Every packed input of a local lake: its pack's name and the parts its audit row lists, read
    again only when the packs change (their stamp), so that asking for 10,000 inputs reads the
    packs once."""
    if not lake.is_local:
        return {}
    stamp_path = lake.path / PACK_STAMP
    stamp = stamp_path.read_text(encoding="utf-8") if stamp_path.exists() else ""
    key = str(lake.path)
    cached = _PACKED.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted((lake.path / "_audit" / "files").glob(f"{PACK_PREFIX}*.parquet")):
        for row in lake.read_parquet("_audit", "files", path.name).select(["sha256", "parts"]).to_pylist():
            found[str(row["sha256"])] = (path.stem, list(row["parts"] or []))
    _PACKED[key] = (stamp, found)
    return found


def is_ingested(lake: Lake, sha256: str) -> bool:
    """Whether the input is whole in the lake: its audit row, written last, is there (its own
    object, or a pack's), and so is every Parquet part it lists (a part deleted since makes the
    input count as not ingested, so offering the file again repairs the lake)."""
    if lake.exists("_audit", "files", f"{sha256}.parquet"):
        return whole(lake, recorded_parts(lake, sha256))
    packed = packed_inputs(lake).get(sha256)
    return packed is not None and whole(lake, packed[1])


def recorded_parts(lake: Lake, sha256: str) -> list[str]:
    """The tweet parts a loose input's audit row lists (none for lakes written before parts were listed)."""
    table = lake.read_parquet("_audit", "files", f"{sha256}.parquet")
    if "parts" not in table.column_names:
        return []
    return [part for parts in table.column("parts").to_pylist() for part in parts or []]
