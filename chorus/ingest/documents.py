"""JSON documents read streaming: arrays of tweets (`[{...}, ...]`), pretty-printed objects, and
the array inside a personal archive's `tweets.js`. Elements are parsed one at a time (ijson's C
parser), so a file of any size costs the memory of one element; a break in the document keeps
every element before it and becomes one reject from there on.
"""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from chorus.ingest.formats import BOM, Includes, Item, json_object_items, raw_json, reject

PREFIX_LIMIT = 4096


class Prefixed(io.RawIOBase):
    """`head` (bytes already read) followed by the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def after_assignment(stream: BinaryIO) -> BinaryIO:
    """The stream from the JSON value after `window.YTD.tweets.part0 =` (or `Grailbird... =`)."""
    head = stream.read(PREFIX_LIMIT)
    starts = [i for i in (head.find(b"["), head.find(b"{")) if i >= 0]
    if not starts:
        raise ValueError("no JSON value after the assignment")
    return io.BufferedReader(Prefixed(head[min(starts) :], stream))


# Byte-order marks of the wide Unicode encodings (Windows tools write "Unicode" text as UTF-16);
# UTF-32's go first: UTF-32-LE's begins with UTF-16-LE's.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_encoding(head: bytes) -> str | None:
    """`utf-16` or `utf-32` when the stream starts with that encoding's byte-order mark."""
    return next((name for bom, name in WIDE_BOMS if head.startswith(bom)), None)


class Transcoded(io.RawIOBase):
    """A UTF-16/UTF-32 stream read as UTF-8 (bytes no code point decodes to become U+FFFD)."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            chunk = self.text.read(1 << 16)
            if not chunk:
                return 0
            self.pending = chunk.encode("utf-8", "replace")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def as_utf8(stream: BinaryIO, encoding: str | None) -> BinaryIO:
    """The stream itself, or, in a wide encoding, its text as UTF-8 bytes."""
    return io.BufferedReader(Transcoded(stream, encoding), 1 << 16) if encoding else stream


def without_bom(stream: BinaryIO) -> BinaryIO:
    head = stream.read(3)
    return io.BufferedReader(Prefixed(head.removeprefix(BOM), stream))


# A tweet nests about ten levels deep (a quoted retweet's media sizes). ijson keeps the path to
# every value, so its memory grows with the square of the depth: a 200 KB line of brackets
# nested 100,000 deep took more than 20 GB. And it builds a long string in time that grows with
# the square of its length (16 MB: 0.7 s; a 600 MB one, 2.7 MB gzip'd, ran for over ten minutes).
# Deeper documents and longer strings are refused as they are read.
MAX_DEPTH = 512
MAX_STRING = 2**21  # bytes: a tweet's text (at most 100,000 characters) fits, escaped as JSON
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class DepthGuard(io.RawIOBase):
    """A JSON stream's bytes, unchanged, measuring how deep the brackets outside strings nest and
    how long the strings run as they pass. The bytes before the first bracket past `limit` levels
    are passed on (the values they complete are read), then reading raises ValueError; so it does
    at once for a string longer than MAX_STRING. Strings are told apart by their quotes, escaped
    ones (`\\"`) and escaped backslashes (`\\\\`) dropped first, so a block may end anywhere,
    even inside an escape."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_DEPTH) -> None:
        self.stream = stream
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.backslashes = b""  # a lone one ending the last block escapes what follows
        self.string_bytes = 0  # of the string the last block ended in
        self.refusal = ""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.refusal:
            raise ValueError(self.refusal)
        data = self.stream.read(len(buffer))
        found = self.measure(data)
        if found is not None:
            self.refusal, cut = found
            data = data[:cut]
            if not data:
                raise ValueError(self.refusal)
        buffer[: len(data)] = data
        return len(data)

    def measure(self, data: bytes) -> tuple[str, int] | None:
        """Follow the depth and the open string through one block; what is wrong, with the offset
        where the bytes stop being passed on, if anything is."""
        before = (self.depth, self.in_string, bool(self.backslashes))
        carried = len(self.backslashes)
        data = self.backslashes + data
        complete = data.rstrip(b"\\")
        self.backslashes = b"\\" * ((len(data) - len(complete)) % 2)  # pairs are string bytes
        pieces = complete.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')
        outside = pieces[1::2] if self.in_string else pieces[0::2]
        if self.in_string:
            self.string_bytes += len(pieces[0])
            if self.string_bytes > MAX_STRING:
                return f"a JSON string longer than {MAX_STRING} bytes", 0
        self.in_string ^= len(pieces) % 2 == 0
        if len(pieces) > 1:
            self.string_bytes = len(pieces[-1]) if self.in_string else 0
        brackets = b"".join(outside).translate(None, NOT_BRACKETS)
        if not brackets:
            return None
        levels = list(itertools.accumulate(map(STEP.__getitem__, brackets), initial=self.depth))
        self.depth = levels[-1]
        if max(levels) <= self.limit:
            return None
        return f"JSON nested deeper than {self.limit} levels", too_deep_at(
            data[carried:], *before, self.limit
        )


def too_deep_at(data: bytes, depth: int, in_string: bool, escaped: bool, limit: int) -> int:
    """The offset of the first bracket nesting past `limit`, reading byte by byte from the given
    state (the slow, exact path, for the one block where DepthGuard found the nesting too deep)."""
    for offset, byte in enumerate(data):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > limit:
                return offset
        elif byte in b"]}":
            depth -= 1
    return len(data)


def elements(stream: BinaryIO, kind: str) -> Iterator[tuple[int, Any]]:
    """(1-based position, value) of each array element (`kind="array"`) or each top-level value
    (`kind="values"`). Raises ijson's JSONError where the document breaks, ValueError where it
    nests too deep (DepthGuard)."""
    prefix, multiple = ("item", False) if kind == "array" else ("", True)
    values = ijson.items(DepthGuard(stream), prefix, multiple_values=multiple)
    yield from enumerate(values, start=1)


def document_items(stream: BinaryIO, kind: str, includes: Includes | None = None) -> Iterator[Item]:
    """Items of a JSON array or of a stream of pretty-printed JSON values (v2 tweets' authors looked
    up in `includes` when they come without them)."""
    position = 0
    try:
        for position, value in elements(without_bom(stream), kind):
            yield from json_object_items(value, position, raw_json(value), includes)
    except (ijson.JSONError, ValueError) as exc:
        yield reject(position + 1, f"invalid JSON from here on: {exc}", "")
