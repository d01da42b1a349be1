"""Property-based tests of the readers (Hypothesis): valid records of every format, mutated in
their types, lengths, encodings and framing, never crash ingest, and every line is accounted for
as a tweet, a notice, a blank, a skipped line or a reject; what lands in the lake is typed."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chorus.config import Settings
from chorus.ingest import ingest
from chorus.ingest.documents import DepthGuard
from chorus.ingest.formats import parse_time
from chorus.ingest.tables import optional_time, parse_io_time
from tests.conftest import v1_status

# The same examples on every run (CI and `make check` stay deterministic); set
# CHORUS_HYPOTHESIS_EXPLORE=1 to draw new ones, and pin what they find as a test of its own.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not os.environ.get("CHORUS_HYPOTHESIS_EXPLORE"),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="0123456789", min_size=1, max_size=30),
    st.sampled_from(
        ["Wed Oct 12 21:03:15 +0000 2011", "2011-10-12T21:03:15Z", "1e18", "<a href='x'>", "\ufeff"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "text", "tag", "screen_name", "status", "x"]), inner, max_size=4
        ),
    ),
    max_leaves=8,
)
V1_FIELDS = [
    "id_str",
    "id",
    "created_at",
    "full_text",
    "source",
    "user",
    "entities",
    "lang",
    "retweeted_status",
    "in_reply_to_status_id_str",
    "extended_tweet",
    "quoted_status",
]
USER_FIELDS = ["id_str", "screen_name", "created_at", "followers_count", "friends_count", "statuses_count"]


@st.composite
def v1_line(draw: st.DrawFn) -> bytes:
    """A v1.1 status (or a delete notice), possibly with fields retyped or removed, possibly cut."""
    status: dict[str, Any] = v1_status(draw(st.integers(1, 10**18)), "someone", draw(st.text(max_size=60)))
    if draw(st.booleans()):
        status = {"delete": {"status": {"id_str": draw(values), "user_id_str": draw(values)}}}
    else:
        for field in draw(st.lists(st.sampled_from(V1_FIELDS), max_size=3)):
            if draw(st.booleans()):
                status[field] = draw(values)
            else:
                status.pop(field, None)
        if isinstance(status.get("user"), dict):
            for field in draw(st.lists(st.sampled_from(USER_FIELDS), max_size=2)):
                status["user"][field] = draw(values)
    raw = json.dumps(status, ensure_ascii=draw(st.booleans())).encode()
    framing = draw(st.sampled_from(["whole", "whole", "cut", "latin-1", "noise"]))
    if framing == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif framing == "latin-1":
        raw = raw.decode().encode("latin-1", "replace")
    elif framing == "noise":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=8)).replace(b"\n", b"") + raw[at:]
    return raw.replace(b"\n", b" ").replace(b"\r", b" ")


def valid_json(data: bytes) -> bool:
    """Standard JSON (NaN and Infinity, which Python writes, are not)."""
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    return True


def ingest_file(name: str, data: bytes) -> tuple[Settings, Counter[str]]:
    """Ingest one file; its counts, with `refused` set when the input as a whole failed."""
    folder = Path(tempfile.mkdtemp(prefix="chorus-prop-"))
    (folder / "in").mkdir()
    (folder / "in" / name).write_bytes(data)
    settings = Settings.make(folder / "home")
    summary = ingest([folder / "in"], settings, progress=False, workers=1)
    (result,) = summary.files
    counts = Counter(result.counts)
    counts["refused"] = int(result.format == "refused")
    counts["document"] = int(result.format in ("json-document", "json-array"))
    return settings, counts


def unreadable_rejects(settings: Settings) -> int:
    with duckdb.connect() as con:
        return con.execute(
            "select count(*) from read_parquet(?) where reason like 'unreadable%'",
            [str(settings.lake.path / "_audit" / "rejects" / "*.parquet")],
        ).fetchone()[0]


def lake_is_typed(settings: Settings, tweets: int) -> None:
    """Every tweet counted is in the lake, and reads back with the lake schema (ids as digit
    strings, times as times, text present)."""
    parts = list(settings.lake.path.glob("tweets/*/*.parquet"))
    if not parts:
        assert tweets == 0
        return
    with duckdb.connect() as con:
        total, bad = con.execute(
            "select count(*), count(*) filter (where created_at is null or text is null "
            "or not regexp_full_match(tweet_id, '[0-9]+(~[0-9a-f]{12})?')) from read_parquet(?)",
            [[str(p) for p in parts]],
        ).fetchone()
    assert (total, bad) == (tweets, 0)


@PROPERTY
@given(lines=st.lists(st.one_of(v1_line(), st.just(b"")), min_size=1, max_size=12), packed=st.booleans())
def test_mutated_v1_lines_are_each_accounted_for(lines: list[bytes], packed: bool) -> None:
    data = b"\n".join(lines) + b"\n"
    settings, counts = ingest_file(
        "x.jsonl.gz" if packed else "x.jsonl", gzip.compress(data) if packed else data
    )
    accounted = counts["tweet"] + counts["notice"] + counts["rejects"] + counts["blank"] + counts["skip"]
    assert counts["refused"] == 0 and unreadable_rejects(settings) == 0
    if counts["document"]:
        # a lone `{` or `[` first line (and no line of JSON on its own) opens a pretty-printed
        # document: its values are counted, and a broken one is one reject "from here on"
        assert accounted >= 1 and counts["lines"] <= len(lines)
    else:
        assert counts["lines"] == len(lines)
        assert accounted >= len(lines)  # a line holding a JSON array gives one item per element
    lake_is_typed(settings, counts["tweet"])


IO_COLUMNS = [
    "tweetid",
    "userid",
    "user_screen_name",
    "follower_count",
    "following_count",
    "account_creation_date",
    "tweet_text",
    "tweet_time",
    "is_retweet",
    "retweet_tweetid",
    "hashtags",
    "urls",
    "user_mentions",
]
cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "1e30", "-5", "[1+1+1]", "['a', 'b']", "[", "]]", "2011-10-12 21:03", "True", '"']),
    st.text(alphabet="0123456789", min_size=1, max_size=25),
)


@st.composite
def io_csv(draw: st.DrawFn) -> bytes:
    rows = []
    for i in range(draw(st.integers(1, 8))):
        row = {
            "tweetid": str(10**15 + i),
            "userid": f"u{i}",
            "user_screen_name": f"n{i}",
            "follower_count": "10",
            "following_count": "20",
            "account_creation_date": "2011-01-01",
            "tweet_text": f"text {i}",
            "tweet_time": "2011-10-12 21:03",
            "is_retweet": "False",
            "retweet_tweetid": "",
            "hashtags": "",
            "urls": "",
            "user_mentions": "",
        }
        for column in draw(st.lists(st.sampled_from(IO_COLUMNS), max_size=3)):
            row[column] = draw(cells)
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, IO_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode()
    if draw(st.booleans()):
        data = data[: draw(st.integers(len(data) // 2, len(data)))]
    return data


@PROPERTY
@given(data=io_csv())
def test_mutated_io_rows_never_crash_and_land_typed(data: bytes) -> None:
    settings, counts = ingest_file("io.csv", data)
    assert counts["refused"] == 0 and unreadable_rejects(settings) == 0
    assert counts["tweet"] + counts["rejects"] + counts["blank"] >= 1
    assert counts["tweet"] <= data.count(b"\n")
    lake_is_typed(settings, counts["tweet"])


@PROPERTY
@given(
    elements=st.lists(
        st.one_of(values, st.builds(lambda i: {"tweet": v1_status(i, "me", "hi")}, st.integers(1, 10**12))),
        max_size=6,
    ),
    cut=st.integers(0, 400),
)
def test_mutated_arrays_and_tweets_js_never_crash(elements: list[Any], cut: int) -> None:
    body = json.dumps(elements).encode()
    body = body[: max(1, len(body) - cut)] if cut < 50 else body
    for name, data in (("a.json", body), ("tweets.js", b"window.YTD.tweets.part0 = " + body)):
        settings, counts = ingest_file(name, data)
        assert counts["refused"] == 0
        assert counts["tweet"] <= len(elements)
        if cut >= 50 and valid_json(body):  # the whole, valid document: every element is read
            assert counts["tweet"] + counts["rejects"] + counts["skip"] + counts["notice"] >= len(elements)
        lake_is_typed(settings, counts["tweet"])


tricky_strings = st.text(alphabet='ab"\\[]{}/u', max_size=8)
nested = st.recursive(
    st.one_of(tricky_strings, st.integers(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(tricky_strings, inner, max_size=3)),
    max_leaves=30,
)


def json_depth(value: Any) -> int:
    if isinstance(value, list | dict):
        items = value.values() if isinstance(value, dict) else value
        return 1 + max(map(json_depth, items), default=0)
    return 0


class Blocks(io.RawIOBase):
    """Bytes handed out `size` at a time, so that blocks end inside strings and escapes."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size = data, size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        block, self.data = self.data[: self.size], self.data[self.size :]
        return block


@PROPERTY
@given(value=nested, limit=st.integers(1, 8), size=st.integers(1, 9))
def test_the_depth_guard_passes_json_unchanged_and_stops_it_past_the_limit(
    value: Any, limit: int, size: int
) -> None:
    """Quotes, escaped quotes and backslashes and brackets inside strings, cut anywhere between
    blocks: the guard passes every byte of a document nested up to the limit, and of a deeper one
    every byte before the bracket that nests too deep, then raises."""
    raw = json.dumps(value).encode()
    guard = DepthGuard(Blocks(raw, size), limit)
    passed = b""
    try:
        while block := guard.read(7):
            passed += block
    except ValueError:
        assert json_depth(value) > limit
        cut = len(passed)
        assert raw.startswith(passed) and raw[cut : cut + 1] in (b"[", b"{")
        return
    assert json_depth(value) <= limit and passed == raw


def test_a_lone_brace_after_a_blank_line_is_a_broken_document_not_a_crash() -> None:
    """Found by exploration: `\\n{\\n` opens a pretty-printed document that never closes."""
    settings, counts = ingest_file("x.jsonl", b"\n{\n")
    assert counts["document"] == 1 and counts["rejects"] == 1 and counts["tweet"] == 0
    assert unreadable_rejects(settings) == 0


def reference_io_time(value: str) -> tuple[datetime, str]:
    """`parse_io_time` as it was before its fast path: strptime, then any other timestamp."""
    text = value.strip()[:64]
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M"), "minute"
    except ValueError:
        return parse_time(text), "second"


def outcome(parse: Callable[[str], object], value: str) -> object:
    try:
        return parse(value)
    except ValueError:
        return ValueError


# times as IO releases write them, and near misses: unpadded, out of range, other digits,
# another separator, seconds or a zone after the minutes
time_texts = st.builds(
    "{}-{}-{}{}{}:{}{}".format,
    st.sampled_from(["2011", "1999", "٢٠١١", "11"]),
    st.sampled_from(["10", "1", "02", "13", "00"]),
    st.sampled_from(["12", "5", "29", "31", "00"]),
    st.sampled_from([" ", " ", "T", "  "]),
    st.sampled_from(["21", "3", "00", "24"]),
    st.sampled_from(["03", "59", "60", "7"]),
    st.sampled_from(["", "", ":15", "Z", " +0000", " ", ".000Z"]),
)


@PROPERTY
@given(text=time_texts)
@example(text="2011-10-12 21:03")
@example(text="2011-10-12T21:03")  # ISO, not the IO form: read as a full timestamp
@example(text="2011-10-12 21:03:15")
@example(text="2011-1-5 3:07")  # unpadded: strptime's reading
@example(text="2011-02-29 21:03")
@example(text="٢٠١١-10-12 21:03")
def test_io_times_read_fast_as_strptime_reads_them(text: str) -> None:
    """The fast path for `2011-10-12 21:03` accepts, rejects and resolves exactly what strptime did."""
    assert outcome(parse_io_time, text) == outcome(reference_io_time, text)
    expected_date = outcome(lambda t: datetime.strptime(t.strip(), "%Y-%m-%d"), text[:10])
    if len(text[:10].strip()) == 10:
        assert outcome(optional_time, text[:10]) in (expected_date, None)
        assert (optional_time(text[:10]) is None) == (expected_date is ValueError)
