"""CSV archives: twarc-csv, Information Operations disclosures, coordination-network-toolkit.

The flavour is recognised from the header. Each data row becomes a tweet or a reject naming the
(physical) line it starts on; quoted fields may span lines.
"""

from __future__ import annotations

import ast
import csv
import functools
import html
import io
import itertools
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson

from chorus.ingest.formats import Item, NotATweet, app_name, parse_iso_time, reject

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
Row = dict[str, str]


def parse_list(value: str | None) -> list[Any]:
    """A list column as archives write it: JSON (`["a"]`), Python repr (`['a', 'b']`, `[a, b]`)
    or space separated."""
    if value is None:
        return []
    text = value.strip()
    if not text or text in ("[]", "None", "nan"):
        return []
    if text.startswith("["):
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            try:
                parsed = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                parsed = [part.strip(" '\"") for part in text[1:-1].split(",")]
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


def parse_io_time(value: str) -> tuple[datetime, str]:
    """IO `tweet_time` (`2011-10-12 21:03`, minute resolution) or a full timestamp."""
    text = value.strip()
    for fmt, precision in (("%Y-%m-%d %H:%M", "minute"), ("%Y-%m-%d %H:%M:%S", "second")):
        try:
            return datetime.strptime(text, fmt), precision
        except ValueError:
            continue
    return parse_iso_time(text), "second"


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
    user_created = row.get("author.created_at")
    followers = row.get("author.public_metrics.followers_count")
    source, _ = app_name(row.get("source"))
    return {
        "tweet_id": tweet_id,
        "user_id": row.get("author_id") or row.get("author.id") or None,
        "screen_name": row.get("author.username") or None,
        "user_created_at": parse_iso_time(user_created) if user_created else None,
        "user_followers": int(float(followers)) if followers else None,
        "created_at": parse_iso_time(created),
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
    }


def from_io_csv(row: Row) -> dict[str, Any]:
    tweet_id = row.get("tweetid")
    created = row.get("tweet_time")
    if not tweet_id or not created:
        raise NotATweet("Information Operations row without tweetid/tweet_time")
    created_at, precision = parse_io_time(created)
    account_created = row.get("account_creation_date")
    followers = row.get("follower_count")
    is_retweet = truthy(row.get("is_retweet"))
    text = html.unescape(row.get("tweet_text") or "")
    rt_screen = None
    if is_retweet and text.startswith("RT @"):
        rt_screen = text[4:].split(":", 1)[0].strip() or None
    return {
        "tweet_id": tweet_id,
        "user_id": row.get("userid") or None,
        "screen_name": row.get("user_screen_name") or None,
        "user_created_at": parse_io_time(account_created)[0] if account_created else None,
        "user_followers": int(float(followers)) if followers else None,
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
        "created_at": datetime.fromtimestamp(float(stamp), UTC).replace(tzinfo=None),
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


def csv_flavour(header: list[str]) -> tuple[str, Callable[[Row], dict[str, Any]]] | None:
    names = set(header)
    if {"tweetid", "tweet_text", "tweet_time"} <= names:
        return "io-csv", from_io_csv
    if {"id", "created_at", "text"} <= names and ({"author_id", "author.username"} & names):
        return "twarc-csv", from_twarc_csv
    if {"message_id", "user_id", "message", "timestamp"} <= names:
        return "toolkit-csv", from_toolkit_csv
    return None


def looks_like_csv_header(first_line: bytes) -> bool:
    text = first_line.decode("utf-8", "replace").lstrip("\ufeff").strip()
    try:
        header = next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return False
    return csv_flavour([h.strip() for h in header]) is not None


def _rows_with_lines(reader: Any, previous_end: int) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line the record starts on, its fields or None, the CSV error if any)."""
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            previous_end = reader.line_num
            yield start, None, str(exc)
            continue
        previous_end = reader.line_num
        yield start, row, ""


def csv_items(stream: BinaryIO) -> Iterator[Item]:
    """Rows of a CSV archive, each a tweet or a reject with the line it starts on."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")  # type: ignore
    reader = csv.reader(text)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    found = csv_flavour(header)
    yield Item(1, "blank")  # the header line: accounted for (with blanks), not a tweet
    previous_end = reader.line_num
    rows = _rows_with_lines(reader, previous_end)
    if found is None:
        for start, row, _ in rows:
            yield reject(start, "unrecognised CSV header (not twarc-csv, IO or toolkit)", ",".join(row or []))
        return
    flavour, convert = found
    head = list(itertools.islice(rows, 50))
    if flavour == "twarc-csv":
        encoded = texts_are_json_encoded(
            [dict(zip(header, r, strict=False)) for _, r, _ in head if r is not None]
        )
        convert = functools.partial(from_twarc_csv, encoded_text=encoded)
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
