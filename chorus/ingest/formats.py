"""Recognise archive formats from their content and turn each line into a tweet, a notice or a reject.

Every reader yields `Item`s with the line number they came from, so that each input line is
accounted for. Tweets come out as flat records of the lake schema (see `lake.py`).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from chorus.ingest.typed import FIELDS, NotATweet, typed_row

MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
NOTICE_KEYS = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning")
MAX_RAW = 4096
MAX_LINE = 16 * 1024 * 1024


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
    kind: str  # "tweet" | "notice" | "reject" | "blank" | "skip" (recognised, not a tweet)
    record: dict[str, Any] | None = None  # a tweet's fields, to be typed (typed.typed_tweet)
    reason: str | None = None
    raw: str | None = None
    row: tuple[Any, ...] | None = None  # a tweet already typed as a lake row (the v1.1 fast path)


def raw_json(value: Any) -> bytes:
    """A parsed value written back as JSON for a reject's raw line (any value: numbers beyond 64
    bits, decimals), cut to MAX_RAW."""
    try:
        return orjson.dumps(value, default=str)[:MAX_RAW]
    except TypeError:
        return json.dumps(value, default=str)[:MAX_RAW].encode()


def reject(line: int, reason: str, raw: bytes | str) -> Item:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return Item(line, "reject", reason=reason, raw=text[:MAX_RAW])


@functools.lru_cache(maxsize=1 << 16)
def parse_v1_time(value: str) -> datetime:
    """`Wed Oct 12 21:03:15 +0000 2011` (v1.1) as a naive UTC datetime, fast; other forms through
    `parse_time`."""
    parts = value.split()
    if len(parts) != 6 or parts[4] != "+0000" or parts[1] not in MONTHS:
        return parse_time(value)
    try:
        hh, mm, ss = parts[3].split(":")
        return datetime(int(parts[5]), MONTHS[parts[1]], int(parts[2]), int(hh), int(mm), int(ss))
    except ValueError:
        return parse_time(value)


V1_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def parse_time(value: object) -> datetime:
    """Any time the formats write, as a naive UTC datetime: v1.1 (`Wed Oct 12 21:03:15 +0200 2011`,
    converted to UTC), ISO-8601 (`2011-10-12T21:03:15.000Z`), Grailbird (`2011-10-12 21:03:15
    +0000`), or epoch seconds or milliseconds. Raises ValueError for anything else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a time: {str(value)[:40]!r}")
    if isinstance(value, int | float):
        return epoch_time(value)
    text = value.strip()[:64]
    if text.isdigit():
        return epoch_time(int(text))
    if text[10:11] == "T":  # ISO 8601 (v2, twarc-csv): no strptime format below has a T there
        return parse_iso_time(text)
    for fmt in V1_FORMATS:
        try:
            return as_utc(datetime.strptime(text, fmt))
        except ValueError:
            continue
    return parse_iso_time(text)


def epoch_time(value: float) -> datetime:
    """Epoch seconds (or milliseconds, when too large to be seconds) as a naive UTC datetime."""
    seconds = value / 1000 if abs(value) >= 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"epoch time out of range: {value}") from exc


def as_utc(stamp: datetime) -> datetime:
    """A naive datetime in UTC (an aware one is converted first)."""
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def parse_iso_time(value: str) -> datetime:
    """`2021-05-18T19:24:56.000Z` (v2) as a naive UTC datetime."""
    if not isinstance(value, str):
        raise ValueError(f"not a time: {str(value)[:40]!r}")
    return as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))


MAX_SOURCE = 2048


@functools.lru_cache(maxsize=1 << 12)
def app_name(source: str | None) -> tuple[str | None, str | None]:
    """The posting app's name and URL from v1.1's HTML anchor (or a plain v2 name).

    Read by position, not by a backtracking pattern, so a hostile value costs linear time.
    """
    if not source or not isinstance(source, str):
        return None, None
    source = source[:MAX_SOURCE]
    start = source.find("<a")
    close = source.find(">", start) if start >= 0 else -1
    end = source.find("</a>", close) if close >= 0 else -1
    if end < 0:
        return html.unescape(source).strip() or None, None
    href = HREF.search(source, start, close)
    url = html.unescape(href.group(2)) if href else None
    return html.unescape(source[close + 1 : end]).strip() or None, url


HREF = re.compile(r"""href=(["'])([^"'<>]*)\1""", re.I)


def _dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one (a wrongly typed field reads as absent)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _v1_text(obj: dict[str, Any]) -> Any:
    ext = _dict(obj.get("extended_tweet"))
    if ext.get("full_text"):
        return ext["full_text"]
    return obj.get("full_text") or obj.get("text") or ""


def _v1_entities(obj: dict[str, Any]) -> dict[str, Any]:
    ext = _dict(obj.get("extended_tweet"))
    if isinstance(ext.get("entities"), dict) and ext["entities"]:
        return ext["entities"]
    return _dict(obj.get("entities"))


def _id_of(obj: dict[str, Any], key: str = "id") -> Any:
    """`<key>_str`, else `<key>` (v1.1 gives both; some tools keep only one). Typed later."""
    value = obj.get(key + "_str")
    return value if value not in (None, "") else obj.get(key)


def _values(items: Any, *keys: str) -> list[Any]:
    """The first present key of each entity dict (`[{"text": "x"}]` -> `["x"]`)."""
    if not items or type(items) is not list:
        return []
    if len(keys) == 1:
        key = keys[0]
        return [value for item in items if type(item) is dict and (value := item.get(key))]
    out = []
    for item in items:
        if type(item) is dict:
            for key in keys:
                value = item.get(key)
                if value:
                    out.append(value)
                    break
    return out


def _text(value: Any) -> Any:
    """HTML entities unescaped in a string; any other value is left for the typing step to judge."""
    return html.unescape(value) if isinstance(value, str) else value


def _time_or_none(value: Any) -> datetime | None:
    """An account's creation time, or None: a bad one costs the field, not the tweet."""
    if not value:
        return None
    try:
        return parse_v1_time(value) if isinstance(value, str) else parse_time(value)
    except (ValueError, KeyError):
        return None


def v1_fields(obj: dict[str, Any]) -> tuple[Any, ...]:
    """A v1.1 status's values in `typed.FIELDS` order, as the archive gives them (typed later);
    raises NotATweet if it lacks what a tweet needs."""
    get = obj.get
    user = get("user")
    tweet_id = _id_of(obj)
    created_at = get("created_at")
    if not tweet_id or not created_at or type(user) is not dict:
        raise NotATweet("v1.1 object without id_str/created_at/user")
    rt = get("retweeted_status")
    if type(rt) is not dict or not _id_of(rt):
        rt = None  # no post named: not a retweet the archive can tell of
    text = _v1_text(obj)
    mentions: list[Any] = []
    rt_screen = rt_id = None
    if rt is not None:
        rt_screen = _dict(rt.get("user")).get("screen_name")
        rt_id = _id_of(rt)
        rt_text = _v1_text(rt)
        if isinstance(rt_text, str) and rt_screen is not None:
            text = f"RT @{rt_screen}: {rt_text}"
        elif not isinstance(text, str):
            text = rt_text
        if rt_screen:
            mentions.append(rt_screen)
    entities = _v1_entities(rt if rt is not None else obj)
    user_mentions = entities.get("user_mentions")
    if user_mentions:
        mentions.extend(_values(user_mentions, "screen_name"))
    source = get("source")
    source, source_url = app_name(source if type(source) is str else None)
    quoted = get("quoted_status_id_str") or _dict(get("quoted_status")).get("id_str")
    return (
        tweet_id,
        _id_of(user),
        user.get("screen_name"),
        _time_or_none(user_created) if (user_created := user.get("created_at")) else None,
        user.get("followers_count"),
        user.get("friends_count"),
        user.get("statuses_count"),
        parse_v1_time(created_at) if type(created_at) is str else parse_time(created_at),
        html.unescape(text) if type(text) is str and "&" in text else text,
        source,
        source_url,
        get("lang"),
        rt is not None,
        rt_id,
        rt_screen,
        quoted,
        get("in_reply_to_status_id_str"),
        _values(entities.get("hashtags"), "text"),
        mentions,
        _values(entities.get("urls"), "expanded_url", "url"),
        "second",
        "twitter-v1.1",
        (
            user.get("name"),
            user.get("description"),
            user.get("location"),
            user.get("verified"),
            user.get("protected"),
            user.get("default_profile_image"),
            user.get("listed_count"),
            user.get("favourites_count"),
        ),
    )


def from_v1(obj: dict[str, Any]) -> dict[str, Any]:
    """A v1.1 status as a lake record (a dict of `typed.FIELDS`, not yet typed)."""
    return dict(zip(FIELDS, v1_fields(obj), strict=True))


def from_v2(
    tweet: dict[str, Any], users: dict[str, dict[str, Any]], tweets: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A v2 tweet (page `data[]` item or flattened line) as a lake record."""
    if not isinstance(tweet, dict) or not tweet.get("id") or not tweet.get("created_at"):
        raise NotATweet("v2 object without id/created_at")
    author = _dict(tweet.get("author")) or _dict(users.get(str(tweet.get("author_id"))))
    refs = {r.get("type"): r.get("id") for r in _list(tweet.get("referenced_tweets")) if isinstance(r, dict)}
    note = _dict(tweet.get("note_tweet"))
    text = note.get("text") or tweet.get("text") or ""
    entities = _dict(note.get("entities")) or _dict(tweet.get("entities"))
    rt_id = refs.get("retweeted")
    rt_screen = None
    if rt_id:
        original = _dict(tweets.get(str(rt_id)))
        rt_screen = _dict(users.get(str(original.get("author_id")))).get("username")
        orig_text = _dict(original.get("note_tweet")).get("text") or original.get("text")
        if isinstance(orig_text, str) and orig_text:
            text = f"RT @{rt_screen or ''}: {orig_text}"
    metrics = _dict(author.get("public_metrics"))
    return {
        "tweet_id": tweet["id"],
        "user_id": tweet.get("author_id") or author.get("id"),
        "screen_name": author.get("username"),
        "user_created_at": _time_or_none(author.get("created_at")),
        "user_followers": metrics.get("followers_count"),
        "user_following": metrics.get("following_count"),
        "user_tweets": metrics.get("tweet_count"),
        "created_at": parse_time(tweet["created_at"]),
        "text": _text(text),
        "source": _text(tweet.get("source")),
        "source_url": None,
        "lang": tweet.get("lang"),
        "is_retweet": rt_id is not None,
        "retweeted_tweet_id": rt_id,
        "retweeted_screen_name": rt_screen,
        "quoted_tweet_id": refs.get("quoted"),
        "in_reply_to_tweet_id": refs.get("replied_to"),
        "hashtags": _values(entities.get("hashtags"), "tag"),
        "mentions": _values(entities.get("mentions"), "username"),
        "urls": _values(entities.get("urls"), "unwound_url", "expanded_url", "url"),
        "time_precision": "second",
        "profile": (
            author.get("name"),
            author.get("description"),
            author.get("location"),
            author.get("verified"),
            author.get("protected"),
            default_image(author.get("profile_image_url")),
            metrics.get("listed_count"),
            metrics.get("like_count"),
        )
        if author
        else None,
    }


def default_image(url: Any) -> bool | None:
    """Whether a v2 profile image URL is Twitter's default egg or silhouette (None without a URL)."""
    if not isinstance(url, str) or not url:
        return None
    return "default_profile_images" in url


def notice(obj: dict[str, Any]) -> dict[str, Any] | None:
    """A stream notice (`delete`, `limit`, ...) or a v2 compliance event as {kind, tweet_id,
    user_id}, else None. Ids are typed later (`typed_notice`)."""
    if len(obj) > 3 or "id_str" in obj or "data" in obj:
        return compliance_event(obj)
    for key in NOTICE_KEYS:
        if key in obj:
            body = _dict(obj[key])
            status = _dict(body.get("status")) or body
            tweet_id = _id_of(status)
            return {
                "kind": key,
                "tweet_id": tweet_id if key in ("delete", "status_withheld") else None,
                "user_id": _id_of(status, "user_id"),
            }
    return compliance_event(obj)


COMPLIANCE_ACTIONS = ("delete", "protect", "unprotect", "suspend", "unsuspend", "scrub_geo", "deactivate")


def compliance_event(obj: dict[str, Any]) -> dict[str, Any] | None:
    """A v2 compliance job's line (`{"id", "action", "created_at", "reason"}`): counted as a
    notice of kind `compliance`, not applied (a tweets job and a users job look the same)."""
    if "action" in obj and "id" in obj and "text" not in obj and obj.get("action") in COMPLIANCE_ACTIONS:
        return {"kind": "compliance", "tweet_id": obj.get("id"), "user_id": None}
    return None


def with_format(record: dict[str, Any], name: str) -> dict[str, Any]:
    record["source_format"] = name
    return record


READ_ERRORS = (NotATweet, KeyError, ValueError, TypeError, AttributeError, OverflowError)


def page_kind(data: list[Any]) -> str | None:
    """What a v2 page holds when it is not tweets: users, lists or tweet counts (else None)."""
    first = next((d for d in data if isinstance(d, dict)), None)
    if first is None or "text" in first:
        return None
    if "tweet_count" in first and "start" in first:
        return "a page of tweet counts"
    if "username" in first:
        return "a page of users"
    if "member_count" in first or "owner_id" in first:
        return "a page of lists"
    return None


def v2_page_items(obj: dict[str, Any], line: int, raw: bytes) -> Iterator[Item]:
    """The tweets of a v2 response page, each one on its own: a bad tweet is a reject and the
    page's other tweets are kept."""
    data = obj["data"] if isinstance(obj["data"], list) else [obj["data"]]
    skip = page_kind(data)
    if skip is not None:
        yield Item(line, "skip", reason=f"{skip}, not tweets")
        return
    includes = _dict(obj.get("includes"))
    users = {str(u.get("id")): u for u in _list(includes.get("users")) if isinstance(u, dict)}
    refs = {str(t.get("id")): t for t in _list(includes.get("tweets")) if isinstance(t, dict)}
    for index, tweet in enumerate(data):
        try:
            yield Item(line, "tweet", record=with_format(from_v2(tweet, users, refs), "twitter-v2-page"))
        except READ_ERRORS as exc:
            yield reject(line, f"data[{index}]: {type(exc).__name__}: {exc}", raw)


# The users and tweets a v2 tweet's author and references are looked up in, for tweets that come
# without them (academictwitteR's data_*.json, its users_*.json beside it)
Includes = tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]


def includes_of(obj: Any) -> Includes:
    """The users and tweets of a v2 `includes` object (academictwitteR's users_*.json), by id."""
    obj = _dict(obj)
    users = {str(u.get("id")): u for u in _list(obj.get("users")) if isinstance(u, dict)}
    tweets = {str(t.get("id")): t for t in _list(obj.get("tweets")) if isinstance(t, dict)}
    return users, tweets


def json_object_items(obj: Any, line: int, raw: bytes, includes: Includes | None = None) -> Iterator[Item]:
    """Dispatch one parsed JSON value: v1.1 status, notice, v2 page or v2 flattened tweet (its
    author looked up in `includes` when it comes without one)."""
    if type(obj) is not dict:
        yield reject(line, f"not a JSON object ({type(obj).__name__})", raw)
        return
    if "id_str" in obj and "user" in obj and "data" not in obj:  # a v1.1 status: the common case
        try:
            yield Item(line, "tweet", None, None, None, typed_row(*v1_fields(obj)))
        except READ_ERRORS as exc:
            yield reject(line, f"{type(exc).__name__}: {exc}", raw)
        return
    found = notice(obj)
    if found is not None:
        yield Item(line, "notice", record=found)
        return
    if "data" in obj and isinstance(obj["data"], list | dict):
        yield from v2_page_items(obj, line, raw)
        return
    try:
        if "id_str" in obj or "user" in obj:
            yield Item(line, "tweet", row=typed_row(*v1_fields(obj)))
        elif ("author_id" in obj or "author" in obj) and includes is not None:
            yield Item(line, "tweet", record=with_format(from_v2(obj, *includes), "academictwitter-json"))
        elif "author_id" in obj or "author" in obj:
            yield Item(line, "tweet", record=with_format(from_v2(obj, {}, {}), "twitter-v2-flat"))
        elif "username" in obj and "text" not in obj:
            yield Item(line, "skip", reason="a user, not a tweet")
        else:
            raise NotATweet("JSON object of no known tweet format")
    except READ_ERRORS as exc:
        yield reject(line, f"{type(exc).__name__}: {exc}", raw)


BOM = b"\xef\xbb\xbf"


def split_bare_cr(raw: bytes) -> list[bytes]:
    """Lines ended by a lone CR (old Mac files) as separate lines; others as they are."""
    if b"\r" not in raw or raw.count(b"\r") == raw.count(b"\r\n"):
        return [raw]
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").splitlines()


def jsonl_items(lines: Iterable[bytes], first: int = 1, includes: Includes | None = None) -> Iterator[Item]:
    """One JSON value per line, numbered from `first` (a UTF-8 byte-order mark before the first
    one is dropped; lines ended by a lone CR are split)."""
    number = first - 1
    for raw in lines:
        number += 1
        if b"\r" in raw and not isinstance(raw, Oversized):
            pieces = split_bare_cr(raw)
            if len(pieces) != 1:  # lone CRs: read the pieces as lines of their own
                yield from jsonl_items(pieces or [b""], number, includes)
                number += max(0, len(pieces) - 1)
                continue
        if isinstance(raw, Oversized):
            yield reject(number, f"line longer than {MAX_LINE} bytes", raw)
            continue
        stripped = raw.strip()
        if number == 1:
            stripped = stripped.removeprefix(BOM).strip()
        if not stripped:
            yield Item(number, "blank")
            continue
        try:
            obj = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            yield reject(number, f"invalid JSON: {exc}", stripped)
            continue
        if type(obj) is list:  # a one-line array of tweets
            for value in obj:
                yield from json_object_items(value, number, raw_json(value), includes)
            if not obj:
                yield reject(number, "an empty JSON array, not a tweet", stripped)
        else:
            yield from json_object_items(obj, number, stripped, includes)
