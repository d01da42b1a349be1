"""Incremental builds: adding files to the lake and building again equals building everything at once."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chorus.build import build, generate_docs, project_fingerprint, published_file
from chorus.build.inputs import inputs_digest, published_inputs
from chorus.config import Settings
from chorus.errors import ValidationFailed
from chorus.ingest import ingest
from chorus.ingest.maintenance import remove
from chorus.pipeline import build_and_publish
from chorus.publish import publish, publish_docs

pytestmark = pytest.mark.slow  # every test here builds a warehouse

CACHES = ("int_text_normalised", "int_message_signatures")
# Published tables compared row for row (sorted), and the column that orders them.
COMPARED = {
    "staging.stg_tweets": "tweet_id",
    "marts.campaigns": "campaign_id",
    "marts.campaign_tweets": "tweet_id",
    "marts.account_pairs": "account_a, account_b, kind",
    "marts.party_daily": "day, party",
}


def rows(candidate: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(candidate), read_only=True) as con:
        return {
            table: con.sql(f"select * from {table} order by {order}").fetchall()
            for table, order in COMPARED.items()
        }


def snowflake_day(tweet_id: int) -> str:
    """The UTC day a tweet was posted, from its snowflake id."""
    return datetime.fromtimestamp(((tweet_id >> 22) + 1288834974657) / 1000, UTC).date().isoformat()


def ran_incrementally(settings: Settings, model: str) -> bool:
    """Whether dbt's last build appended to the cached `model` (instead of creating it)."""
    executed = next((settings.dbt_dir / "target" / "run").rglob(f"{model}.sql")).read_text()
    return "insert into" in executed.lower()


@pytest.fixture(scope="module")
def split_sample(
    sample: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The sample's days in two folders, plus a later file deleting a campaign tweet of the first."""
    archive, truth = sample
    files = sorted(archive.iterdir())
    first, later = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("later")
    for file in files[: len(files) // 2]:
        shutil.copy(file, first)
    for file in files[len(files) // 2 :]:
        shutil.copy(file, later)
    # a campaign tweet posted before the later files begin (its time is in its snowflake id)
    split_day = files[len(files) // 2].name.split("-", 1)[1][:10]
    campaign_tweets = [t for c in truth["campaigns"] for t in c["tweet_ids"]]
    deleted = next(
        t for t in campaign_tweets if t not in set(truth["deleted"]) and snowflake_day(int(t)) < split_day
    )
    notice = {"delete": {"status": {"id_str": deleted, "user_id_str": "1"}, "timestamp_ms": "1318500000000"}}
    (later / "compliance.jsonl").write_text(json.dumps(notice) + "\n")
    return first, later


def test_adding_files_then_building_equals_building_everything_at_once(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    first, later = split_sample
    stepwise = Settings.make(tmp_path / "stepwise")
    ingest([first], stepwise, progress=False)
    build(stepwise)
    assert not ran_incrementally(stepwise, "int_text_normalised")
    ingest([later], stepwise, progress=False)
    stepwise_rows = rows(build(stepwise))
    assert all(ran_incrementally(stepwise, model) for model in CACHES)

    at_once = Settings.make(tmp_path / "at-once")
    ingest([first, later], at_once, progress=False)
    at_once_rows = rows(build(at_once))

    assert at_once_rows["marts.campaigns"], "the sample has campaigns"
    for table in COMPARED:
        assert stepwise_rows[table] == at_once_rows[table], table


def test_the_deleted_tweet_is_gone_after_an_incremental_build(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    first, later = split_sample
    deleted = json.loads((later / "compliance.jsonl").read_text())["delete"]["status"]["id_str"]
    settings = Settings.make(tmp_path / "home")
    ingest([first], settings, progress=False)
    with duckdb.connect(str(build(settings)), read_only=True) as con:
        found = con.execute(
            "select count(*) from marts.campaign_tweets where tweet_id = ?", [deleted]
        ).fetchone()
        assert found == (1,)
    ingest([later], settings, progress=False)
    with duckdb.connect(str(build(settings)), read_only=True) as con:
        for table in ("staging.stg_tweets", "marts.campaign_tweets"):
            found = con.execute(f"select count(*) from {table} where tweet_id = ?", [deleted]).fetchone()
            assert found == (0,), table


def test_changed_rules_or_request_rebuild_the_caches(split_sample: tuple[Path, Path], tmp_path: Path) -> None:
    settings = Settings.make(tmp_path / "home")
    assert project_fingerprint(settings) == project_fingerprint(settings)
    assert project_fingerprint(settings, {"near_dup_jaccard": 0.7}) != project_fingerprint(settings)
    ingest([split_sample[0]], settings, progress=False)
    build(settings)
    build(settings, {"near_dup_jaccard": 0.7})
    assert not ran_incrementally(settings, "int_message_signatures")
    build(settings, {"near_dup_jaccard": 0.7}, full_refresh=True)
    assert not ran_incrementally(settings, "int_message_signatures")


def test_docs_are_regenerated_only_when_the_project_changes(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    settings = Settings.make(tmp_path / "home")
    ingest([split_sample[0]], settings, progress=False)
    build(settings)
    built_docs = settings.dbt_dir / "docs"
    assert (built_docs / "static_index.html").exists()
    publish_docs(settings)
    assert (settings.home / "docs" / "index.html").exists()

    shutil.rmtree(built_docs)
    generate_docs(settings)
    assert not built_docs.exists(), "same project: the published page still describes it"
    generate_docs(settings, {"near_dup_jaccard": 0.7})
    assert (built_docs / "static_index.html").exists()
    # once the candidate is published, the page is made from the warehouse's catalogue
    publish(settings, settings.candidate)
    shutil.rmtree(built_docs)
    generate_docs(settings, {"near_dup_jaccard": 0.8})
    catalogue = json.loads((built_docs / "catalog.json").read_text())
    assert any(node.endswith(".campaigns") for node in catalogue["nodes"])
    assert not published_file(settings.state).exists()


def test_a_build_with_nothing_new_is_skipped_and_anything_new_builds(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    """A scheduled build over a lake that has not changed publishes nothing new: it is skipped.
    A new input, an input taken out, another party reference, other vars, lost tweet parts or
    `full_refresh` each build again."""
    first, later = split_sample
    settings = Settings.make(tmp_path / "home")
    ingest([first], settings, progress=False)
    assert not build_and_publish(settings).current
    published = settings.warehouse.stat().st_mtime_ns
    again = build_and_publish(settings)
    assert again.current and again.success and again.suites
    assert settings.warehouse.stat().st_mtime_ns == published  # nothing written

    ingest([later], settings, progress=False)
    assert not build_and_publish(settings).current
    assert build_and_publish(settings).current
    assert not build_and_publish(settings, {"near_dup_jaccard": 0.7}).current
    assert not build_and_publish(settings).current  # the default vars again
    assert not build_and_publish(settings, full_refresh=True).current  # nothing new, but asked

    remove(settings, str(later / "compliance.jsonl"))
    assert not build_and_publish(settings).current
    parties = tmp_path / "parties.csv"
    parties.write_bytes(settings.parties.read_bytes() + b"PS,hashtag,unseulhashtag\n")
    assert not build_and_publish(replace(settings, parties=parties)).current
    assert build_and_publish(replace(settings, parties=parties)).current

    shutil.rmtree(next(settings.lake.path.glob("tweets/day=*")))  # damaged: the build says so
    with pytest.raises(ValidationFailed, match="chorus lake repair"):
        build_and_publish(replace(settings, parties=parties))


def test_the_inputs_digest_follows_what_a_build_reads(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    settings = Settings.make(tmp_path / "home")
    ingest([split_sample[0]], settings, progress=False)
    digest = inputs_digest(settings)
    assert digest == inputs_digest(settings)
    assert inputs_digest(settings, {"min_accounts": 4}) != digest
    assert inputs_digest(replace(settings, engine="spark")) != digest
    ingest([split_sample[1]], settings, progress=False)
    assert inputs_digest(settings) != digest
    assert published_inputs(settings) is None  # nothing published yet
