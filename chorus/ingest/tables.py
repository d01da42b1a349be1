"""CSV archives: twarc-csv, Information Operations disclosures, coordination-network-toolkit.

The flavour is recognised from the header. Each data row becomes a tweet or a reject naming the
(physical) line it starts on; quoted fields may span lines.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
import html
import itertools
import logging
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

import orjson

from chorus.ingest import rtables
from chorus.ingest.formats import (
    MAX_LINE,
    Item,
    NotATweet,
    Oversized,
    app_name,
    default_image,
    epoch_time,
    parse_time,
    read_lines,
    reject,
)

log = logging.getLogger(__name__)

# A tweet's longest field is its text (25,000 characters for long posts); a larger field is a
# broken or hostile file, refused as the row's reject instead of being held in memory.
MAX_FIELD = 1024 * 1024
csv.field_size_limit(MAX_FIELD)
MAX_LIST = 64 * 1024
Row = dict[str, str]
# One item of a Python-repr list: a quoted string (either quote) or a bare token.
LIST_ITEM = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,'"\[\]\s][^,\[\]]*)""")


def parse_list(value: str | None) -> list[Any]:
    """A list column as archives write it: JSON (`["a"]`), Python repr (`['a', 'b']`, `[a, b]`)
    or space separated. Read by a flat pattern, never evaluated: nesting and length are bounded."""
    if value is None:
        return []
    text = value.strip()[:MAX_LIST]
    if not text or text in ("[]", "None", "nan"):
        return []
    if text.startswith("["):
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            parsed = [
                (single or double or bare).strip()
                for single, double, bare in LIST_ITEM.findall(text[1:-1] if text.endswith("]") else text[1:])
            ]
        return [p for p in (parsed if isinstance(parsed, list) else [parsed]) if p not in (None, "")]
    return text.split()


def entity_values(value: str | None, key: str) -> list[str]:
    """Values of one key from a twarc-csv entity column (a JSON list of objects)."""
    out = []
    for item in parse_list(value):
        if isinstance(item, dict):
            found = item.get(key) or (item.get("expanded_url") if key == "unwound_url" else None)
            if found:
                out.append(str(found))
        elif item:
            out.append(str(item))
    return out


def json_string(value: str) -> str | None:
    """The decoded value if `value` is one JSON-encoded string, else None."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return None
    try:
        decoded = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return decoded if isinstance(decoded, str) else None


def texts_are_json_encoded(rows: list[Row]) -> bool:
    """twarc-csv can JSON-encode text fields (`--json-encode-text`); then every one is quoted.

    Decided per file from its first rows, since a tweet may itself start and end with quotes.
    """
    texts = [r.get("text") or "" for r in rows if r.get("text")]
    return bool(texts) and all(json_string(t) is not None for t in texts)


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "t")


# The zero-padded forms IO releases write, read without strptime (a third of a row's parsing);
# any other form goes through strptime as before, so what is accepted does not change.
IO_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
IO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_io_time(value: str) -> tuple[datetime, str]:
    """IO `tweet_time` (`2011-10-12 21:03`, minute resolution) or a full timestamp."""
    text = value.strip()[:64]
    if IO_MINUTE.fullmatch(text):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text), "minute"
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M"), "minute"
    except ValueError:
        return parse_time(text), "second"


def optional_time(value: str | None) -> datetime | None:
    """An account's creation date or time; None when absent or unreadable (the tweet stands)."""
    if not value or not value.strip():
        return None
    text = value.strip()[:64]
    try:
        if IO_DATE.fullmatch(text):
            return datetime.fromisoformat(text)
        return datetime.strptime(text, "%Y-%m-%d") if len(text) == 10 else parse_time(text)
    except ValueError:
        return None


def first_ref(row: Row, kind: str) -> str | None:
    direct = row.get(f"referenced_tweets.{kind}.id")
    if direct:
        return direct
    for ref in parse_list(row.get("referenced_tweets")):
        if isinstance(ref, dict) and ref.get("type") == kind:
            return str(ref.get("id"))
    return None


def from_twarc_csv(row: Row, encoded_text: bool = False) -> dict[str, Any]:
    tweet_id = row.get("id")
    created = row.get("created_at")
    if not tweet_id or not created:
        raise NotATweet("twarc-csv row without id/created_at")
    retweeted = first_ref(row, "retweeted")
    raw_text = row.get("text") or ""
    source, _ = app_name(row.get("source"))
    return {
        "tweet_id": tweet_id,
        "user_id": row.get("author_id") or row.get("author.id") or None,
        "screen_name": row.get("author.username") or None,
        "user_created_at": optional_time(row.get("author.created_at")),
        "user_followers": row.get("author.public_metrics.followers_count"),
        "user_following": row.get("author.public_metrics.following_count"),
        "user_tweets": row.get("author.public_metrics.tweet_count"),
        "created_at": parse_time(created),
        "text": html.unescape((json_string(raw_text) if encoded_text else None) or raw_text),
        "source": source,
        "source_url": None,
        "lang": row.get("lang") or None,
        "is_retweet": retweeted is not None,
        "retweeted_tweet_id": retweeted,
        "retweeted_screen_name": row.get("retweeted_username") or row.get("retweeted_user.username") or None,
        "quoted_tweet_id": first_ref(row, "quoted"),
        "in_reply_to_tweet_id": first_ref(row, "replied_to"),
        "hashtags": entity_values(row.get("entities.hashtags"), "tag"),
        "mentions": entity_values(row.get("entities.mentions"), "username"),
        "urls": entity_values(row.get("entities.urls"), "unwound_url"),
        "time_precision": "second",
        "source_format": "twarc-csv",
        "profile": (
            row.get("author.name") or None,
            row.get("author.description") or None,
            row.get("author.location") or None,
            row.get("author.verified") or None,
            row.get("author.protected") or None,
            default_image(row.get("author.profile_image_url")),
            row.get("author.public_metrics.listed_count") or None,
            row.get("author.public_metrics.like_count") or None,
        ),
    }


def from_io_csv(row: Row) -> dict[str, Any]:
    tweet_id = row.get("tweetid")
    created = row.get("tweet_time")
    if not tweet_id or not created:
        raise NotATweet("Information Operations row without tweetid/tweet_time")
    created_at, precision = parse_io_time(created)
    is_retweet = truthy(row.get("is_retweet"))
    text = html.unescape(row.get("tweet_text") or "")
    rt_screen = None
    if is_retweet and text.startswith("RT @"):
        rt_screen = text[4:].split(":", 1)[0].strip() or None
    return {
        "tweet_id": tweet_id,
        "user_id": row.get("userid") or None,
        "screen_name": row.get("user_screen_name") or None,
        "user_created_at": optional_time(row.get("account_creation_date")),
        "user_followers": row.get("follower_count"),
        "user_following": row.get("following_count"),
        "user_tweets": None,
        "created_at": created_at,
        "text": text,
        "source": row.get("tweet_client_name") or None,
        "source_url": None,
        "lang": row.get("tweet_language") or None,
        "is_retweet": is_retweet,
        "retweeted_tweet_id": row.get("retweet_tweetid") or None,
        "retweeted_screen_name": rt_screen,
        "quoted_tweet_id": row.get("quoted_tweet_tweetid") or None,
        "in_reply_to_tweet_id": row.get("in_reply_to_tweetid") or None,
        "hashtags": [str(h).lstrip("#") for h in parse_list(row.get("hashtags"))],
        "mentions": [str(m).lstrip("@") for m in parse_list(row.get("user_mentions"))],
        "urls": [str(u) for u in parse_list(row.get("urls"))],
        "time_precision": precision,
        "source_format": "io-csv",
        # releases give the display name, the description and the location the account reported
        "profile": (
            row.get("user_display_name") or None,
            row.get("user_profile_description") or None,
            row.get("user_reported_location") or None,
            None,
            None,
            None,
            None,
            None,
        ),
    }


def from_toolkit_csv(row: Row) -> dict[str, Any]:
    """coordination-network-toolkit's CSV.

    Columns: message_id,user_id,username,repost_id,reply_id,message,timestamp,urls.
    """
    tweet_id = row.get("message_id")
    stamp = row.get("timestamp")
    if not tweet_id or stamp in (None, ""):
        raise NotATweet("toolkit row without message_id/timestamp")
    repost = row.get("repost_id") or None
    return {
        "tweet_id": tweet_id,
        "user_id": row.get("user_id") or None,
        "screen_name": row.get("username") or None,
        "user_created_at": None,
        "user_followers": None,
        "created_at": epoch_time(float(stamp or "")),
        "text": row.get("message") or "",
        "source": None,
        "source_url": None,
        "lang": None,
        "is_retweet": repost is not None,
        "retweeted_tweet_id": repost,
        "retweeted_screen_name": None,
        "quoted_tweet_id": None,
        "in_reply_to_tweet_id": row.get("reply_id") or None,
        "hashtags": [],
        "mentions": [],
        "urls": [str(u) for u in parse_list(row.get("urls"))],
        "time_precision": "second",
        "source_format": "toolkit-csv",
    }


def csv_flavour(header: list[str]) -> tuple[str, Callable[..., dict[str, Any]]] | None:
    names = set(header)
    if {"tweetid", "tweet_text", "tweet_time"} <= names:
        return "io-csv", from_io_csv
    if {"id", "created_at", "text"} <= names and ({"author_id", "author.username"} & names):
        return "twarc-csv", from_twarc_csv
    if {"message_id", "user_id", "message", "timestamp"} <= names:
        return "toolkit-csv", from_toolkit_csv
    if {"tweet_id", "author_id", "created_at", "text"} <= names:
        return "academictwitter-csv", rtables.from_academic
    if {"status_id", "user_id", "screen_name", "created_at", "text"} <= names:
        return "rtweet-csv", rtables.from_rtweet
    if {"id", "text", "created", "screenName"} <= names:
        return "twitter-r", rtables.from_twitter_r
    if {"created_at", "id_str"} <= names and ({"full_text", "text"} & names):
        return "rtweet1-csv", rtables.from_rtweet1
    return None


def looks_like_csv_header(first_line: bytes) -> bool:
    text = first_line.decode("utf-8", "replace").lstrip("\ufeff").strip()
    try:
        header = next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return False
    return csv_flavour([h.strip() for h in header]) is not None


# A tweet's text holds a few line breaks (a long-form post, a few hundred); a record running over
# more lines than this is a quote left open (a stray `"`), which would swallow every row after it
# into one field. (The 1 MB field limit bounds the lines held; lines read again hold no quote
# that stays open, so no line is read more than twice.)
MAX_RECORD_LINES = 1000


class RecordTooLong(Exception):
    """A CSV record ran over MAX_RECORD_LINES lines."""


class RecordLines:
    """The CSV reader's lines, numbered as in the file: it remembers the lines of the record being
    read, and can hand them back to be read again, all but the first (after a quote left open,
    the rows it swallowed are read as rows again)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = enumerate(lines, start=1)
        self.pending: collections.deque[tuple[int, str]] = collections.deque()
        self.record: list[tuple[int, str]] = []
        self.last = 0

    def __iter__(self) -> RecordLines:
        return self

    def __next__(self) -> str:
        if len(self.record) >= MAX_RECORD_LINES:
            raise RecordTooLong(f"a record over {MAX_RECORD_LINES} lines")
        numbered = self.pending.popleft() if self.pending else next(self.lines)
        self.record.append(numbered)
        self.last = max(self.last, numbered[0])
        return numbered[1]

    def start(self) -> None:
        self.record = []

    def read_again(self) -> None:
        """The current record's lines but the first are read again, as records of their own."""
        self.pending.extendleft(reversed(self.record[1:]))


def _rows_with_lines(
    reader: Any, lines: RecordLines, width: int | None = None
) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line the record starts on, its fields or None, the CSV error if any). A record that
    breaks (a CSV error, too many lines, or, given `width`, another number of fields) over
    several lines is an error of its first line, and the lines after it are read again."""
    while True:
        lines.start()
        try:
            row: list[str] | None = next(reader)
            error = ""
        except StopIteration:
            return
        except (csv.Error, RecordTooLong) as exc:
            row, error = None, str(exc)
        start = lines.record[0][0] if lines.record else lines.last + 1
        if row is not None and width is not None and len(row) != width and len(lines.record) > 1:
            error = f"expected {width} fields, got {len(row)} over {len(lines.record)} lines"
            row = None
        if row is None and len(lines.record) > 1:
            lines.read_again()
            error += "; the lines after it are read again (a quote left open?)"
        yield start, row, error


class Decoding:
    """The text encoding a CSV is read in: UTF-8 until a line is not, then Windows-1252 (what
    Excel saves "CSV" as on Windows: the ellipsis is byte 0x85), bytes it leaves undefined read
    as Latin-1. The switch is recorded for the file's notices."""

    def __init__(self) -> None:
        self.fallback_from: int | None = None
        self.bom = False

    def decode(self, raw: bytes, number: int) -> str:
        if self.fallback_from is None:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_from = number
        return raw.decode("cp1252", "surrogateescape").translate(LATIN1_FOR_UNDEFINED)

    def notice(self) -> tuple[str, str] | None:
        if self.fallback_from is not None:
            return "encoding", f"windows-1252 from line {self.fallback_from} (not UTF-8)"
        if self.bom:
            return "encoding", "utf-8 with a byte-order mark"
        return None


# the five bytes Windows-1252 leaves undefined, read as Latin-1 does
LATIN1_FOR_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def decoded_lines(stream: BinaryIO, decoding: Decoding | None = None) -> Iterator[str]:
    """The stream's lines as text for the CSV reader, each bounded in length (an over-long line
    reaches the reader cut, where it fails as that row's reject instead of filling memory)."""
    decoding = decoding or Decoding()
    for number, raw in enumerate(read_lines(stream), start=1):
        line = decoding.decode(bytes(raw), number)
        if number == 1 and line.startswith("\ufeff"):
            decoding.bom = True
            line = line.removeprefix("\ufeff")
        if isinstance(raw, Oversized):
            line += f"\x00 (line cut at {MAX_LINE} bytes)\n"
        yield line


def duplicated(header: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({h for h in header if h in seen or seen.add(h)})  # type: ignore[func-returns-value]


def csv_items(stream: BinaryIO, columns: dict[str, str] | None = None) -> Iterator[Item]:
    """Rows of a CSV archive, each a tweet or a reject with the line it starts on; then the file's
    data-quality notices (its encoding, rounded ids, date order, time precision). `columns`, a
    column map (`rtables.parse_column_map`), reads a table whose header no reader knows."""
    decoding = Decoding()
    lines = RecordLines(decoded_lines(stream, decoding))
    reader = csv.reader(lines, strict=True)  # a quote closing mid-field is an error, not text
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except (csv.Error, RecordTooLong) as exc:
        yield reject(1, f"malformed CSV header: {exc}", "")
        header = []
    found = csv_flavour(header) if columns is None else mapped_flavour(header, columns)
    twice = duplicated([h for h in header if h])  # R's row-number column has no name
    rows = _rows_with_lines(reader, lines, len(header) if found and not twice else None)
    if found is None or twice:
        reason = (
            f"the header names {', '.join(twice)} twice: which one holds the value is ambiguous"
            if twice
            else "the column map names columns the header lacks: "
            + ", ".join(missing_columns(header, columns))
            if columns is not None
            else "unrecognised CSV header (not twarc-csv, IO, toolkit, rtweet, twitteR or academictwitteR; "
            "a column map reads any table: --columns id=...,user=...,time=...,text=...)"
        )
        # the first line too: a header nobody knows may be a row of data, never dropped unseen
        yield reject(1, reason, ",".join(header))
        for start, row, _ in rows:
            yield reject(start, reason, ",".join(row or []))
        return
    yield Item(1, "blank")  # the header line: accounted for (with blanks), not a tweet
    flavour, convert = found
    quality = rtables.Quality()
    head = list(itertools.islice(rows, 50 if flavour not in DATED else 5000))
    records = [dict(zip(header, r, strict=False)) for _, r, _ in head if r is not None]
    if flavour == "twarc-csv":
        convert = functools.partial(from_twarc_csv, encoded_text=texts_are_json_encoded(records))
    elif flavour in DATED:
        time_column = columns["time"] if columns is not None else rtables.TIME_COLUMNS[flavour]
        try:
            order = rtables.decide_order(r.get(time_column) for r in records)
        except rtables.AmbiguousDates:
            reason = (
                "dates such as 05-11-2016 read as well day-first as month-first and nothing in the "
                "file tells which (no day above 12): refused rather than guessed"
            )
            log.warning("%s", reason)
            for start, row, _ in itertools.chain(head, rows):
                yield reject(start, reason, ",".join(row or []))
            return
        if order:
            quality.notes.append(("date_order", order))
        convert = functools.partial(convert, dates=rtables.Dates(order), quality=quality)
    for start, row, error in itertools.chain(head, rows):
        if row is None:
            yield reject(start, f"malformed CSV: {error}", "")
            continue
        if not any(cell.strip() for cell in row):
            yield Item(start, "blank")
            continue
        if len(row) != len(header):
            yield reject(start, f"expected {len(header)} fields, got {len(row)}", ",".join(row))
            continue
        try:
            yield Item(start, "tweet", record=convert(dict(zip(header, row, strict=True))))
        except (NotATweet, ValueError, TypeError, KeyError, OverflowError) as exc:
            yield reject(start, f"{type(exc).__name__}: {exc}", ",".join(row))
    encoding = decoding.notice()
    for kind, detail in [*([encoding] if encoding else []), *quality.notices()]:
        yield Item(0, "quality", record={"kind": kind, "detail": detail})


# Readers that decide the file's date order and note its data quality
DATED = frozenset({*rtables.TIME_COLUMNS, "mapped-csv"})


def mapped_flavour(
    header: list[str], columns: dict[str, str]
) -> tuple[str, Callable[..., dict[str, Any]]] | None:
    if missing_columns(header, columns):
        return None
    return "mapped-csv", functools.partial(rtables.from_mapped, columns=columns)


def missing_columns(header: list[str], columns: dict[str, str] | None) -> list[str]:
    return sorted(set((columns or {}).values()) - set(header))
