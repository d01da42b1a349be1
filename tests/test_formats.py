"""The same tweets written in every archive format ingest to the same records."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import pytest

from chorus.config import Settings
from chorus.ingest import ingest
from tools.synth import FORMATS, make_world, write_archive

FIELDS = "tweet_id, screen_name, text, is_retweet, retweeted_tweet_id, hashtags, urls, source"


@pytest.fixture(scope="module")
def by_format(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    world = make_world(seed=21, days=2, accounts=200, organic_per_day=150, campaigns_per_week=7)
    out: dict[str, list[tuple]] = {}
    for kind in FORMATS:
        folder = tmp_path_factory.mktemp(kind)
        truth = write_archive(world, folder, seed=21, formats=[kind])
        settings = Settings.make(folder / "home")
        summary = ingest([folder / "archive"], settings, progress=False)
        assert summary.total("rejects") == truth["malformed_lines"], kind
        pattern = str(settings.tweets_dir / "*" / "*.parquet")
        out[kind] = duckdb.execute(
            f"select {FIELDS}, created_at, user_id, mentions, time_precision "
            "from read_parquet(?) order by tweet_id",
            parameters=[pattern],
        ).fetchall()
    return out


@pytest.mark.parametrize("kind", [k for k in FORMATS if k != "v1"])
def test_format_gives_the_same_tweets_as_v1(by_format, kind: str) -> None:
    reference = by_format["v1"]
    other = by_format[kind]
    assert len(other) == len(reference) > 100
    width = len(FIELDS.split(","))
    assert [r[:width] for r in other] == [r[:width] for r in reference]


def test_second_resolution_formats_keep_time_and_authors(by_format) -> None:
    reference = by_format["v1"]
    for kind in ("v2", "twarc-csv", "array"):
        assert [r[8:11] for r in by_format[kind]] == [r[8:11] for r in reference], kind


def test_io_archive_has_minute_times_and_hashed_users(by_format) -> None:
    for io_row, v1_row in zip(by_format["io"], by_format["v1"], strict=True):
        assert io_row[8] == v1_row[8].replace(second=0)
        assert io_row[9] != v1_row[9] and len(io_row[9]) == 44
        assert io_row[11] == "minute"


def test_personal_archive_zip_takes_its_owner_from_account_js(tmp_path: Path) -> None:
    tweets = [
        {
            "tweet": {
                "id_str": "501",
                "created_at": "Wed Oct 12 21:03:15 +0000 2011",
                "full_text": "Ce soir le d\u00e9bat &amp; apr\u00e8s",
                "source": '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>',
                "entities": {"hashtags": [{"text": "PS"}], "user_mentions": [], "urls": []},
            }
        },
        {
            "tweet": {
                "id_str": "502",
                "created_at": "Wed Oct 12 21:05:00 +0000 2011",
                "full_text": "RT @fhollande: Rassembler",
                "source": "web",
                "entities": {"hashtags": [], "user_mentions": [], "urls": []},
            }
        },
    ]
    account = [
        {"account": {"accountId": "777", "username": "militante", "createdAt": "2010-02-01T10:00:00.000Z"}}
    ]
    archive = tmp_path / "twitter-2011.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(tweets))
        zf.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(account))
        zf.writestr("data/like.js", "window.YTD.like.part0 = []")
        zf.writestr("assets/images/x.png", b"\x89PNG")
    settings = Settings.make(tmp_path / "home")
    summary = ingest([archive], settings, progress=False)
    assert summary.total("tweet") == 2 and summary.total("rejects") == 0
    pattern = str(settings.tweets_dir / "*" / "*.parquet")
    rows = duckdb.execute(
        "select tweet_id, user_id, screen_name, text, is_retweet, retweeted_screen_name, source_format "
        "from read_parquet(?) order by 1",
        parameters=[pattern],
    ).fetchall()
    assert rows == [
        ("501", "777", "militante", "Ce soir le d\u00e9bat & apr\u00e8s", False, None, "personal-archive"),
        ("502", "777", "militante", "RT @fhollande: Rassembler", True, "fhollande", "personal-archive"),
    ]
    formats = sorted(f.format for f in summary.files)
    assert formats.count("skipped") == 3


def test_twarc_csv_with_json_encoded_text_is_decoded(tmp_path: Path) -> None:
    header = "id,author_id,author.username,created_at,text,source,entities.hashtags\n"
    rows = [
        '1,9,ann,2011-10-12T21:03:15.000Z,"""caf\\u00e9 \\""ensemble\\"" &amp; vite""",Twitter Web Client,'
        '"[{""tag"": ""PS""}]"\n',
        '2,9,ann,2011-10-12T21:04:15.000Z,"""second""",Twitter Web Client,\n',
    ]
    path = tmp_path / "export.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    settings = Settings.make(tmp_path / "home")
    summary = ingest([path], settings, progress=False)
    assert summary.files[0].format == "twarc-csv" and summary.total("tweet") == 2
    pattern = str(settings.tweets_dir / "*" / "*.parquet")
    texts = duckdb.execute(
        "select text, hashtags from read_parquet(?) order by tweet_id", parameters=[pattern]
    ).fetchall()
    assert texts == [('café "ensemble" & vite', ["PS"]), ("second", [])]
