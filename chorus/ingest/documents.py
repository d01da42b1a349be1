"""JSON documents read streaming: arrays of tweets (`[{...}, ...]`), pretty-printed objects, and
the array inside a personal archive's `tweets.js`. Elements are parsed one at a time (ijson's C
parser), so a file of any size costs the memory of one element; a break in the document keeps
every element before it and becomes one reject from there on.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from chorus.ingest.formats import BOM, Item, json_object_items, raw_json, reject

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


def elements(stream: BinaryIO, kind: str) -> Iterator[tuple[int, Any]]:
    """(1-based position, value) of each array element (`kind="array"`) or each top-level value
    (`kind="values"`). Raises ijson's JSONError where the document breaks."""
    prefix, multiple = ("item", False) if kind == "array" else ("", True)
    values = ijson.items(stream, prefix, multiple_values=multiple)
    yield from enumerate(values, start=1)


def document_items(stream: BinaryIO, kind: str) -> Iterator[Item]:
    """Items of a JSON array or of a stream of pretty-printed JSON values."""
    position = 0
    try:
        for position, value in elements(without_bom(stream), kind):
            yield from json_object_items(value, position, raw_json(value))
    except (ijson.JSONError, ValueError) as exc:
        yield reject(position + 1, f"invalid JSON from here on: {exc}", "")
