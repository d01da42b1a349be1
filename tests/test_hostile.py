"""Hostile and broken inputs: each one is read as far as it can be, the rest of the run goes on,
and nothing crashes, escapes or blocks a later publication (issue 14's cases, one test each)."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import json
import os
import shutil
import signal
import struct
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chorus.config import Settings
from chorus.ingest import ingest
from chorus.ingest.formats import app_name
from chorus.ingest.tables import parse_list
from tests.conftest import chorus_cli, v1_status, write_jsonl


def lake_rows(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query over the lake: `tweets`, `rejects`, `notices` and `files` are its tables."""
    lake = settings.lake.path
    with duckdb.connect() as con:
        for table, pattern in (
            ("tweets", "tweets/*/*.parquet"),
            ("rejects", "_audit/rejects/*.parquet"),
            ("notices", "_audit/notices/*.parquet"),
            ("files", "_audit/files/*.parquet"),
        ):
            if any(lake.glob(pattern)):
                relation = con.read_parquet(str(lake / pattern), union_by_name=True)
                relation.create_view(table)
        return con.execute(sql).fetchall()


def ingest_bytes(tmp_path: Path, name: str, data: bytes) -> Settings:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    settings = Settings.make(tmp_path / "home")
    ingest([path], settings, progress=False, workers=1)
    return settings


def jsonl(*objects: dict[str, Any]) -> bytes:
    return "".join(json.dumps(o) + "\n" for o in objects).encode()


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


GOOD = [v1_status(i, f"user{i}", f"a perfectly ordinary tweet number {i}") for i in range(1, 6)]


# --- High 1: wrongly typed fields are coerced, nulled, or rejected; never a crash ---------------

TYPED_V1 = {
    "followers as text": ({"user": {"followers_count": "12"}}, "user_followers", 12),
    "followers beyond 64 bits": ({"user": {"followers_count": 1e30}}, "user_followers", None),
    "lang as a number": ({"lang": 5}, "lang", "5"),
    "screen_name as a number": ({"user": {"screen_name": 5}}, "screen_name", "5"),
    "reply id as a number": ({"in_reply_to_status_id_str": 5}, "in_reply_to_tweet_id", "5"),
    "hashtag text as a number": (
        {"entities": {"hashtags": [{"text": 5}], "user_mentions": "oops", "urls": [7, None]}},
        "hashtags",
        ["5"],
    ),
    "user created_at garbage": ({"user": {"created_at": ["x"]}}, "user_created_at", None),
    # a retweeted_status naming no post (or no author) keeps the tweet's own text: never "RT @None"
    "retweet of no post": ({"retweeted_status": {"id_str": None, "user": None}}, "text", "typed badly"),
    "retweet by nobody": (
        {"retweeted_status": {"id_str": "7", "text": "original", "user": None}},
        "text",
        "typed badly",
    ),
}


@pytest.mark.parametrize("case", sorted(TYPED_V1))
def test_wrongly_typed_v1_fields_are_coerced_or_left_null(tmp_path: Path, case: str) -> None:
    change, column, expected = TYPED_V1[case]
    status = v1_status(99, "someone", "typed badly")
    for key, value in change.items():
        status[key] = {**status[key], **value} if isinstance(status.get(key), dict) else value
    settings = ingest_bytes(tmp_path, "typed.jsonl", jsonl(GOOD[0], status, GOOD[1]))
    rows = dict(lake_rows(settings, f"select tweet_id, {column} from tweets"))
    assert set(rows) == {"1", "2", "99"}
    assert rows["99"] == expected


@pytest.mark.parametrize(
    ("tweet_id", "reason"),
    [("True", "not a tweet id"), (1.5e300, "not a tweet id"), ("9" * 5000, "not a tweet id"), (True, "")],
)
def test_junk_ids_are_rejects_with_their_raw_line_cut(tmp_path: Path, tweet_id: Any, reason: str) -> None:
    status = v1_status(1, "x", "junk id")
    status["id_str"] = tweet_id
    status["id"] = tweet_id
    settings = ingest_bytes(tmp_path, "junk.jsonl", jsonl(GOOD[1], status))
    assert lake_rows(settings, "select tweet_id from tweets") == [("2",)]
    ((line, why, raw),) = lake_rows(settings, "select line_no, reason, raw from rejects")
    assert line == 2 and reason in why and len(raw) <= 4096


def test_notice_with_numeric_ids_is_counted_and_applied(tmp_path: Path) -> None:
    delete = {"delete": {"status": {"id": 1, "id_str": 1, "user_id": 7, "user_id_str": 7}}}
    settings = ingest_bytes(tmp_path, "notices.jsonl", jsonl(GOOD[0], delete))
    assert lake_rows(settings, "select kind, tweet_id, user_id from notices") == [("delete", "1", "7")]


def test_v2_page_with_wrongly_typed_fields_keeps_every_good_tweet(tmp_path: Path) -> None:
    def tweet(i: int, **extra: Any) -> dict[str, Any]:
        return {
            "id": str(i),
            "text": f"tweet {i}",
            "created_at": "2021-05-01T09:27:19.000Z",
            "author_id": "5",
        }

    bad_time = {**tweet(2), "created_at": {"nested": True}}
    odd = {**tweet(3), "author_id": 5, "lang": 7, "entities": {"hashtags": [{"tag": 5}], "mentions": "x"}}
    page = {
        "data": [tweet(1), bad_time, odd, "not an object", tweet(4)],
        "includes": {"users": [{"id": "5", "username": 5, "public_metrics": {"followers_count": "12"}}, 3]},
    }
    settings = ingest_bytes(tmp_path, "page.jsonl", jsonl(page))
    rows = lake_rows(settings, "select tweet_id, user_id, screen_name, user_followers from tweets order by 1")
    assert rows == [("1", "5", "5", 12), ("3", "5", "5", 12), ("4", "5", "5", 12)]
    reasons = [r[0] for r in lake_rows(settings, "select reason from rejects order by reason")]
    assert len(reasons) == 2 and reasons[0].startswith("data[1]") and reasons[1].startswith("data[3]")


IO_HEADER = (
    "tweetid,userid,user_screen_name,follower_count,account_creation_date,tweet_text,tweet_time,hashtags\n"
)


def test_io_csv_with_huge_counts_and_hostile_list_cells(tmp_path: Path) -> None:
    rows = [
        '1,u1,alice,100000000000000000000,2011-01-01,"hello there",2011-10-12 21:03,"[1+1+1]"',
        f'2,u2,bob,12,2011-01-01,"hello again",2011-10-12 21:04,"[{"+1" * 50_000}]"',
        f'3,u3,carol,7,2011-01-01,"and again",2011-10-12 21:05,"[{"-" * 200_000}1]"',
        '4,u4,dave,"12",not-a-date,"fourth",2011-10-12 21:06,"[\'a\', \'b\']"',
    ]
    settings = ingest_bytes(tmp_path, "io.csv", (IO_HEADER + "\n".join(rows) + "\n").encode())
    found = lake_rows(
        settings, "select tweet_id, user_followers, user_created_at, hashtags from tweets order by 1"
    )
    assert [r[0] for r in found] == ["1", "2", "3", "4"]
    assert found[0][1] is None and found[1][1] == 12
    assert found[3][2] is None and found[3][3] == ["a", "b"]
    assert all(len(tag) <= 2048 for r in found for tag in r[3])


@pytest.mark.parametrize("stray_at", [3, 1296])
def test_a_quote_left_open_in_a_csv_costs_its_row_not_the_rows_after_it(
    tmp_path: Path, stray_at: int
) -> None:
    """A stray `"` opening a text field made the CSV reader swallow every row after it into one
    field: one reject, and the rest of the file gone without a trace. The record's lines after
    its first are read again; a text over several lines, quoted as it should be, stays whole."""
    texts = {i: f"tweet number {i}" for i in range(1, 1301)}  # no quote to close the stray one
    texts[2] = '"a text\nover two lines, with ""quotes"""'
    texts[stray_at] = '"a quote left open, tweet ' + str(stray_at)
    rows = [f"{i},u{i % 7},user{i},1,2011-01-01,{text},2011-10-12 21:03,[]" for i, text in texts.items()]
    settings = ingest_bytes(tmp_path, "io.csv", (IO_HEADER + "\n".join(rows) + "\n").encode())
    ids = [int(i) for (i,) in lake_rows(settings, "select tweet_id from tweets")]
    assert sorted(ids) == [i for i in range(1, 1301) if i != stray_at]
    rejects = lake_rows(settings, "select line_no, reason from rejects")
    assert [line for line, _ in rejects] == [stray_at + 2]  # the header, the text over two lines
    assert "read again" in rejects[0][1]
    assert lake_rows(settings, "select text from tweets where tweet_id = '2'") == [
        ('a text\nover two lines, with "quotes"',)
    ]


def test_python_list_cells_are_read_without_evaluation() -> None:
    assert parse_list("['a', \"b'c\", d]") == ["a", "b'c", "d"]
    assert parse_list("[__import__('os').system('echo pwned')]") != []  # read as text, never run
    assert len(parse_list("[" + "[" * 100_000 + "]")) <= 1


# --- High 2: corrupt compressed inputs are rejects, never crashes --------------------------------


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corrupt_crc(data: bytes) -> bytes:
    """A zip whose only member's CRC (local header and central directory) is wrong."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        at = out.find(signature)
        out[at + offset : at + offset + 4] = struct.pack("<I", 0xDEADBEEF)
    return bytes(out)


def understated(data: bytes) -> bytes:
    """A zip whose member says it decompresses to 10 bytes."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        out[at + offset : at + offset + 4] = struct.pack("<I", 10)
    return bytes(out)


def encrypted(data: bytes) -> bytes:
    """A zip whose member is flagged as encrypted."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        out[at + offset] |= 0x1
    return bytes(out)


TWEETS = jsonl(*GOOD)
CORRUPT = {
    "gzip cut to 15 bytes": ("a.jsonl.gz", gz(TWEETS)[:15]),
    "bad gzip header": ("b.jsonl.gz", b"\x1f\x8b\x08\xff" + os.urandom(200)),
    "garbage bz2": ("c.jsonl.bz2", b"BZh9" + os.urandom(300)),
    "small cut bz2": ("d.jsonl.bz2", bz2.compress(TWEETS)[:40]),
    "truncated zip": ("e.zip", zip_with({"t.jsonl": TWEETS})[:60]),
    "bad crc member": ("f.zip", corrupt_crc(zip_with({"t.jsonl": TWEETS}))),
    "understated size": ("g.zip", understated(zip_with({"t.jsonl": TWEETS}))),
    "encrypted member": ("h.zip", encrypted(zip_with({"t.jsonl": TWEETS}))),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_compressed_input_is_a_reject_and_the_run_goes_on(tmp_path: Path, case: str) -> None:
    name, data = CORRUPT[case]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "z-good.jsonl").write_bytes(jsonl(v1_status(77, "fine", "still read")))
    settings = Settings.make(tmp_path / "home")
    summary = ingest([folder], settings, progress=False, workers=1)
    assert ("77",) in lake_rows(settings, "select tweet_id from tweets")
    broken = [f for f in summary.files if name in f.path]
    assert broken and all(f.counts["rejects"] >= 1 for f in broken), case
    reasons = " ".join(r[0] for r in lake_rows(settings, "select reason from rejects"))
    assert any(word in reasons for word in ("unreadable", "encrypted", "invalid")), reasons


def test_gzip_and_bz2_inside_a_zip_are_read_and_a_nested_zip_is_refused(tmp_path: Path) -> None:
    data = zip_with(
        {
            "a.jsonl.gz": gz(jsonl(GOOD[0])),
            "b.jsonl.bz2": bz2.compress(jsonl(GOOD[1])),
            "inner.zip": zip_with({"c.jsonl": jsonl(GOOD[2])}),
        }
    )
    settings = ingest_bytes(tmp_path, "outer.zip", data)
    assert sorted(lake_rows(settings, "select tweet_id from tweets")) == [("1",), ("2",)]
    (reason,) = lake_rows(settings, "select reason from rejects")
    assert "zip inside a zip" in reason[0]


def test_macos_metadata_in_a_zip_is_skipped_as_such_not_read_as_data(tmp_path: Path) -> None:
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02" + bytes(range(256)) * 8
    data = zip_with(
        {
            "tweets.jsonl": jsonl(GOOD[0], GOOD[1]),
            "__MACOSX/._tweets.jsonl": apple_double,
            ".DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(200),
            "sub/._notes.jsonl": apple_double,
        }
    )
    settings = ingest_bytes(tmp_path, "from_a_mac.zip", data)
    assert sorted(lake_rows(settings, "select tweet_id from tweets")) == [("1",), ("2",)]
    assert lake_rows(settings, "select count(*) from rejects") == [(0,)]  # no junk read as lines
    notes = dict(lake_rows(settings, "select split_part(path, '!', 2), note from files"))
    assert notes.pop("tweets.jsonl") is None
    assert sorted(notes) == [".DS_Store", "__MACOSX/._tweets.jsonl", "sub/._notes.jsonl"]
    assert all("macOS metadata" in note for note in notes.values())


# --- High 3: a path is never read as a pattern ----------------------------------------------------


@pytest.mark.slow
def test_home_with_glob_characters_publishes_only_its_own_lake(tmp_path: Path) -> None:
    sibling, bracketed = tmp_path / "h1", tmp_path / "h[1]"
    for home, screen in ((sibling, "other"), (bracketed, "mine")):
        archive = tmp_path / f"{screen}.jsonl"
        write_jsonl(
            archive,
            [v1_status(i + (100 if screen == "mine" else 0), screen, f"{screen} {i}") for i in range(3)],
        )
        done = chorus_cli("run", "-q", "--home", str(home), str(archive))
        assert done.returncode == 0, done.stderr
    with duckdb.connect(str(bracketed / "chorus.duckdb"), read_only=True) as con:
        names = con.execute("select distinct screen_name from staging.stg_tweets").fetchall()
    assert names == [("mine",)]


# --- High 7: memory stays bounded for bombs and giant fields -------------------------------------


def peak_rss_mib(*args: str) -> tuple[int, float]:
    """Run the CLI under a fresh parent and return (exit code, the largest RSS in MiB of any
    process of the run: the CLI and the workers it starts)."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "chorus"
    probe = (
        "import resource, subprocess, sys; "
        "code = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(exe), *args], capture_output=True, text=True, check=True
    )
    code, kib = done.stdout.split()
    return int(code), int(kib) / 1024


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["bomb.json.gz", "field.csv.gz", "array.json", "tweets.js"],
)
def test_hostile_file_costs_under_a_gib_and_is_refused_or_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / "in" / name
    path.parent.mkdir()
    if name == "bomb.json.gz":
        with gzip.open(path, "wb", compresslevel=9) as out:
            out.write(b"[" + b" " * (600 * 1024 * 1024))
    elif name == "field.csv.gz":
        with gzip.open(path, "wb", compresslevel=9) as out:
            out.write(
                IO_HEADER.encode()
                + b'1,u,a,1,2011-01-01,"'
                + b"x" * (300 * 1024 * 1024)
                + b'",2011-10-12 21:03,\n'
            )
    else:
        prefix = b"window.YTD.tweets.part0 = " if name == "tweets.js" else b""
        element = json.dumps(
            {"tweet": v1_status(1, "a", "x" * 200)} if prefix else v1_status(1, "a", "x" * 200)
        )
        with path.open("wb") as out:
            out.write(prefix + b"[")
            for i in range(200_000):
                out.write((element.replace('"1"', f'"{i + 1}"', 1) + ",").encode())
            out.write(element.encode() + b"]")
    code, peak = peak_rss_mib("ingest", "-q", "--home", str(tmp_path / "home"), str(path.parent))
    assert code == 0
    assert peak < 1024, f"{name}: peak {peak:.0f} MiB"


@pytest.mark.parametrize("container", ["lines", "array", "tweets.js"])
def test_nesting_too_deep_for_a_tweet_is_refused_and_what_came_before_kept(
    tmp_path: Path, container: str
) -> None:
    """A tweet carrying 40,000 nested brackets: the streaming JSON reader's memory grows with the
    square of the depth (100,000 levels, a 200 KB line, took over 20 GB), so documents nested
    deeper than any tweet are refused where the nesting starts; the tweets before it are kept
    (in the same block of the stream too)."""
    deep = json.dumps(v1_status(99, "deep", "nested")).encode()[:-1] + b', "x": ' + b"[" * 40_000
    deep += b"]" * 40_000 + b"}"
    good = [json.dumps(status).encode() for status in GOOD]
    if container == "lines":
        name, data = "deep.jsonl", deep + b"\n" + b"\n".join(good) + b"\n"
    else:
        name = "deep.json" if container == "array" else "tweets.js"
        prefix = b"window.YTD.tweets.part0 = " if container == "tweets.js" else b""
        wrap = (lambda raw: b'{"tweet": ' + raw + b"}") if prefix else (lambda raw: raw)
        data = prefix + b"[" + b",".join([*map(wrap, good), wrap(deep)]) + b"]"
    settings = ingest_bytes(tmp_path, name, data)
    reasons = [reason for (reason,) in lake_rows(settings, "select reason from rejects")]
    # JSON lines are parsed one by one (orjson stops at 1,024 levels); a document is streamed
    refusal = "depth limit exceeded" if container == "lines" else "nested deeper than 512 levels"
    assert len(reasons) == 1 and refusal in reasons[0], reasons
    assert lake_rows(settings, "select sum(tweets) from files") == [(len(GOOD),)]


def test_a_string_longer_than_any_tweet_is_refused_without_stalling(tmp_path: Path) -> None:
    """ijson builds a long string in time that grows with the square of its length (a 600 MB one,
    2.7 MB gzip'd, ran for over ten minutes): a document is refused from a string of more than
    2 MB (a tweet's whole text, escaped, fits), the elements before it kept."""
    long_one = json.dumps(v1_status(99, "long", "x")).replace('"x"', '"' + "y" * (3 << 20) + '"', 1)
    data = ("[" + ",".join([*map(json.dumps, GOOD), long_one]) + "]").encode()
    settings = ingest_bytes(tmp_path, "long.json.gz", gz(data))
    assert lake_rows(settings, "select reason from rejects") == [
        ("invalid JSON from here on: a JSON string longer than 2097152 bytes",)
    ]
    assert lake_rows(settings, "select sum(tweets) from files") == [(len(GOOD),)]


def test_json_lines_longer_than_the_look_ahead_are_lines_and_a_broken_one_is_one_reject(
    tmp_path: Path,
) -> None:
    """twarc2 writes a page of up to 100 tweets and their expansions per line, often hundreds of
    KB: longer than the sniffer's 64 KB look-ahead. Read as one document, a line cut short lost
    every line after it; read as lines, it is one reject and every other page is kept."""
    filler = "x" * 100_000  # a long author description makes each page line ~100 KB
    pages = [
        json.dumps(
            {
                "data": [
                    {"id": str(page * 10 + i), "text": f"page {page} tweet {i}", "author_id": "7",
                     "created_at": "2011-10-12T20:00:00.000Z"}
                    for i in range(3)
                ],
                "includes": {"users": [{"id": "7", "username": "someone", "description": filler}]},
            }
        ).encode()
        for page in range(1, 5)
    ]  # fmt: skip
    pages[1] = pages[1][: len(pages[1]) // 2]  # cut short, as an interrupted collection leaves it
    settings = ingest_bytes(tmp_path, "pages.jsonl", b"\n".join(pages) + b"\n")
    assert lake_rows(settings, "select sum(tweets), sum(lines) from files") == [(9, 4)]
    assert [line for (line,) in lake_rows(settings, "select line_no from rejects")] == [2]


# --- Medium ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("first", [b'"text": "cut off mid-way"}', b"null", b"42", b"[]"])
def test_first_line_does_not_decide_the_whole_file(tmp_path: Path, first: bytes) -> None:
    settings = ingest_bytes(tmp_path, "lines.jsonl", first + b"\n" + jsonl(*GOOD))
    assert len(lake_rows(settings, "select * from tweets")) == len(GOOD)
    assert lake_rows(settings, "select line_no from rejects") == [(1,)]


def test_byte_order_marks_are_stripped(tmp_path: Path) -> None:
    lines = ingest_bytes(tmp_path / "a", "bom.jsonl", b"\xef\xbb\xbf" + jsonl(*GOOD))
    array = ingest_bytes(tmp_path / "b", "bom.json", b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    for settings in (lines, array):
        assert len(lake_rows(settings, "select * from tweets")) == len(GOOD)
        assert lake_rows(settings, "select * from rejects") == []


def test_truncated_array_and_cr_line_ends_keep_every_complete_tweet(tmp_path: Path) -> None:
    text = json.dumps(GOOD)
    cut = ingest_bytes(tmp_path / "a", "cut.json", text[: len(text) - 40].encode())
    assert len(lake_rows(cut, "select * from tweets")) == len(GOOD) - 1
    assert "from here on" in lake_rows(cut, "select reason from rejects")[0][0]
    mac = ingest_bytes(tmp_path / "b", "mac.jsonl", jsonl(*GOOD).replace(b"\n", b"\r"))
    assert len(lake_rows(mac, "select * from tweets")) == len(GOOD)


def test_pretty_printed_documents_are_streamed(tmp_path: Path) -> None:
    page = {"data": [{"id": "5", "text": "hi", "created_at": "2021-05-01T09:27:19.000Z", "author_id": "1"}]}
    settings = ingest_bytes(tmp_path, "page.json", json.dumps(page, indent=2).encode())
    assert lake_rows(settings, "select tweet_id from tweets") == [("5",)]


def test_anchor_parsing_is_linear() -> None:
    def too_slow(*_: Any) -> None:
        raise TimeoutError("app_name took more than 5 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        name, _ = app_name('<a href="x"' + "<a " * 60_000 + ">")
        assert name is not None and len(name) <= 2048
        assert app_name('<a href="http://a.example/x" rel="nofollow">Twitpop &amp; co</a>') == (
            "Twitpop & co",
            "http://a.example/x",
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_time_offsets_are_converted_to_utc_and_grailbird_times_read(tmp_path: Path) -> None:
    plus_two = v1_status(1, "a", "two hours ahead", created_at="Wed Oct 12 23:03:15 +0200 2011")
    grailbird = v1_status(2, "b", "grailbird", created_at="2011-10-12 21:03:15 +0000")
    settings = ingest_bytes(tmp_path, "times.jsonl", jsonl(plus_two, grailbird))
    times = {r[0]: r[1].isoformat() for r in lake_rows(settings, "select tweet_id, created_at from tweets")}
    assert times == {"1": "2011-10-12T21:03:15", "2": "2011-10-12T21:03:15"}


def test_grailbird_archive_yields_its_tweets(tmp_path: Path) -> None:
    tweets = [{k: v for k, v in s.items() if k != "full_text"} | {"text": s["full_text"]} for s in GOOD[:3]]
    for t in tweets:
        t["created_at"] = "2011-10-12 21:03:15 +0000"
    body = b"Grailbird.data.tweets_2011_10 = \n" + json.dumps(tweets, indent=1).encode()
    data = zip_with(
        {
            "data/js/tweets/2011_10.js": body,
            "data/js/user_details.js": b'var user_details = {"id": "9", "screen_name": "me"}',
        }
    )
    settings = ingest_bytes(tmp_path, "grailbird.zip", data)
    assert len(lake_rows(settings, "select * from tweets")) == 3


def test_run_over_a_folder_holding_its_own_home_never_ingests_it(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", GOOD)
    for _ in range(2):
        done = chorus_cli("ingest", "-q", str(tmp_path), env={"CHORUS_HOME": str(tmp_path / "warehouse")})
        assert done.returncode == 0, done.stderr
    settings = Settings.make(tmp_path / "warehouse")
    assert lake_rows(settings, "select count(*) from files") == [(1,)]


def test_fifo_device_and_outside_symlink_are_refused_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", GOOD[:1])
    os.mkfifo(folder / "pipe.jsonl")
    secret = tmp_path / "secret.jsonl"
    write_jsonl(secret, GOOD[1:2])
    (folder / "link.jsonl").symlink_to(secret)
    settings = Settings.make(tmp_path / "home")
    ingest([folder, Path("/dev/zero")], settings, progress=False, workers=1)
    assert lake_rows(settings, "select tweet_id from tweets") == [("1",)]
    reasons = sorted(r[0] for r in lake_rows(settings, "select reason from rejects"))
    assert len(reasons) == 3
    assert sum("not a regular file" in r for r in reasons) == 2 and any(
        "outside the input" in r for r in reasons
    )


def test_duplicated_csv_column_is_refused_not_guessed(tmp_path: Path) -> None:
    header = "tweetid,userid,tweet_text,tweet_time,tweet_text\n"
    settings = ingest_bytes(tmp_path, "dup.csv", (header + '1,u,"a","2011-10-12 21:03","b"\n').encode())
    assert not list(settings.lake.path.glob("tweets/*/*.parquet"))
    rejected = lake_rows(settings, "select line_no, reason from rejects order by line_no")
    assert [line for line, _ in rejected] == [1, 2]  # the header too: nothing read is dropped unseen
    assert all("tweet_text twice" in reason for _, reason in rejected)


def test_a_one_line_csv_nobody_knows_is_a_reject_not_a_header_dropped(tmp_path: Path) -> None:
    settings = ingest_bytes(tmp_path, "row.csv", b"1183,u7,2016-01-01 00:00,no header above me\n")
    ((line, reason, raw),) = lake_rows(settings, "select line_no, reason, raw from rejects")
    assert (line, raw) == (1, "1183,u7,2016-01-01 00:00,no header above me")
    assert "unrecognised CSV header" in reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_read_as_their_text(tmp_path: Path, encoding: str) -> None:
    """Windows tools save "Unicode" text as UTF-16 with a byte-order mark: read, never lost."""
    status = {
        "id_str": "5",
        "created_at": "Mon Oct 10 20:00:00 +0000 2011",
        "text": "élan ✊ 𝕏 vote",
        "user": {"id_str": "u1", "screen_name": "zoé"},
    }
    body = json.dumps(status, ensure_ascii=False) + "\r\n" + "not json\r\n"
    data = body.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    settings = ingest_bytes(tmp_path, "wide.jsonl", data)
    assert lake_rows(settings, "select text, screen_name from tweets") == [("élan ✊ 𝕏 vote", "zoé")]
    assert lake_rows(settings, "select line_no from rejects") == [(2,)]
    (detail,) = lake_rows(settings, "select detail from notices where kind = 'encoding'")[0]
    assert detail.startswith("utf-32" if "32" in encoding else "utf-16")  # the encoding is on record


def test_recognised_non_tweet_pages_are_skipped_with_a_reason(tmp_path: Path) -> None:
    from tests.conftest import REAL_FIXTURES

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("users", "lists", "counts", "tweets_compliance"):
        shutil.copy(REAL_FIXTURES / f"twarc-csv__{name}.jsonl", folder)
    settings = Settings.make(tmp_path / "home")
    summary = ingest([folder], settings, progress=False, workers=1)
    assert summary.total("tweet") == 0 and summary.total("rejects") == 0
    notes = dict(lake_rows(settings, "select regexp_extract(path, '__(.*)\\.jsonl', 1), note from files"))
    assert "users" in notes["users"] and "lists" in notes["lists"] and "counts" in notes["counts"]
    assert lake_rows(settings, "select distinct kind from notices") == [("compliance",)]


def test_a_broken_tweets_js_is_one_reject_with_a_one_line_reason(tmp_path: Path) -> None:
    settings = ingest_bytes(tmp_path, "tweets.js", b"window.YTD.tweets.part0 = {garbage")
    ((line, reason),) = lake_rows(settings, "select line_no, reason from rejects")
    assert line == 1 and "from here on" in reason and "\n" not in reason
