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


class NotATweet(ValueError):
    """The object parsed but is not a tweet of any known format (or lacks what makes one)."""


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
    boolean or a digit string beyond 64 bits is not an id. Leading zeros are dropped: `00012345`
    (a spreadsheet's padding) is the tweet `12345`, not another one.
    """
    if type(value) is str:
        if value.isdigit() and len(value) < 20 and value.isascii() and value[0] != "0":  # common, fast
            return value
        text = value.strip()
        if ID.fullmatch(text) and int(text) < MAX_ID:
            return str(int(text))
        return rounded_id(text)
    if type(value) is int and 0 <= value < MAX_ID:
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


def disambiguate(tweet_id: str, author: str | None, text: str, posted: datetime) -> str:
    """A rounded id names many tweets: `<digits>~<digest of author, text and minute>` names one
    again, the same in every file and format that holds the tweet (to the minute: a spreadsheet
    drops the seconds), and two posts of one text by one account (a drip) stay two."""
    key = f"{(author or '').lower()}\0{text}\0{posted:%Y-%m-%d %H:%M}"
    digest = hashlib.md5(key.encode(), usedforsecurity=False)
    return f"{tweet_id.rstrip('~')}~{digest.hexdigest()[:12]}"


def as_user_id(value: Any) -> str | None:
    if type(value) is str and value.isdigit() and len(value) < 40 and value.isascii():
        return value
    if type(value) is int:
        value = str(value)
    if isinstance(value, str):
        text = value.strip()
        if USER_ID.fullmatch(text):
            return text
    return None


def as_text(value: Any, limit: int) -> str | None:
    """A string (numbers written as text), cut to `limit` characters; None for anything else."""
    if type(value) is str:
        return value if len(value) <= limit else value[:limit]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)[:limit]
    return None


def as_name(value: Any) -> str | None:
    """A screen name: a short string without a leading @ or surrounding spaces."""
    if value is None:
        return None
    if type(value) is str and 0 < len(value) <= MAX_SHORT and value[0] not in "@ " and value[-1] != " ":
        return value
    text = as_text(value, MAX_SHORT)
    if text is None:
        return None
    text = text.strip().lstrip("@")
    return text or None


def as_count(value: Any) -> int | None:
    """A non-negative count: `12`, `"12"`, `12.0`; None when absent, negative or absurd."""
    if type(value) is int:
        return value if 0 <= value <= MAX_COUNT else None
    if value is None or isinstance(value, bool):
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
    if value is True or value is False:
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "t")
    return value is True or value == 1


def as_list(value: Any) -> list[str]:
    """A list of strings (numbers written as text); anything that is not a string is dropped."""
    if not value or type(value) is not list:
        return []
    if len(value) <= MAX_ITEMS:
        for item in value:
            if type(item) is not str or not item or len(item) > MAX_ITEM:
                break
        else:
            return value  # the common case: already a list of short strings
    out = []
    for item in value[:MAX_ITEMS]:
        text = as_text(item, MAX_ITEM)
        if text:
            out.append(text)
    return out


FIELDS = (
    "tweet_id", "user_id", "screen_name", "user_created_at", "user_followers", "user_following",
    "user_tweets", "created_at", "text", "source", "source_url", "lang", "is_retweet",
    "retweeted_tweet_id", "retweeted_screen_name", "quoted_tweet_id", "in_reply_to_tweet_id",
    "hashtags", "mentions", "urls", "time_precision", "source_format", "profile",
)  # fmt: skip

# What a reader gives as `profile`: a tuple of these, as the archive has them (None: it says nothing)
PROFILE_FIELDS = (
    "name", "description", "location", "verified", "protected", "default_image", "listed", "favourites",
)  # fmt: skip
NO_PROFILE = (None,) * len(PROFILE_FIELDS)
MAX_DESCRIPTION = 1_024  # a profile description is 160 characters; some tools add the expanded links


def typed_profile(profile: Any) -> tuple[Any, ...]:
    """The author's profile fields typed and bounded; a field of the wrong shape is None (missing),
    never a guess: a flag given as `"true"` or `1` is read, one given as `"maybe"` is not."""
    if type(profile) is not tuple or len(profile) != len(PROFILE_FIELDS):
        return NO_PROFILE
    name, description, location, verified, protected, default_image, listed, favourites = profile
    return (
        None if name is None else as_text(name, MAX_SHORT) or None,
        None if description is None else as_text(description, MAX_DESCRIPTION) or None,
        None if location is None else as_text(location, MAX_SHORT) or None,
        as_flag(verified),
        as_flag(protected),
        as_flag(default_image),
        listed if type(listed) is int and 0 <= listed <= MAX_COUNT else as_count(listed),
        favourites if type(favourites) is int and 0 <= favourites <= MAX_COUNT else as_count(favourites),
    )


def as_flag(value: Any) -> bool | None:
    """A yes/no field: True or False when the archive says which, None when it does not."""
    if value is True or value is False:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "t", "1", "yes"):
            return True
        if text in ("false", "f", "0", "no"):
            return False
        return None
    if type(value) is int and value in (0, 1):
        return bool(value)
    return None


def typed_tweet(record: dict[str, Any]) -> tuple[Any, ...]:
    """A reader's record (a dict of FIELDS) as a typed row of the lake schema (see `typed_row`)."""
    return typed_row(*map(record.get, FIELDS))


def typed_row(  # noqa: PLR0913 - one parameter per column of the lake schema
    tweet_id: Any, user_id: Any, screen_name: Any, user_created_at: Any, followers: Any,
    following: Any, statuses: Any, created_at: Any, text: Any, source: Any, source_url: Any,
    lang: Any, is_retweet: Any, retweeted: Any, retweeted_screen: Any, quoted: Any, replied: Any,
    hashtags: Any, mentions: Any, urls: Any, precision: Any, source_format: Any, profile: Any = None,
) -> tuple[Any, ...]:  # fmt: skip
    """A row of the lake schema (TWEET_COLUMNS but the file and line, which the writer adds),
    every field typed and bounded; raises NotATweet when the id, the time or the text cannot be
    read.

    This runs once per tweet on the hot path of ingest: every field is first tested for the shape
    well-formed archives give it (a short string, an int, None), and only otherwise goes through
    the coercing helpers above.
    """
    if not (
        type(tweet_id) is str
        and len(tweet_id) < 20
        and tweet_id.isdigit()
        and tweet_id.isascii()
        and tweet_id[0] != "0"
    ):
        given = tweet_id
        tweet_id = as_id(given)
        if tweet_id is None:
            raise NotATweet(f"tweet id {str(given)[:40]!r} is not a tweet id")
    if type(created_at) is not datetime:
        raise NotATweet("created_at is not a time")
    if type(text) is not str:
        text = as_text(text, MAX_TEXT)
        if text is None:
            raise NotATweet("text is not a string")
    elif len(text) > MAX_TEXT:
        raise NotATweet(f"text longer than {MAX_TEXT} characters")
    if not (type(screen_name) is str and 0 < len(screen_name) <= 50 and screen_name.isidentifier()):
        screen_name = as_name(screen_name)
    if not (type(user_id) is str and 0 < len(user_id) < 17 and user_id.isdigit() and user_id.isascii()):
        user_id = user_key(as_user_id(user_id), screen_name)
    if len(tweet_id) >= 17 and looks_rounded(tweet_id):
        tweet_id = disambiguate(tweet_id, screen_name or user_id, text, created_at)
    if source is not None and not (type(source) is str and 0 < len(source) <= MAX_SHORT):
        source = (as_text(source, MAX_SHORT) or "").strip() or None
    if lang is not None and not (type(lang) is str and 0 < len(lang) <= 16):
        lang = as_name(as_text(lang, 16))
    return (
        tweet_id,
        user_id,
        screen_name,
        user_created_at if type(user_created_at) is datetime else None,
        followers if type(followers) is int and 0 <= followers <= MAX_COUNT else as_count(followers),
        following if type(following) is int and 0 <= following <= MAX_COUNT else as_count(following),
        statuses if type(statuses) is int and 0 <= statuses <= MAX_COUNT else as_count(statuses),
        created_at,
        text,
        source,
        None if source_url is None else as_text(source_url, MAX_ITEM) or None,
        lang,
        is_retweet if is_retweet is True or is_retweet is False else as_bool(is_retweet),
        None if retweeted is None else reference_id(retweeted),
        None if retweeted_screen is None else as_name(retweeted_screen),
        None if quoted is None else reference_id(quoted),
        None if replied is None else reference_id(replied),
        [] if not hashtags else as_list(hashtags),
        [] if not mentions else as_list(mentions),
        [] if not urls else as_list(urls),
        "minute" if precision == "minute" else "second",
        source_format if type(source_format) is str and len(source_format) <= 32 else None,
        *(NO_PROFILE if profile is None else typed_profile(profile)),
    )


def reference_id(value: Any) -> str | None:
    """The id of a tweet this one refers to; a rounded one would tie unrelated posts, so it is dropped."""
    if value is None:
        return None
    found = as_id(value)
    return None if found is None or looks_rounded(found) else found


def user_key(user_id: str | None, screen_name: str | None) -> str | None:
    """The account's id; a rounded numeric id (many accounts share it), or none at all (twitteR's
    exports name accounts by handle only), gives way to the handle (`@` + the handle lowercased)."""
    if (user_id is None or looks_rounded(user_id)) and screen_name:
        return "@" + screen_name.lower()
    return user_id


def typed_notice(record: dict[str, Any]) -> dict[str, Any]:
    """A stream notice with its ids typed (a numeric `id_str` is read as the id it names)."""
    return {
        "kind": as_text(record.get("kind"), 32),
        "tweet_id": as_id(record.get("tweet_id")),
        "user_id": as_user_id(record.get("user_id")),
        "detail": as_text(record.get("detail"), 500),
    }
