"""Typed, bounded records: every field a reader extracted is checked against the lake schema.

Archives come from anywhere, so no field is trusted to have the type its format documents. A
field that can be coerced safely is (a count given as `"12"`, an id given as a number); one that
cannot is left null where the tweet stands without it (a language, a follower count, a reply id);
a tweet missing what makes it a tweet (an id, a time) raises `NotATweet`, which the caller turns
into a reject naming the line. Strings and lists are bounded so that one hostile line cannot
blow up the lake or the warehouse.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from chorus.ingest.formats import NotATweet

ID = re.compile(r"[0-9]{1,20}")
# Information Operations releases hash the ids of small accounts (base64 or hex digests).
USER_ID = re.compile(r"[A-Za-z0-9+/=_-]{1,128}")
# Ids that went through a spreadsheet or a float: `1.18367e+18`, or their digits rounded to zeros.
ROUNDED = re.compile(r"([0-9])(?:\.([0-9]+))?[eE]\+?([0-9]{1,2})")
MAX_ID = 2**64
MAX_TEXT = 100_000  # long-form posts are 25,000 characters at most
MAX_SHORT = 256  # names, languages, app names
MAX_ITEM = 2_048  # one hashtag, mention or URL
MAX_ITEMS = 200  # entities of one tweet
MAX_COUNT = 2**53


def as_id(value: Any) -> str | None:
    """A tweet id as a string of digits, or None if the value is not one.

    Numbers are accepted when they are exact integers (JSON gives ids as numbers too); a float, a
    boolean or a digit string beyond 64 bits is not an id.
    """
    if isinstance(value, str):
        text = value.strip()
        if ID.fullmatch(text) and int(text) < MAX_ID:
            return text
        return rounded_id(text)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_ID:
        return str(value)
    return None


def rounded_id(text: str) -> str | None:
    """An id a spreadsheet wrote in scientific notation (`1.18367e+18`), as its digits, marked
    with `~` because it no longer identifies one tweet (see `disambiguate`)."""
    match = ROUNDED.fullmatch(text)
    if match is None:
        return None
    digits = match[1] + (match[2] or "")
    exponent = int(match[3])
    if len(digits) - 1 > exponent:
        return None
    value = int(digits) * 10 ** (exponent - (len(digits) - 1))
    return f"{value}~" if value < MAX_ID else None


def looks_rounded(tweet_id: str) -> bool:
    """A 17+ digit id ending in four zeros went through a float (a spreadsheet keeps 15 digits); a
    real one ends so with odds of one in ten thousand, and then only gains a suffix."""
    return tweet_id.endswith("~") or (len(tweet_id) >= 17 and tweet_id.endswith("0000"))


def disambiguate(tweet_id: str, author: str | None, text: str) -> str:
    """A rounded id names many tweets: `<digits>~<digest of author and text>` names one again, the
    same in every file and format that holds the tweet."""
    digest = hashlib.md5(f"{(author or '').lower()}\0{text}".encode(), usedforsecurity=False)
    return f"{tweet_id.rstrip('~')}~{digest.hexdigest()[:12]}"


def as_user_id(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        text = value.strip()
        if USER_ID.fullmatch(text):
            return text
    return None


def as_text(value: Any, limit: int) -> str | None:
    """A string (numbers written as text), cut to `limit` characters; None for anything else."""
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)[:limit]
    return None


def as_name(value: Any) -> str | None:
    text = as_text(value, MAX_SHORT)
    if text is None:
        return None
    text = text.strip().lstrip("@")
    return text or None


def as_count(value: Any) -> int | None:
    """A non-negative count: `12`, `"12"`, `12.0`; None when absent, negative or absurd."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_COUNT:
        return value
    return None


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "t")
    return value is True or value == 1


def as_list(value: Any) -> list[str]:
    """A list of strings (numbers written as text); anything that is not a string is dropped."""
    if not isinstance(value, list):
        return []
    out = []
    for item in value[:MAX_ITEMS]:
        text = as_text(item, MAX_ITEM)
        if text:
            out.append(text)
    return out


def as_time(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def typed_tweet(record: dict[str, Any]) -> dict[str, Any]:
    """The record with every field of the lake schema typed and bounded; raises NotATweet when the
    id, the time or the text cannot be read."""
    tweet_id = as_id(record.get("tweet_id"))
    if tweet_id is None:
        raise NotATweet(f"tweet id {str(record.get('tweet_id'))[:40]!r} is not a tweet id")
    created_at = as_time(record.get("created_at"))
    if created_at is None:
        raise NotATweet("created_at is not a time")
    text = as_text(record.get("text"), MAX_TEXT + 1)
    if text is None:
        raise NotATweet("text is not a string")
    if len(text) > MAX_TEXT:
        raise NotATweet(f"text longer than {MAX_TEXT} characters")
    screen_name = as_name(record.get("screen_name"))
    user_id = as_user_id(record.get("user_id"))
    if looks_rounded(tweet_id):
        tweet_id = disambiguate(tweet_id, screen_name or user_id, text)
    return {
        "tweet_id": tweet_id,
        "user_id": user_key(user_id, screen_name),
        "screen_name": screen_name,
        "user_created_at": as_time(record.get("user_created_at")),
        "user_followers": as_count(record.get("user_followers")),
        "user_following": as_count(record.get("user_following")),
        "user_tweets": as_count(record.get("user_tweets")),
        "created_at": created_at,
        "text": text,
        "source": (as_text(record.get("source"), MAX_SHORT) or "").strip() or None,
        "source_url": as_text(record.get("source_url"), MAX_ITEM) or None,
        "lang": as_name(as_text(record.get("lang"), 16)),
        "is_retweet": as_bool(record.get("is_retweet")),
        "retweeted_tweet_id": reference_id(record.get("retweeted_tweet_id")),
        "retweeted_screen_name": as_name(record.get("retweeted_screen_name")),
        "quoted_tweet_id": reference_id(record.get("quoted_tweet_id")),
        "in_reply_to_tweet_id": reference_id(record.get("in_reply_to_tweet_id")),
        "hashtags": [h.lstrip("#") for h in as_list(record.get("hashtags"))],
        "mentions": [m.lstrip("@") for m in as_list(record.get("mentions"))],
        "urls": as_list(record.get("urls")),
        "time_precision": "minute" if record.get("time_precision") == "minute" else "second",
        "source_format": as_text(record.get("source_format"), 32),
    }


def reference_id(value: Any) -> str | None:
    """The id of a tweet this one refers to; a rounded one would tie unrelated posts, so it is dropped."""
    found = as_id(value)
    return None if found is None or looks_rounded(found) else found


def user_key(user_id: str | None, screen_name: str | None) -> str | None:
    """The account's id; a rounded numeric id (many accounts share it) gives way to the handle."""
    if user_id is not None and looks_rounded(user_id) and screen_name:
        return "@" + screen_name.lower()
    return user_id


def typed_notice(record: dict[str, Any]) -> dict[str, Any]:
    """A stream notice with its ids typed (a numeric `id_str` is read as the id it names)."""
    return {
        "kind": as_text(record.get("kind"), 32),
        "tweet_id": as_id(record.get("tweet_id")),
        "user_id": as_user_id(record.get("user_id")),
    }
