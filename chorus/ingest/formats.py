"""Recognise archive formats from their content and turn each line into a tweet, a notice or a reject.

Every reader yields `Item`s with the line number they came from, so that each input line is
accounted for. Tweets come out as flat records of the lake schema (see `lake.py`).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
NOTICE_KEYS = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning")
ANCHOR = re.compile(r"""<a\s[^>]*?href=["']([^"']*)["'][^>]*>(.*?)</a>""", re.S | re.I)
MAX_RAW = 4096
MAX_LINE = 64 * 1024 * 1024


class Oversized(bytes):
    """The first bytes of a line longer than MAX_LINE (the rest was skipped, never held)."""


def read_lines(stream: Any) -> Iterator[bytes]:
    """Lines of a stream, never holding more than MAX_LINE bytes of one line in memory."""
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return
        if len(line) == MAX_LINE and not line.endswith(b"\n"):
            head = line[:MAX_RAW]
            while True:
                more = stream.readline(MAX_LINE)
                if not more or more.endswith(b"\n"):
                    break
            yield Oversized(head)
        else:
            yield line


@dataclass(slots=True)
class Item:
    """What one input line (or array element) turned out to be."""

    line: int
    kind: str  # "tweet" | "notice" | "reject" | "blank"
    record: dict[str, Any] | None = None
    reason: str | None = None
    raw: str | None = None


class NotATweet(ValueError):
    """The object parsed but is not a tweet of any known format."""


def reject(line: int, reason: str, raw: bytes | str) -> Item:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return Item(line, "reject", reason=reason, raw=text[:MAX_RAW])


@functools.lru_cache(maxsize=1 << 16)
def parse_v1_time(value: str) -> datetime:
    """`Wed Oct 12 21:03:15 +0000 2011` (v1.1) as a naive UTC datetime, fast."""
    parts = value.split()
    if len(parts) != 6 or parts[4] != "+0000":
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").replace(tzinfo=None)
    hh, mm, ss = parts[3].split(":")
    return datetime(int(parts[5]), MONTHS[parts[1]], int(parts[2]), int(hh), int(mm), int(ss))


def parse_iso_time(value: str) -> datetime:
    """`2021-05-18T19:24:56.000Z` (v2) as a naive UTC datetime."""
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


@functools.lru_cache(maxsize=1 << 12)
def app_name(source: str | None) -> tuple[str | None, str | None]:
    """The posting app's name and URL from v1.1's HTML anchor (or a plain v2 name)."""
    if not source:
        return None, None
    match = ANCHOR.search(source)
    if match:
        return html.unescape(match.group(2)).strip(), match.group(1)
    return html.unescape(source).strip(), None


def _v1_text(obj: dict[str, Any]) -> str:
    ext = obj.get("extended_tweet")
    if isinstance(ext, dict) and ext.get("full_text"):
        return ext["full_text"]
    return obj.get("full_text") or obj.get("text") or ""


def _v1_entities(obj: dict[str, Any]) -> dict[str, Any]:
    ext = obj.get("extended_tweet")
    if isinstance(ext, dict) and ext.get("entities"):
        return ext["entities"]
    return obj.get("entities") or {}


def _id_of(obj: dict[str, Any], key: str = "id") -> str | None:
    """`<key>_str`, else `<key>` as a string (v1.1 gives both; some tools keep only one)."""
    value = obj.get(key + "_str")
    if value:
        return str(value)
    value = obj.get(key)
    return None if value is None else str(value)


def _values(items: Any, *keys: str) -> list[str]:
    """The first present key of each entity dict (`[{"text": "x"}]` -> `["x"]`)."""
    if not items:
        return []
    out = []
    for item in items:
        for key in keys:
            value = item.get(key)
            if value:
                out.append(value)
                break
    return out


def from_v1(obj: dict[str, Any]) -> dict[str, Any]:
    """A v1.1 status as a lake record; raises NotATweet if it lacks what a tweet needs."""
    user = obj.get("user") or {}
    tweet_id = _id_of(obj)
    created_at = obj.get("created_at")
    if not tweet_id or not created_at or not isinstance(user, dict):
        raise NotATweet("v1.1 object without id_str/created_at/user")
    rt = obj.get("retweeted_status")
    if not isinstance(rt, dict):
        rt = None
    text = _v1_text(obj)
    mentions: list[str] = []
    rt_screen = rt_id = None
    if rt is not None:
        rt_screen = (rt.get("user") or {}).get("screen_name")
        rt_id = _id_of(rt)
        text = f"RT @{rt_screen}: {_v1_text(rt)}"
        if rt_screen:
            mentions.append(rt_screen)
    entities = _v1_entities(rt if rt is not None else obj)
    mentions.extend(_values(entities.get("user_mentions"), "screen_name"))
    source, source_url = app_name(obj.get("source"))
    user_created = user.get("created_at")
    quoted = obj.get("quoted_status_id_str") or (obj.get("quoted_status") or {}).get("id_str")
    return {
        "tweet_id": tweet_id,
        "user_id": _id_of(user),
        "screen_name": user.get("screen_name"),
        "user_created_at": parse_v1_time(user_created) if user_created else None,
        "user_followers": user.get("followers_count"),
        "created_at": parse_v1_time(created_at),
        "text": html.unescape(text),
        "source": source,
        "source_url": source_url,
        "lang": obj.get("lang"),
        "is_retweet": rt is not None,
        "retweeted_tweet_id": rt_id,
        "retweeted_screen_name": rt_screen,
        "quoted_tweet_id": quoted,
        "in_reply_to_tweet_id": obj.get("in_reply_to_status_id_str"),
        "hashtags": _values(entities.get("hashtags"), "text"),
        "mentions": mentions,
        "urls": _values(entities.get("urls"), "expanded_url", "url"),
        "time_precision": "second",
    }


def from_v2(
    tweet: dict[str, Any], users: dict[str, dict[str, Any]], tweets: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A v2 tweet (page `data[]` item or flattened line) as a lake record."""
    if not tweet.get("id") or not tweet.get("created_at"):
        raise NotATweet("v2 object without id/created_at")
    author = tweet.get("author") if isinstance(tweet.get("author"), dict) else None
    author = author or users.get(str(tweet.get("author_id")), {})
    refs = {
        r.get("type"): str(r.get("id")) for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)
    }
    note = tweet.get("note_tweet") or {}
    text = note.get("text") or tweet.get("text") or ""
    entities = note.get("entities") or tweet.get("entities") or {}
    rt_id = refs.get("retweeted")
    rt_screen = None
    if rt_id:
        original = tweets.get(rt_id) or {}
        rt_author = users.get(str(original.get("author_id")), {})
        rt_screen = rt_author.get("username")
        if original.get("text"):
            orig_text = (original.get("note_tweet") or {}).get("text") or original["text"]
            text = f"RT @{rt_screen or ''}: {orig_text}"
    user_created = author.get("created_at")
    metrics = author.get("public_metrics") or {}
    source = tweet.get("source")
    return {
        "tweet_id": str(tweet["id"]),
        "user_id": str(tweet.get("author_id") or author.get("id") or "") or None,
        "screen_name": author.get("username"),
        "user_created_at": parse_iso_time(user_created) if user_created else None,
        "user_followers": metrics.get("followers_count"),
        "created_at": parse_iso_time(tweet["created_at"]),
        "text": html.unescape(text),
        "source": html.unescape(source) if source else None,
        "source_url": None,
        "lang": tweet.get("lang"),
        "is_retweet": rt_id is not None,
        "retweeted_tweet_id": rt_id,
        "retweeted_screen_name": rt_screen,
        "quoted_tweet_id": refs.get("quoted"),
        "in_reply_to_tweet_id": refs.get("replied_to"),
        "hashtags": [h.get("tag") for h in entities.get("hashtags") or [] if h.get("tag")],
        "mentions": [m.get("username") for m in entities.get("mentions") or [] if m.get("username")],
        "urls": [
            u.get("unwound_url") or u.get("expanded_url") or u.get("url")
            for u in entities.get("urls") or []
            if u.get("unwound_url") or u.get("expanded_url") or u.get("url")
        ],
        "time_precision": "second",
    }


def notice(obj: dict[str, Any]) -> dict[str, Any] | None:
    """A stream notice (`delete`, `limit`, ...) as {kind, tweet_id, user_id}, else None."""
    if len(obj) > 3 or "id_str" in obj or "data" in obj:
        return None
    for key in NOTICE_KEYS:
        if key in obj:
            body = obj[key] if isinstance(obj[key], dict) else {}
            status = body.get("status") if isinstance(body.get("status"), dict) else body
            tweet_id = status.get("id_str") or (str(status["id"]) if status.get("id") else None)
            user_id = status.get("user_id_str") or (str(status["user_id"]) if status.get("user_id") else None)
            return {
                "kind": key,
                "tweet_id": tweet_id if key in ("delete", "status_withheld") else None,
                "user_id": user_id,
            }
    return None


def with_format(record: dict[str, Any], name: str) -> dict[str, Any]:
    record["source_format"] = name
    return record


def json_object_items(obj: Any, line: int, raw: bytes) -> Iterator[Item]:
    """Dispatch one parsed JSON value: v1.1 status, notice, v2 page or v2 flattened tweet."""
    if not isinstance(obj, dict):
        yield reject(line, f"not a JSON object ({type(obj).__name__})", raw)
        return
    found = notice(obj)
    if found is not None:
        yield Item(line, "notice", record=found)
        return
    try:
        if "data" in obj and isinstance(obj["data"], list | dict):
            includes = obj.get("includes") or {}
            users = {str(u.get("id")): u for u in includes.get("users") or []}
            refs = {str(t.get("id")): t for t in includes.get("tweets") or []}
            data = obj["data"] if isinstance(obj["data"], list) else [obj["data"]]
            for tweet in data:
                yield Item(line, "tweet", record=with_format(from_v2(tweet, users, refs), "twitter-v2-page"))
        elif "id_str" in obj or "user" in obj:
            yield Item(line, "tweet", record=with_format(from_v1(obj), "twitter-v1.1"))
        elif "author_id" in obj or "author" in obj:
            yield Item(line, "tweet", record=with_format(from_v2(obj, {}, {}), "twitter-v2-flat"))
        else:
            raise NotATweet("JSON object of no known tweet format")
    except (NotATweet, KeyError, ValueError, TypeError, AttributeError) as exc:
        yield reject(line, f"{type(exc).__name__}: {exc}", raw)


def jsonl_items(lines: Iterator[bytes]) -> Iterator[Item]:
    """One JSON value per line."""
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, Oversized):
            yield reject(number, f"line longer than {MAX_LINE} bytes", raw)
            continue
        stripped = raw.strip()
        if not stripped:
            yield Item(number, "blank")
            continue
        try:
            obj = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            yield reject(number, f"invalid JSON: {exc}", stripped)
            continue
        yield from json_object_items(obj, number, stripped)
