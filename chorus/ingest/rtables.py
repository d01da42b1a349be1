"""Tables R researchers hold - rtweet (0.7 `write_as_csv` and the 1.x columns), twitteR's
`twListToDF`, academictwitteR's `bind_tweets` - and any other table through a column map; and
what a spreadsheet round-trip does to such files, read as data quality rather than as rejects:

- dates rewritten day-first or month-first (`23-11-2016 18:40`), the order decided per file from
  its own values (a day above 12 tells), a file that cannot tell refused row by row with the
  reason; times without seconds kept at minute precision;
- ids turned into `8.01496E+17` never used as identities (`typed.as_id` marks them and each row
  keeps an id of its own); how many, per file;
- the text encoding (Windows-1252 for a file saved by Excel) detected while reading.

Every such decision is a `quality` item the ingest loop stores as a notice of the file (line 0),
so it is visible in `audit.stream_notices`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chorus.ingest.formats import NotATweet, app_name, parse_time
from chorus.ingest.typed import ROUNDED, looks_rounded

Row = dict[str, str]
NA = frozenset({"", "NA", "N/A", "NaN", "NULL", "null", "None"})

# day and month in either order, a four-digit year, an optional time (R and spreadsheets' forms)
CLOCK = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + CLOCK + r"\s*(?:UTC|Z)?\s*")
ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})" + CLOCK + r"\s*(?:UTC|Z|[+-]00:?00)?\s*")


class AmbiguousDates(Exception):
    """The file's dates read as well day-first as month-first."""


def value(row: Row, key: str) -> str | None:
    """A cell, or None for R's and spreadsheets' ways of saying nothing (`NA`, empty)."""
    cell = row.get(key)
    if cell is None:
        return None
    cell = cell.strip()
    return None if cell in NA else cell


def r_id(cell: str | None) -> str | None:
    """An id as rtweet writes it for spreadsheets (`x1234...`, the x keeping it text), or as is."""
    if cell and cell[:1] in "xX" and cell[1:].isdigit():
        return cell[1:]
    return cell


def flag(cell: str | None) -> bool | None:
    if cell is None:
        return None
    return cell.strip().upper() in ("TRUE", "T", "1", "YES")


def words(cell: str | None) -> list[str]:
    """A list column rtweet flattened with spaces (`"a b c"`), or written as `c("a", "b")`."""
    if not cell:
        return []
    text = cell.strip()
    if text.startswith("c(") and text.endswith(")"):
        return [w.strip().strip("\"'") for w in text[2:-1].split(",") if w.strip().strip("\"'") not in NA]
    return [w for w in text.split() if w not in NA]


@dataclass
class Dates:
    """How one file writes its times, decided from its own values."""

    order: str | None = None  # "day-first" / "month-first" for numeric dates, None when ISO or named

    def parse(self, cell: str | None) -> tuple[datetime, str]:
        """The time and its precision (`minute` when the file dropped the seconds)."""
        if not cell:
            raise NotATweet("no time")
        iso = ISO_DATE.fullmatch(cell)
        if iso:
            year, month, day, hour, minute, second = iso.groups()
            return self.build(int(year), int(month), int(day), hour, minute, second)
        numeric = NUMERIC_DATE.fullmatch(cell)
        if numeric:
            first, second_part, year, hour, minute, second = numeric.groups()
            day, month = (first, second_part) if self.order != "month-first" else (second_part, first)
            return self.build(int(year), int(month), int(day), hour, minute, second)
        return parse_time(cell), "second"

    @staticmethod
    def build(
        year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None
    ) -> tuple[datetime, str]:
        stamp = datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0))
        return stamp, "second" if second is not None else "minute"


def decide_order(cells: Iterable[str | None]) -> str | None:
    """`day-first` or `month-first` from the numeric dates among `cells` (a first part above 12
    is a day; a second part above 12 is a day too); None when none is numeric. Raises
    AmbiguousDates when both orders read every date (and some differ by order)."""
    day_first = month_first = True
    seen = differs = False
    for cell in cells:
        match = NUMERIC_DATE.fullmatch(cell or "")
        if not match:
            continue
        seen = True
        first, second = int(match[1]), int(match[2])
        day_first &= second <= 12
        month_first &= first <= 12
        differs |= first != second
    if not seen:
        return None
    if day_first and month_first and differs:
        raise AmbiguousDates
    return "day-first" if day_first else "month-first" if month_first else None


@dataclass
class Quality:
    """What a reader noticed of one file, to be stored as notices."""

    ids_mangled: int = 0
    minutes_only: int = 0
    rows: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)

    def saw(self, tweet_id: str | None, precision: str) -> None:
        self.rows += 1
        if tweet_id and (ROUNDED.fullmatch(tweet_id.strip()) or looks_rounded(tweet_id.strip())):
            self.ids_mangled += 1
        if precision == "minute":
            self.minutes_only += 1

    def notices(self) -> Iterator[tuple[str, str]]:
        yield from self.notes
        if self.ids_mangled:
            mangled = f"{self.ids_mangled} of {self.rows} ids rounded by a spreadsheet (e.g. 8.01496E+17)"
            yield "mangled_ids", mangled + ": never used as identities, each row keeps an id of its own"
        if self.minutes_only:
            yield (
                "time_precision",
                f"{self.minutes_only} of {self.rows} times to the minute (seconds dropped)",
            )


def retweet_of(text: str) -> str | None:
    """The handle a manual or native retweet's text names (`RT @handle: ...`)."""
    if text.startswith("RT @"):
        return text[4:].split(":", 1)[0].strip() or None
    return None


def record(
    tweet_id: str | None,
    created: str | None,
    dates: Dates,
    quality: Quality,
    source_format: str,
    **fields: Any,
) -> dict[str, Any]:
    if not tweet_id or not created:
        raise NotATweet("row without an id or a time")
    created_at, precision = dates.parse(created)
    quality.saw(tweet_id, precision)
    return {
        "tweet_id": tweet_id,
        "created_at": created_at,
        "time_precision": precision,
        "source_format": source_format,
        **fields,
    }


def handle_key(screen_name: str | None) -> str | None:
    """An author known by handle only (twitteR writes no user id): the handle is the key."""
    return "@" + screen_name.lower() if screen_name else None


def from_twitter_r(row: Row, dates: Dates, quality: Quality) -> dict[str, Any]:
    """twitteR's `twListToDF`: text, favorited, favoriteCount, replyToSN, created, truncated,
    replyToSID, id, replyToUID, statusSource, screenName, retweetCount, isRetweet, retweeted
    (and R's unnamed row-number column)."""
    text = html.unescape(value(row, "text") or "")
    screen = value(row, "screenName")
    is_retweet = bool(flag(value(row, "isRetweet"))) or text.startswith("RT @")
    return record(
        value(row, "id"),
        value(row, "created"),
        dates,
        quality,
        "twitter-r",
        user_id=handle_key(screen),
        screen_name=screen,
        text=text,
        source=app_name(value(row, "statusSource"))[0],
        is_retweet=is_retweet,
        retweeted_screen_name=retweet_of(text) if is_retweet else None,
        in_reply_to_tweet_id=value(row, "replyToSID"),
    )


def from_rtweet(row: Row, dates: Dates, quality: Quality) -> dict[str, Any]:
    """rtweet 0.7's `write_as_csv` / `save_as_csv`: user_id, status_id, created_at, screen_name,
    text, source, ..., ids written `x<digits>`, list columns flattened with spaces, the author's
    profile on every row."""
    text = html.unescape(value(row, "text") or "")
    rt_screen = value(row, "retweet_screen_name")
    rt_text = value(row, "retweet_text")
    is_retweet = bool(flag(value(row, "is_retweet")))
    if is_retweet and rt_screen and rt_text:
        text = f"RT @{rt_screen}: {html.unescape(rt_text)}"
    image = value(row, "profile_image_url")
    return record(
        r_id(value(row, "status_id")),
        value(row, "created_at"),
        dates,
        quality,
        "rtweet-csv",
        user_id=r_id(value(row, "user_id")),
        screen_name=value(row, "screen_name"),
        user_created_at=optional(dates, value(row, "account_created_at")),
        user_followers=value(row, "followers_count"),
        user_following=value(row, "friends_count"),
        user_tweets=value(row, "statuses_count"),
        text=text,
        source=app_name(value(row, "source"))[0],
        lang=value(row, "lang"),
        is_retweet=is_retweet,
        retweeted_tweet_id=r_id(value(row, "retweet_status_id")),
        retweeted_screen_name=rt_screen or (retweet_of(text) if is_retweet else None),
        quoted_tweet_id=r_id(value(row, "quoted_status_id")),
        in_reply_to_tweet_id=r_id(value(row, "reply_to_status_id")),
        hashtags=words(value(row, "hashtags")),
        mentions=words(value(row, "mentions_screen_name")),
        urls=words(value(row, "urls_expanded_url")),
        profile=(
            value(row, "name"),
            value(row, "description"),
            value(row, "location"),
            value(row, "verified"),
            value(row, "protected"),
            None if image is None else "default_profile_images" in image,
            value(row, "listed_count"),
            value(row, "favourites_count"),
        ),
    )


def from_rtweet1(row: Row, dates: Dates, quality: Quality) -> dict[str, Any]:
    """rtweet 1.x's tweets (created_at, id, id_str, full_text or text, source, lang, ...), with the
    author's columns where the user joined them (user_id or user_id_str, screen_name)."""
    text = html.unescape(value(row, "full_text") or value(row, "text") or "")
    screen = value(row, "screen_name")
    is_retweet = text.startswith("RT @")
    return record(
        r_id(value(row, "id_str") or value(row, "id")),
        value(row, "created_at"),
        dates,
        quality,
        "rtweet-csv",
        user_id=r_id(value(row, "user_id_str") or value(row, "user_id")) or handle_key(screen),
        screen_name=screen,
        text=text,
        source=app_name(value(row, "source"))[0],
        lang=value(row, "lang"),
        is_retweet=is_retweet,
        retweeted_screen_name=retweet_of(text) if is_retweet else None,
        in_reply_to_tweet_id=r_id(
            value(row, "in_reply_to_status_id_str") or value(row, "in_reply_to_status_id")
        ),
    )


def from_academic(row: Row, dates: Dates, quality: Quality) -> dict[str, Any]:
    """academictwitteR's `bind_tweets(format = "tidy")`: tweet_id, user_username, text,
    author_id, created_at, lang, sourcetweet_type, sourcetweet_id, ..., user_* profile columns."""
    text = html.unescape(value(row, "text") or "")
    kind = value(row, "sourcetweet_type")
    image = value(row, "user_profile_image_url")
    return record(
        value(row, "tweet_id"),
        value(row, "created_at"),
        dates,
        quality,
        "academictwitter-csv",
        user_id=value(row, "author_id"),
        screen_name=value(row, "user_username"),
        user_created_at=optional(dates, value(row, "user_created_at")),
        user_followers=value(row, "user_followers_count"),
        user_following=value(row, "user_following_count"),
        user_tweets=value(row, "user_tweet_count"),
        text=text,
        source=value(row, "source"),
        lang=value(row, "lang"),
        is_retweet=kind == "retweeted" or text.startswith("RT @"),
        retweeted_tweet_id=value(row, "sourcetweet_id") if kind == "retweeted" else None,
        retweeted_screen_name=retweet_of(text),
        quoted_tweet_id=value(row, "sourcetweet_id") if kind == "quoted" else None,
        profile=(
            value(row, "user_name"),
            value(row, "user_description"),
            value(row, "user_location"),
            value(row, "user_verified"),
            value(row, "user_protected"),
            None if image is None else "default_profile_images" in image,
            value(row, "user_list_count"),
            None,
        ),
    )


# What a column map may name (`chorus ingest --columns id=...,user=...,time=...,text=...`)
MAP_KEYS = ("id", "user", "user_id", "time", "text", "source", "retweet_of", "reply_to", "lang")
MAP_REQUIRED = ("id", "time", "text")


def from_mapped(row: Row, dates: Dates, quality: Quality, columns: dict[str, str]) -> dict[str, Any]:
    """Any table, through a column map naming its id, author, time and text columns."""

    def cell(key: str) -> str | None:
        return value(row, columns[key]) if key in columns else None

    text = html.unescape(cell("text") or "")
    screen = cell("user")
    retweeted = cell("retweet_of")
    return record(
        cell("id"),
        cell("time"),
        dates,
        quality,
        "mapped-csv",
        user_id=cell("user_id") or handle_key(screen),
        screen_name=screen,
        text=text,
        source=app_name(cell("source"))[0],
        lang=cell("lang"),
        is_retweet=retweeted is not None or text.startswith("RT @"),
        retweeted_tweet_id=retweeted,
        retweeted_screen_name=retweet_of(text),
        in_reply_to_tweet_id=cell("reply_to"),
    )


def optional(dates: Dates, cell: str | None) -> datetime | None:
    """An account's creation time in the file's own form, or None (a bad one costs the field)."""
    try:
        return dates.parse(cell)[0] if cell else None
    except (NotATweet, ValueError, OverflowError):
        return None


def parse_column_map(text: str) -> dict[str, str]:
    """`id=status_id,user=handle,time=when,text=body` (or the same as `key: column` lines of a
    small YAML file) as a map; raises ValueError naming what is wrong."""
    columns: dict[str, str] = {}
    for part in re.split(r"[,\n]", text):
        part = part.split("#", 1)[0].strip()
        if not part:
            continue
        key, sep, column = part.partition("=") if "=" in part else part.partition(":")
        key, column = key.strip(), column.strip().strip("\"'")
        if not sep or not column:
            raise ValueError(f"{part!r} is not key=column")
        if key not in MAP_KEYS:
            raise ValueError(f"unknown key {key!r} (one of {', '.join(MAP_KEYS)})")
        columns[key] = column
    missing = [k for k in MAP_REQUIRED if k not in columns]
    if missing:
        raise ValueError(f"the map must name {', '.join(missing)}")
    if "user" not in columns and "user_id" not in columns:
        raise ValueError("the map must name user or user_id")
    return columns


# Time column of each flavour, read to decide the date order
TIME_COLUMNS = {
    "twitter-r": "created",
    "rtweet-csv": "created_at",
    "rtweet1-csv": "created_at",
    "academictwitter-csv": "created_at",
}
