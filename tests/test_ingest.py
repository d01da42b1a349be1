"""Ingest: every line accounted for, one row per tweet id, idempotent, hostile input refused."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from chorus import pipeline
from chorus.config import Settings
from chorus.ingest import formats, ingest
from tests.conftest import REAL_FIXTURES, chorus_cli, v1_status, write_jsonl


def lake_table(settings: Settings, table: str) -> list[tuple]:
    pattern = str(settings.audit_dir / table / "*.parquet")
    return duckdb.execute("select * from read_parquet(?)", parameters=[pattern]).fetchall()


def lake_tweet_count(settings: Settings) -> int:
    pattern = str(settings.tweets_dir / "*" / "*.parquet")
    return duckdb.execute("select count(*) from read_parquet(?)", parameters=[pattern]).fetchone()[0]


def test_sample_is_fully_accounted_for(built, sample, warehouse) -> None:
    _, truth = sample
    files = warehouse.execute(
        "select sum(tweets), sum(notices), sum(rejects), sum(lines - blanks) from audit.ingest_files"
    ).fetchone()
    tweets, notices, rejects, lines = files
    assert tweets == truth["tweets"]
    assert rejects == truth["malformed_lines"] > 0
    assert notices > 0
    assert lines == tweets + notices + rejects
    staged = warehouse.execute("select count(*) from staging.stg_tweets").fetchone()[0]
    assert staged == truth["tweets"] - len(truth["deleted"])
    deleted = warehouse.execute(
        "select count(*) from staging.stg_tweets where tweet_id in (select unnest(?::varchar[]))",
        parameters=[truth["deleted"]],
    ).fetchone()[0]
    assert deleted == 0, "tweets named by delete notices are removed"


def test_rerun_skips_files_already_ingested(tmp_path: Path, sample) -> None:
    settings = Settings.make(tmp_path / "home")
    first = ingest([sample[0]], settings, progress=False)
    parts = sorted(p.name for p in settings.tweets_dir.rglob("*.parquet"))
    second = ingest([sample[0]], settings, progress=False)
    assert first.new_files == len(list(sample[0].iterdir()))
    assert second.new_files == 0 and second.skipped_files == first.new_files
    assert sorted(p.name for p in settings.tweets_dir.rglob("*.parquet")) == parts


def test_tweetsets_fixture_loads_six_tweets_and_rejects_line_seven(tmp_path: Path) -> None:
    settings = Settings.make(tmp_path / "home")
    summary = ingest([REAL_FIXTURES / "TweetSets__spark-test-tweets.jsonl"], settings, progress=False)
    assert summary.total("tweet") == 6
    rejects = lake_table(settings, "rejects")
    assert [(r[2], r[3].split(":")[0]) for r in rejects] == [(7, "invalid JSON")]
    assert lake_tweet_count(settings) == 6


@pytest.mark.parametrize(
    ("name", "tweets"),
    [
        ("twarc-csv__brexit.jsonl", 100),
        ("twarc-csv__two_tweets.jsonl", 1),
        ("twarc-csv__cotweet.jsonl", 1),
    ],
)
def test_twarc2_pages_give_one_tweet_per_data_item_with_authors(
    tmp_path: Path, name: str, tweets: int
) -> None:
    settings = Settings.make(tmp_path / "home")
    source = REAL_FIXTURES / name
    summary = ingest([source], settings, progress=False)
    assert summary.total("tweet") == tweets
    assert summary.files[0].format == "twitter-v2-page"
    pattern = str(settings.tweets_dir / "*" / "*.parquet")
    missing = duckdb.execute(
        "select count(*) from read_parquet(?) where screen_name is null", parameters=[pattern]
    ).fetchone()[0]
    assert missing == 0, "authors resolved through includes.users"


def test_zip_slip_and_zip_bomb_are_refused_and_the_rest_goes_on(tmp_path: Path) -> None:
    good = "".join(
        f'{{"id_str": "{i}", "created_at": "Wed Oct 12 21:03:15 +0000 2011", '
        f'"text": "t {i}", "user": {{"id_str": "1", "screen_name": "a"}}}}\n'
        for i in range(1, 4)
    )
    archive = tmp_path / "in" / "bundle.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("../../escape.jsonl", good)
        zf.writestr("bomb.jsonl", b"0" * (50 * 1024 * 1024))
        zf.writestr("data/good.jsonl", good)
    settings = Settings.make(tmp_path / "home")
    summary = ingest([archive.parent], settings, progress=False)
    assert summary.total("tweet") == 3
    reasons = sorted(r[3] for r in lake_table(settings, "rejects"))
    assert any("zip slip" in r for r in reasons)
    assert any("zip bomb" in r for r in reasons)
    formats_seen = sorted(f[2] for f in lake_table(settings, "files"))
    assert formats_seen.count("refused") == 2


def test_oversized_line_is_rejected_without_holding_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(formats, "MAX_LINE", 1024)
    path = tmp_path / "in.jsonl"
    write_jsonl(
        path, [v1_status(1, "a", "short"), v1_status(2, "b", "x" * 5000), v1_status(3, "c", "short too")]
    )
    settings = Settings.make(tmp_path / "home")
    summary = ingest([path], settings, progress=False)
    assert summary.total("tweet") == 2
    (reject,) = lake_table(settings, "rejects")
    assert reject[2] == 2 and "longer than 1024" in reject[3]


def test_truncated_gzip_keeps_what_was_read_and_says_where_it_broke(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as gz:
        for i in range(1, 2001):
            gz.write((json.dumps(v1_status(i, f"user{i}", f"tweet number {i} " * 5)) + "\n").encode())
    data = buffer.getvalue()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    settings = Settings.make(tmp_path / "home")
    summary = ingest([path], settings, progress=False)
    assert 0 < summary.total("tweet") < 2000
    rejects = lake_table(settings, "rejects")
    assert rejects[-1][3].startswith("unreadable from here on")
    assert rejects[-1][2] == summary.total("tweet") + 1


def test_missing_path_is_one_clear_line(tmp_path: Path) -> None:
    done = chorus_cli("ingest", "--home", str(tmp_path / "h"), str(tmp_path / "nope.jsonl"))
    assert done.returncode == 2
    assert "nope.jsonl" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_paths_with_quotes_spaces_and_accents_build_end_to_end(tmp_path: Path, sample) -> None:
    home = tmp_path / 'l\'entrepôt "x" été'
    inputs = tmp_path / "ar'chive é"
    shutil.copytree(sample[0], inputs)
    done = chorus_cli("run", "-q", "--home", str(home), str(inputs))
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(home / "chorus.duckdb"), read_only=True)
    assert con.execute("select count(*) from marts.campaigns").fetchone()[0] > 0
    con.close()


def test_timestamps_before_twitter_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "old.jsonl"
    write_jsonl(
        path,
        [v1_status(1, "a", "ok"), v1_status(2, "b", "too old", created_at="Thu Jan 01 00:00:00 +0000 1970")],
    )
    settings = Settings.make(tmp_path / "home")
    summary = ingest([path], settings, progress=False)
    assert summary.total("tweet") == 1
    (reject,) = lake_table(settings, "rejects")
    assert reject[2] == 2 and "outside 2006-03-21" in reject[3]


def test_toolkit_csv_fixture_loads_with_retweets_and_urls(tmp_path: Path) -> None:
    settings = Settings.make(tmp_path / "home")
    summary = ingest([REAL_FIXTURES / "cnt__sample_data.csv"], settings, progress=False)
    assert summary.total("tweet") == 100 and summary.files[0].format == "toolkit-csv"
    pattern = str(settings.tweets_dir / "*" / "*.parquet")
    retweets, with_urls = duckdb.execute(
        "select count(*) filter (where is_retweet), count(*) filter (where len(urls) > 0) "
        "from read_parquet(?)",
        parameters=[pattern],
    ).fetchone()
    assert retweets > 0 and with_urls > 0


@pytest.mark.slow
def test_loading_in_two_steps_equals_loading_at_once(tmp_path: Path, sample) -> None:
    files = sorted(sample[0].iterdir())
    first_days = tmp_path / "days-1-4"
    first_days.mkdir()
    for path in files[:4]:
        shutil.copy(path, first_days)
    stepwise = Settings.make(tmp_path / "stepwise")
    pipeline.run([first_days], stepwise, progress=False)
    pipeline.run([sample[0]], stepwise, progress=False)
    at_once = Settings.make(tmp_path / "at-once")
    pipeline.run([sample[0]], at_once, progress=False)
    queries = [
        "select * exclude (file_sha256) from staging.stg_tweets order by tweet_id",
        "select * from marts.campaigns order by campaign_id",
        "select * from marts.campaign_tweets order by tweet_id",
        "select * from marts.party_weekly order by week_start, party",
        # the path is where each file was first seen; its content and counts must match
        "select sha256, format, lines, tweets, notices, rejects from audit.ingest_files order by sha256",
    ]
    for query in queries:
        with (
            duckdb.connect(str(stepwise.warehouse), read_only=True) as a,
            duckdb.connect(str(at_once.warehouse), read_only=True) as b,
        ):
            left, right = a.execute(query).fetchall(), b.execute(query).fetchall()
        assert left == right and left, query


def test_ingest_in_worker_processes_gives_the_lake_ingest_in_one_process_gives(
    tmp_path: Path, sample, caplog: pytest.LogCaptureFixture
) -> None:
    """A small archive is read in the calling process, a large one by worker processes: the lake
    holds the same rows either way."""
    serial = Settings.make(tmp_path / "serial")
    parallel = Settings.make(tmp_path / "parallel")
    ingest([sample[0]], serial, progress=False)  # the sample is small: read in this process
    ingest([sample[0]], parallel, progress=False, workers=2, parallel_from=0)
    assert "parallel ingest unavailable" not in caplog.text  # the workers did read it
    queries = [
        "select * from read_parquet({lake!r} || '/tweets/*/*.parquet', hive_partitioning=false)",
        "select * exclude (ingested_at) from read_parquet({lake!r} || '/_audit/files/*.parquet')",
        "select * from read_parquet({lake!r} || '/_audit/rejects/*.parquet')",
        "select * from read_parquet({lake!r} || '/_audit/notices/*.parquet')",
    ]
    with duckdb.connect() as con:
        for query in queries:
            left = sorted(con.execute(query.format(lake=str(serial.home / "lake"))).fetchall(), key=repr)
            right = sorted(con.execute(query.format(lake=str(parallel.home / "lake"))).fetchall(), key=repr)
            assert left == right and left, query
