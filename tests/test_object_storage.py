"""The lake in an object store: moto's S3 server (from PyPI) stands in for the bucket."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from chorus.build import build
from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.ingest import ingest
from chorus.ingest.lake import TweetWriter
from chorus.storage import Lake
from tests.conftest import chorus_cli
from tests.test_incremental import rows
from tools.loopback import make_bucket


def test_a_lake_in_a_bucket_builds_the_same_warehouse_as_a_local_one(
    s3, sample, built, tmp_path: Path
) -> None:
    """`CHORUS_LAKE=s3://...`: ingest writes the objects, dbt reads them through DuckDB, and the
    published tables equal those of the local-lake build of the same archive."""
    fs = make_bucket(s3, "chorus-lake")
    env = {**s3, "CHORUS_LAKE": "s3://chorus-lake/team/lake"}
    home = tmp_path / "home"
    done = chorus_cli("run", "-q", "--home", str(home), str(sample[0]), env=env)
    assert done.returncode == 0, done.stderr
    assert not (home / "lake").exists()
    keys = fs.find("chorus-lake")
    assert keys and all(key.startswith("chorus-lake/team/lake/") for key in keys)
    assert not [key for key in keys if not key.endswith(".parquet")]  # no temporary names left
    inputs = len(list(sample[0].iterdir()))
    assert len(fs.glob("chorus-lake/team/lake/_audit/files/*.parquet")) == inputs
    assert fs.glob("chorus-lake/team/lake/tweets/day=*/*.parquet")
    assert rows(home / "chorus.duckdb") == rows(built[0].warehouse)

    again = chorus_cli("ingest", "-q", "--home", str(home), str(sample[0]), env=env)
    assert again.returncode == 0, again.stderr
    assert f"0 ingested, {inputs} already in the lake" in again.stdout
    assert fs.find("chorus-lake") == keys
    # nothing new: the build is skipped after one listing of the bucket's parts; one part gone
    # (its audit row left behind) and it builds, and says what to do
    done = chorus_cli("build", "--home", str(home), env=env)
    assert done.returncode == 0 and "is current" in done.stdout, done.stderr
    fs.rm(next(key for key in keys if "/tweets/day=" in key))
    done = chorus_cli("build", "--home", str(home), env=env)
    assert done.returncode == 1 and "chorus lake repair" in done.stderr, done.stderr


def test_an_input_without_its_audit_row_is_ignored_in_a_bucket(
    s3, sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit row, written last, marks an input complete on object storage too: tweets of an
    input cut off before it (a crashed worker) do not reach the warehouse. The endpoint here comes
    from `CHORUS_LAKE_OPTIONS`, the credentials from the environment."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.setenv(name, s3[name])
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    make_bucket(s3, "crash-lake")
    options = json.dumps({"endpoint_url": s3["AWS_ENDPOINT_URL"]})
    settings = Settings.make(tmp_path / "home", lake="s3://crash-lake/lake", lake_options=options)
    first = sorted(sample[0].iterdir())[0]
    summary = ingest([first], settings, progress=False, workers=1)
    complete = sum(result.counts["tweet"] for result in summary.files)
    cut_off = TweetWriter(settings.lake, "f" * 64)
    cut_off.add({"tweet_id": "1", "user_id": "u", "created_at": datetime(2011, 10, 12, 21, 0), "text": "cut"})
    cut_off.flush()
    assert settings.lake.exists("tweets", "day=2011-10-12", f"{'f' * 16}-00000.parquet")

    build(settings, docs=False)
    with duckdb.connect(str(settings.candidate), read_only=True) as con:
        deleted = con.execute(
            "select count(distinct tweet_id) from audit.stream_notices where kind = 'delete'"
        ).fetchone()[0]
        assert con.execute("select count(*) from staging.stg_tweets").fetchone() == (complete - deleted,)
        assert con.execute("select count(*) from staging.stg_tweets where tweet_id = '1'").fetchone() == (0,)


@pytest.mark.parametrize(
    ("lake", "options", "expected"),
    [
        ("s3://no-such-bucket/lake", None, "s3://no-such-bucket/lake/"),
        ("zz://bucket/lake", None, "zz://bucket/lake: no usable filesystem"),
        ("gs://bucket/lake", None, "gs://bucket/lake: install gcsfs to use this lake"),
        ("s3://chorus-lake/lake", "{not json", "CHORUS_LAKE_OPTIONS: not JSON"),
        ("s3://chorus-lake/lake", "[1]", "CHORUS_LAKE_OPTIONS: expected a JSON object"),
    ],
)
def test_storage_failures_are_one_line_errors(
    s3, sample, tmp_path: Path, lake: str, options: str | None, expected: str
) -> None:
    env = {**s3, "CHORUS_LAKE": lake, **({"CHORUS_LAKE_OPTIONS": options} if options else {})}
    done = chorus_cli("ingest", "-q", "--home", str(tmp_path / "h"), str(sample[0]), env=env)
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_lake_locations() -> None:
    """Local folders are made absolute (`file://` too); URLs keep their scheme, minus a trailing slash."""
    assert Lake.at("file:///tmp/x/../lake").root == "/tmp/lake"
    assert Lake.at("rel").path == Path("rel").resolve()
    remote = Lake.at("s3://b/p/", '{"endpoint_url": "http://h:1"}')
    assert (remote.root, remote.protocol, remote.is_local) == ("s3://b/p", "s3", False)
    assert remote.url("tweets", "*.parquet") == "s3://b/p/tweets/*.parquet"
    assert remote.duckdb_filesystems() == [{"fs": "s3", "endpoint_url": "http://h:1"}]
    assert Lake.at("/tmp/lake").duckdb_filesystems() == []
    with pytest.raises(ChorusError, match="not a local folder"):
        _ = remote.path
