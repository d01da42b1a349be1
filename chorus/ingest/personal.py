"""The personal archive: `data/tweets.js` (`window.YTD.tweets.part0 = [...]`) inside its zip,
the author taken from `data/account.js`. Older archives: `data/js/tweets/YYYY_MM.js` (Grailbird)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from chorus.ingest.documents import after_assignment, elements
from chorus.ingest.formats import READ_ERRORS, Item, NotATweet, from_v1, parse_time, raw_json, reject

TWEET_MEMBER = re.compile(r"(^|/)data/(tweets(-part\d+)?\.js|js/tweets/\d{4}_\d{2}\.js)$")
ACCOUNT_MEMBERS = ("data/account.js", "data/js/user_details.js")


def js_payload(raw: bytes) -> Any:
    """The JSON after `window.YTD.x.part0 =` (or `Grailbird.data.x =`)."""
    start = min((i for i in (raw.find(b"["), raw.find(b"{")) if i >= 0), default=-1)
    if start < 0:
        raise ValueError("no JSON value after the assignment")
    return orjson.loads(raw[start:])


def account_from_js(raw: bytes) -> dict[str, Any]:
    """`{id_str, screen_name, created_at, name}` of the archive owner from account.js / user_details.js."""
    payload = js_payload(raw)
    item = payload[0] if isinstance(payload, list) and payload else payload
    account = item.get("account", item) if isinstance(item, dict) else {}
    account = account if isinstance(account, dict) else {}
    created = account.get("createdAt") or account.get("created_at")
    return {
        "id_str": str(account.get("accountId") or account.get("id") or "") or None,
        "screen_name": account.get("username") or account.get("screen_name"),
        "created_at": parse_time(created) if created else None,
        "name": account.get("accountDisplayName") or account.get("full_name"),
    }


def is_tweet_member(name: str) -> bool:
    return bool(TWEET_MEMBER.search(name.replace("\\", "/")))


def personal_items(stream: BinaryIO, owner: dict[str, Any] | None) -> Iterator[Item]:
    """One item per element of the tweets array (read streaming); the owner fills in the author."""
    index = 0
    try:
        for index, element in elements(after_assignment(stream), "array"):
            yield personal_item(index, element, owner)
    except (ijson.JSONError, ValueError) as exc:
        yield reject(index + 1, f"invalid tweets.js from here on: {exc}", "")


def personal_item(index: int, element: Any, owner: dict[str, Any] | None) -> Item:
    body = element.get("tweet", element) if isinstance(element, dict) else element
    try:
        if not isinstance(body, dict):
            raise NotATweet("array element is not an object")
        record = from_v1({**body, "user": body.get("user") if isinstance(body.get("user"), dict) else {}})
    except READ_ERRORS as exc:
        return reject(index, f"{type(exc).__name__}: {exc}", raw_json(element))
    text = record["text"]
    if not record["is_retweet"] and isinstance(text, str) and text.startswith("RT @"):
        record["is_retweet"] = True
        record["retweeted_screen_name"] = text[4:].split(":", 1)[0].strip() or None
    if owner:
        record["user_id"] = record["user_id"] or owner.get("id_str")
        record["screen_name"] = record["screen_name"] or owner.get("screen_name")
        record["user_created_at"] = record["user_created_at"] or owner.get("created_at")
        if owner.get("name"):
            record["profile"] = (owner["name"], *(None,) * 7)
    record["source_format"] = "personal-archive"
    return Item(index, "tweet", record=record)
