"""Incremental builds: adding files to the lake and building again equals building everything at once."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
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
from tests.conftest import v1_status, write_jsonl

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


def rows(candidate: Path, compared: dict[str, str] = COMPARED) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(candidate), read_only=True) as con:
        return {
            table: con.sql(f"select * from {table} order by {order}").fetchall()
            for table, order in compared.items()
        }


def snowflake_day(tweet_id: int) -> str:
    """The UTC day a tweet was posted, from its snowflake id."""
    return datetime.fromtimestamp(((tweet_id >> 22) + 1288834974657) / 1000, UTC).date().isoformat()


def ran_incrementally(settings: Settings, model: str) -> bool:
    """Whether dbt's last build appended to the kept `model` (instead of creating it: a contract's
    table is created, then filled)."""
    executed = next((settings.dbt_dir / "target" / "run").rglob(f"{model}.sql")).read_text()
    return "insert into" in executed.lower() and re.search(r"create\s+table", executed, re.IGNORECASE) is None


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


def holding(candidate: Path, tweet_id: str) -> dict[str, int]:
    """How many rows of the published tweets and campaign tweets are `tweet_id`'s."""
    counted = {}
    with duckdb.connect(str(candidate), read_only=True) as con:
        for table in ("staging.stg_tweets", "marts.campaign_tweets"):
            found = con.execute(f"select count(*) from {table} where tweet_id = ?", [tweet_id]).fetchone()
            counted[table] = int(found[0]) if found else -1
    return counted


def test_adding_files_then_building_equals_building_everything_at_once(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    """The later files (a delete notice among them) built on the first ones equal all built at
    once, and the campaign tweet the notice names is gone from the published tables."""
    first, later = split_sample
    deleted = json.loads((later / "compliance.jsonl").read_text())["delete"]["status"]["id_str"]
    stepwise = Settings.make(tmp_path / "stepwise")
    ingest([first], stepwise, progress=False)
    assert holding(build(stepwise), deleted) == {"staging.stg_tweets": 1, "marts.campaign_tweets": 1}
    assert not ran_incrementally(stepwise, "int_text_normalised")
    ingest([later], stepwise, progress=False)
    candidate = build(stepwise)
    assert holding(candidate, deleted) == {"staging.stg_tweets": 0, "marts.campaign_tweets": 0}
    stepwise_rows = rows(candidate)
    assert all(ran_incrementally(stepwise, model) for model in CACHES)

    at_once = Settings.make(tmp_path / "at-once")
    ingest([first, later], at_once, progress=False)
    at_once_rows = rows(build(at_once))

    assert at_once_rows["marts.campaigns"], "the sample has campaigns"
    for table in COMPARED:
        assert stepwise_rows[table] == at_once_rows[table], table


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


def staged(settings: Settings, candidate: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The published tweets and the build state's per-tweet rows (normalised, party signals) and
    accounts, sorted."""
    with duckdb.connect(str(candidate), read_only=True) as con:
        tweets = con.sql("select * from staging.stg_tweets order by tweet_id").fetchall()
    with duckdb.connect(str(settings.state), read_only=True) as con:
        normalised = con.sql("select * from intermediate.int_tweets_normalised order by tweet_id").fetchall()
        signals = con.sql("select * from intermediate.int_tweet_party_signals order by all").fetchall()
        accounts = con.sql("select * from intermediate.int_accounts order by user_id").fetchall()
        leans = con.sql("select * from intermediate.int_account_leans order by user_id").fetchall()
    return {
        "stg_tweets": tweets,
        "int_tweets_normalised": normalised,
        "int_tweet_party_signals": signals,
        "int_accounts": accounts,
        "int_account_leans": leans,
    }


def affected_days(settings: Settings) -> set[str]:
    with duckdb.connect(str(settings.state), read_only=True) as con:
        return {
            str(day) for (day,) in con.sql("select day from intermediate.int_lake_days_affected").fetchall()
        }


def october(day: int, time: str) -> str:
    """A v1.1 created_at in October 2011."""
    return datetime(2011, 10, day, tzinfo=UTC).strftime(f"%a %b %d {time}:00 +0000 %Y")


def test_a_build_stages_again_only_the_days_that_changed_and_equals_a_full_build(tmp_path: Path) -> None:
    """Files added and removed, a deletion that comes in and goes away, and one tweet id whose two
    archives disagree on its day: each incremental build stages the changed days (and the days of
    the ids they share) and equals a full build of the same lake."""
    ps = {"hashtags": [{"text": "PS"}], "user_mentions": [], "urls": []}  # a party signal (the seed's PS)
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [
            v1_status(100, "ana", "la gauche rassemblee #PS", created_at=october(12, "21:03"), entities=ps),
            v1_status(200, "bob", "un autre message ici", created_at=october(12, "22:00")),
            v1_status(300, "cyd", "le troisieme message du jour", created_at=october(13, "09:00")),
            v1_status(310, "eve", "et un quatrieme pour finir", created_at=october(13, "11:00")),
            # tweet 500 on two days: its best record (the longer text) on the 11th, which no step
            # changes, though its other record lies on the 12th, which tweet 100 makes affected
            v1_status(500, "fay", "un message du mardi soir", created_at=october(11, "23:50")),
            v1_status(500, "fay", "un message", created_at=october(12, "00:10")),
        ],
    )
    # tweet 100 again, dated a day later with a longer text: its best record, on the 14th
    later = write_jsonl(
        tmp_path / "later.jsonl",
        [
            v1_status(
                100, "ana", "la gauche rassemblee ce soir #PS", created_at=october(14, "08:00"), entities=ps
            ),
            v1_status(400, "dan", "encore un message du vendredi", created_at=october(14, "10:00")),
            # gus's only tweet, with a party signal: he leans to PS while this file is in the lake
            v1_status(410, "gus", "gus aussi vote #PS", created_at=october(14, "11:00"), entities=ps),
        ],
    )
    deletion = write_jsonl(
        tmp_path / "deletion.jsonl",
        [{"delete": {"status": {"id_str": "300", "user_id_str": "u-cyd"}, "timestamp_ms": "1318500000000"}}],
    )
    settings = Settings.make(tmp_path / "home")
    steps: list[tuple[str, Any, set[str]]] = [
        (
            "a file adds a day and a better record of an old tweet",
            lambda: ingest([later], settings, progress=False),
            {"2011-10-12", "2011-10-14"},
        ),
        ("a deletion comes in", lambda: ingest([deletion], settings, progress=False), {"2011-10-13"}),
        (
            "the file with the best record goes",
            lambda: remove(settings, str(later)),
            {"2011-10-12", "2011-10-14"},
        ),
        ("the deletion goes", lambda: remove(settings, str(deletion)), {"2011-10-13"}),
    ]
    ingest([first], settings, progress=False)
    build(settings)
    assert affected_days(settings) == {"2011-10-11", "2011-10-12", "2011-10-13"}
    leaning = []
    for step, change, days in steps:
        change()
        stepwise = staged(settings, build(settings))
        for model in ("int_tweets_deduplicated", "int_accounts", "int_account_leans"):
            assert ran_incrementally(settings, model), (step, model)
        assert affected_days(settings) == days, step
        assert stepwise == staged(settings, build(settings, full_refresh=True)), step
        leaning.append({row[0]: row[1] for row in stepwise["int_account_leans"]})
    # ana leans to PS throughout; gus only while the file with his one tweet is in the lake
    assert [lean.get("u-ana") for lean in leaning] == ["PS"] * 4
    assert [lean.get("u-gus") for lean in leaning] == ["PS", "PS", None, None]
    tweets = {row[0]: row for row in stepwise["stg_tweets"]}
    assert set(tweets) == {"100", "200", "300", "310", "500"}
    assert tweets["500"][4] == "un message du mardi soir"  # on the 11th, never staged again
    assert "u-dan" not in {row[0] for row in stepwise["int_accounts"]}  # his only tweet went with the file
    assert tweets["100"][4] == "la gauche rassemblee #PS"  # its other record, back on the 12th
    assert [row[:3] for row in stepwise["int_tweet_party_signals"]] == [("100", date(2011, 10, 12), "PS")]

    # another party reference: the signals kept per day are made again, not kept from the old one
    parties = tmp_path / "parties.csv"
    parties.write_text("party,signal_type,value\nGauche,hashtag,PS\n", encoding="utf-8")
    build(replace(settings, parties=parties))
    signals = staged(settings, settings.candidate)["int_tweet_party_signals"]
    assert [row[:3] for row in signals] == [("100", date(2011, 10, 12), "Gauche")]


@pytest.mark.parametrize(
    ("lake", "unlisted"),
    [
        # a row written before audit rows listed their parts: the input's records are read
        ("lake", True),
        # a folder above the day partitions named like one (DuckDB would read `day=5` as the day):
        # every part is read, each record's day taken from its time
        ("day=5/lake", False),
    ],
)
def test_a_build_finds_the_days_of_the_lake_when_the_audit_or_the_folders_do_not_say_them(
    tmp_path: Path, lake: str, unlisted: bool
) -> None:
    """A build learns an input's days from the parts its audit row lists and reads a day's records
    from its partition; when either cannot be read, the days are staged all the same."""
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [v1_status(100, "ana", "un premier message", created_at=october(12, "21:03"))],
    )
    later = write_jsonl(
        tmp_path / "later.jsonl",
        [
            v1_status(200, "bob", "un message du jeudi", created_at=october(13, "09:00")),
            v1_status(300, "cyd", "un message du vendredi", created_at=october(14, "10:00")),
        ],
    )
    settings = Settings.make(tmp_path / "home", lake=tmp_path / lake)
    ingest([first], settings, progress=False)
    build(settings)
    ingest([later], settings, progress=False)
    if unlisted:
        sha = hashlib.sha256(later.read_bytes()).hexdigest()
        audit = settings.lake.path / "_audit" / "files" / f"{sha}.parquet"
        with duckdb.connect() as con:
            con.execute(
                f"copy (select * replace (cast(null as varchar[]) as parts) from read_parquet('{audit}'))"
                f" to '{audit}.new' (format parquet)"
            )
        audit.with_name(audit.name + ".new").replace(audit)
    stepwise = staged(settings, build(settings))
    assert affected_days(settings) == {"2011-10-13", "2011-10-14"}
    assert {row[0] for row in stepwise["stg_tweets"]} == {"100", "200", "300"}
    assert stepwise == staged(settings, build(settings, full_refresh=True))


def published_tweets(settings: Settings) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.sql("select * from staging.stg_tweets order by tweet_id").fetchall()


def staged_tweets(settings: Settings) -> list[tuple[Any, ...]]:
    """The build state's deduplicated tweets in the published columns: what stg_tweets must hold."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        columns = [row[0] for row in con.sql("describe staging.stg_tweets").fetchall()]
    with duckdb.connect(str(settings.state), read_only=True) as con:
        listed = ", ".join(f'"{column}"' for column in columns)
        return con.sql(
            f"select {listed} from intermediate.int_tweets_deduplicated order by tweet_id"
        ).fetchall()  # noqa: S608


def test_published_tweets_are_kept_per_day_only_from_the_warehouse_of_the_last_build(tmp_path: Path) -> None:
    """A build whose state's last build is the warehouse copies it and stages again only the
    changed days of stg_tweets; after a build never published, or a warehouse replaced by hand,
    the table is written whole. Each time it equals the state's tweets and, at the end, a full
    build's."""
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [
            v1_status(100, "ana", "la gauche rassemblee", created_at=october(12, "21:03")),
            v1_status(300, "cyd", "le troisieme message du jour", created_at=october(13, "09:00")),
        ],
    )
    later = write_jsonl(
        tmp_path / "later.jsonl",
        [
            v1_status(100, "ana", "la gauche rassemblee ce soir", created_at=october(14, "08:00")),
            v1_status(400, "dan", "encore un message du vendredi", created_at=october(14, "10:00")),
        ],
    )
    deletion = write_jsonl(
        tmp_path / "deletion.jsonl",
        [{"delete": {"status": {"id_str": "300", "user_id_str": "u-cyd"}, "timestamp_ms": "1318500000000"}}],
    )
    last = write_jsonl(
        tmp_path / "last.jsonl",
        [v1_status(500, "eve", "un dernier message", created_at=october(15, "10:00"))],
    )
    settings = Settings.make(tmp_path / "home")

    def published(kept: bool, step: str) -> list[tuple[Any, ...]]:
        build_and_publish(settings, accept_shrink=True)
        assert ran_incrementally(settings, "stg_tweets") == kept, step
        tweets = published_tweets(settings)
        assert tweets == staged_tweets(settings), step
        return tweets

    ingest([first], settings, progress=False)
    published(False, "a first build: nothing to keep")
    ingest([later], settings, progress=False)
    tweets = published(True, "a file adds a day and a better record of an old tweet")
    assert {row[0]: row[4] for row in tweets} == {
        "100": "la gauche rassemblee ce soir",
        "300": "le troisieme message du jour",
        "400": "encore un message du vendredi",
    }
    ingest([deletion], settings, progress=False)
    build(settings)  # built, never published: the warehouse no longer holds the state's last build
    remove(settings, str(later))
    tweets = published(False, "the build before was not published")
    assert {row[0]: row[4] for row in tweets} == {"100": "la gauche rassemblee"}
    shutil.copyfile(settings.warehouse, tmp_path / "copy.duckdb")
    shutil.move(tmp_path / "copy.duckdb", settings.warehouse)  # replaced by another file
    remove(settings, str(deletion))
    published(False, "the warehouse was replaced")
    ingest([last], settings, progress=False)
    tweets = published(True, "the last build was published again")
    assert [row[0] for row in tweets] == ["100", "300", "500"]
    with duckdb.connect(str(build(settings, full_refresh=True)), read_only=True) as con:
        assert tweets == con.sql("select * from staging.stg_tweets order by tweet_id").fetchall()


def pairing_changes(settings: Settings) -> tuple[int, int]:
    """The campaigns whose pairing the last build changed, and the campaigns paired."""
    with duckdb.connect(str(settings.state), read_only=True) as con:
        found = con.execute(
            "select (select count(*) from intermediate.int_account_pairing_changes),"
            " (select count(distinct campaign_id) from intermediate.int_account_paired_members)"
        ).fetchone()
    assert found is not None
    return found[0], found[1]


# The build state's models kept per account pair, campaign or campaign message, each with the
# model listing what a build makes again of it and the key they share.
KEPT_PER_KEY = {
    "int_account_ties": ("int_account_tie_changes", "account_a, account_b"),
    "int_account_pair_consistency": ("int_account_pair_consistency_changes", "account_a, account_b"),
    "int_campaign_tight_accounts": ("int_campaign_tightness_changes", "campaign_id"),
    "int_messages_grouped_to_campaigns": ("int_message_grouping_changes", "message_key"),
    "int_account_personas": ("int_account_persona_changes", "user_id"),
    "int_account_habits": ("int_account_habit_changes", "user_id"),
}


def state_rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """The rows (sorted) of the build state's models kept per account pair, campaign or message."""
    with duckdb.connect(str(settings.state), read_only=True) as con:
        return {
            model: con.sql(f"select * from intermediate.{model} order by all").fetchall()
            for model in KEPT_PER_KEY
        }


def remade_and_kept(settings: Settings) -> dict[str, tuple[int, int]]:
    """Per model kept per pair, campaign or message: how many keys the last build listed to make again,
    and how many of its rows are of other keys (kept)."""
    counted = {}
    with duckdb.connect(str(settings.state), read_only=True) as con:
        for model, (changes, key) in KEPT_PER_KEY.items():
            found = con.execute(
                f"select (select count(*) from intermediate.{changes}),"
                f" (select count(*) from intermediate.{model} anti join intermediate.{changes} using ({key}))"
            ).fetchone()
            assert found is not None
            counted[model] = (found[0], found[1])
    return counted


def test_account_pairs_follow_the_campaigns_whose_pairing_changed_and_equal_a_full_build(
    split_sample: tuple[Path, Path], tmp_path: Path
) -> None:
    """Files added (with a deletion of a campaign tweet), then one removed: each published build
    makes again the co-events of the campaigns whose paired tweets changed, the account pairs
    they tie, the ties and consistency of the pairs whose tied or shared campaigns changed, and
    the tight accounts of the campaigns those touch; keeps the rest (the state's co-events, ties,
    consistency and tight accounts, the warehouse's pair tables) and equals a full build."""
    first, later = split_sample
    settings = Settings.make(tmp_path / "home")
    ingest([first], settings, progress=False)
    build_and_publish(settings)
    changed, paired = pairing_changes(settings)
    assert (changed, paired > 0) == (0, True), "a first build lists no change: it pairs every campaign"
    compared = {
        **COMPARED,
        "marts.account_pair_tweets": "tweet_a, tweet_b",
        "marts.account_groups": "group_id",
        "marts.accounts": "user_id",
    }
    for model, (remade, kept) in remade_and_kept(settings).items():
        assert (remade, kept > 0) == (0, True), f"a first build makes every row of {model}"
    steps = [
        ("the later files and a deletion", lambda: ingest([later], settings, progress=False)),
        ("the deletion removed", lambda: remove(settings, str(later / "compliance.jsonl"))),
    ]
    for step, change in steps:
        change()
        build_and_publish(settings, accept_shrink=True)
        kept_models = (
            "account_pairs",
            "account_pair_tweets",
            "int_account_co_events",
            *KEPT_PER_KEY,
        )
        for model in kept_models:
            assert ran_incrementally(settings, model), (step, model)
        changed, paired = pairing_changes(settings)
        assert 0 < changed < paired, step  # some campaigns changed, not all
        stepwise, stepwise_state = rows(settings.warehouse, compared), state_rows(settings)
        for model, (remade, kept) in remade_and_kept(settings).items():
            assert remade > 0 and kept > 0, (step, model)  # some rows made again, others kept
        candidate = build(settings, full_refresh=True)
        full = rows(candidate, compared)
        assert stepwise["marts.account_pairs"], "the sample ties accounts"
        for table in compared:
            assert stepwise[table] == full[table], (step, table)
        full_state = state_rows(settings)
        for model in KEPT_PER_KEY:
            assert stepwise_state[model] == full_state[model], (step, model)
        publish(settings, candidate)  # the next step starts from a published build of the state


def near_duplicates(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """The build state's LSH links, giant buckets, measured pairs and near-duplicate clusters,
    sorted."""
    tables = (
        "int_message_candidate_links",
        "int_message_giant_buckets",
        "int_message_similarity",
        "int_messages_near_duplicates",
    )
    with duckdb.connect(str(settings.state), read_only=True) as con:
        return {
            table: con.sql(f"select * from intermediate.{table} order by all").fetchall() for table in tables
        }


def relinked(settings: Settings) -> set[str]:
    with duckdb.connect(str(settings.state), read_only=True) as con:
        return {
            key for (key,) in con.sql("select message_key from intermediate.int_message_relinked").fetchall()
        }


def variants(sentence: str, count: int) -> list[str]:
    """`count` near-duplicates of a sentence: the i-th has its i-th word replaced."""
    words = sentence.split()
    return [" ".join(f"mot{i}" if j == i else word for j, word in enumerate(words)) for i in range(count)]


def test_near_duplicate_links_follow_the_texts_that_changed_and_equal_a_full_build(tmp_path: Path) -> None:
    """Texts joining and leaving LSH buckets (a bucket growing past its cap, its first text
    deleted while it stays past it, a file removed that brings it back under): each build makes
    again only the changed buckets' links, and its links, giant buckets' sizes, similarities and
    clusters equal a full build's."""
    pension = variants("la reforme des retraites est une honte pour tous les travailleurs de france", 6)
    jobs = variants("le candidat promet des emplois pour les jeunes dans chaque region du pays", 3)
    media = variants("ce soir le debat televise a montre deux visions opposees de notre avenir", 2)
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [v1_status(10 + i, f"m{i}", text, created_at=october(10, "20:00")) for i, text in enumerate(media)]
        + [
            v1_status(100 + i, f"p{i}", text, created_at=october(12, "21:00"))
            for i, text in enumerate(pension[:3])
        ]
        + [
            v1_status(200 + i, f"j{i}", text, created_at=october(12, "22:00"))
            for i, text in enumerate(jobs[:2])
        ]
        # a pension text also posted on a day no step changes: it stays when its tweet of the
        # 12th is deleted
        + [v1_status(300, "x0", pension[1], created_at=october(10, "21:00"))],
    )
    more = write_jsonl(
        tmp_path / "more.jsonl",
        [
            v1_status(103 + i, f"p{3 + i}", text, created_at=october(14, "09:00"))
            for i, text in enumerate(pension[3:])
        ]
        + [v1_status(202, "j2", jobs[2], created_at=october(14, "10:00"))]
        # a media text the buckets hold already (from the 10th): nothing to add, nothing to link
        + [v1_status(301, "x1", media[0], created_at=october(14, "11:00"))],
    )
    deletion = write_jsonl(
        tmp_path / "deletion.jsonl",
        [
            {
                "delete": {
                    "status": {"id_str": str(tweet), "user_id_str": user},
                    "timestamp_ms": "1318500000000",
                }
            }
            for tweet, user in ((100, "u-p0"), (101, "u-p1"))
        ],
    )
    settings = Settings.make(tmp_path / "home")
    # the pension texts' shared buckets pass it with the second file
    capped: dict[str, object] = {"near_dup_max_bucket": 4}
    steps: list[tuple[str, Any]] = [
        ("a file adds texts to the buckets", lambda: ingest([more], settings, progress=False)),
        ("a bucket's text is deleted", lambda: ingest([deletion], settings, progress=False)),
        ("the file goes", lambda: remove(settings, str(more))),
        ("the deletion goes", lambda: remove(settings, str(deletion))),
    ]
    ingest([first], settings, progress=False)
    build(settings, capped)
    media_sql = (
        "select distinct message_key from intermediate.int_tweets_normalised where user_id like 'u-m%'"
    )
    with duckdb.connect(str(settings.state), read_only=True) as con:
        media_keys = {key for (key,) in con.sql(media_sql).fetchall()}
    assert len(media_keys) == 2
    links = [near_duplicates(settings)["int_message_candidate_links"]]
    giants = [near_duplicates(settings)["int_message_giant_buckets"]]
    for step, change in steps:
        change()
        build(settings, capped)
        stepwise = near_duplicates(settings)
        assert ran_incrementally(settings, "int_message_candidate_links"), step
        assert ran_incrementally(settings, "int_message_similarity"), step
        # the changed buckets' texts are linked again, the media texts' (far from them) kept
        assert relinked(settings) and not relinked(settings) & media_keys, step
        build(settings, capped, full_refresh=True)
        assert stepwise == near_duplicates(settings), step
        assert stepwise["int_message_similarity"], step
        links.append(stepwise["int_message_candidate_links"])
        giants.append(stepwise["int_message_giant_buckets"])
    assert links[0] != links[1] != links[2] != links[3], "each change moved the links"
    # past the cap with the second file (the six pension texts), still past it without the
    # deleted one (counted, not grouped again), under it once the file goes
    assert not giants[0] and giants[1] and giants[2] and not giants[3], giants
    assert giants[1] != giants[2]
    assert links[4] == links[0], "the first file's links again"


def sentence(rng: random.Random, words: int = 12) -> str:
    """A text of `words` random lowercase words: far from any other such text."""
    return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(words))


def text_key(text: str) -> str:
    """The message key of a text of lowercase words (its normalised form is itself)."""
    return "tx:" + hashlib.md5(text.encode()).hexdigest()


def copy_personas(settings: Settings) -> set[str]:
    """The copy personas of the build state."""
    with duckdb.connect(str(settings.state), read_only=True) as con:
        return {
            user
            for (user,) in con.sql(
                "select user_id from intermediate.int_account_personas where is_persona"
            ).fetchall()
        }


def cohort_of(settings: Settings, message: str, user: str) -> str | None:
    """The cohort of `user`'s tweet of `message` in the build state's grouping."""
    with duckdb.connect(str(settings.state), read_only=True) as con:
        found = con.execute(
            "select cohort from intermediate.int_messages_grouped_to_campaigns"
            " where message_key = ? and user_id = ?",
            [message, user],
        ).fetchone()
    return found[0] if found else None


def copy_posts(settings: Settings, user: str) -> int | None:
    """How many of `user`'s posts the build state's habits count as copies shared with others."""
    with duckdb.connect(str(settings.state), read_only=True) as con:
        found = con.execute(
            "select n_copy_posts from intermediate.int_account_habits where user_id = ?", [user]
        ).fetchone()
    return found[0] if found else None


def test_campaign_grouping_follows_the_messages_that_changed_and_equals_a_full_build(tmp_path: Path) -> None:
    """Campaigns are grouped again only for the messages a build changed, and copy personas worked
    out again only for the accounts whose posts or messages changed; both equal a full build. New
    copy personas raise the persona rate, so an untouched campaign of personas and people is
    no longer split in two; an account that becomes a persona moves to the personas' side of an
    untouched split campaign; a variant posted later renames the cluster of an older campaign;
    a campaign's only tweet of a day is deleted; two accounts' shared texts gain a third poster,
    which makes them personas; a third account joins two accounts' text of the evening before,
    which makes its first copies of theirs (their habits, their days untouched); then each file
    goes and all of it is undone."""
    rng = random.Random(7)
    copied = [sentence(rng) for _ in range(5)]  # the first personas' five copied texts
    later_copied = [sentence(rng) for _ in range(5)]  # the later personas'
    mixed, mostly_personas, older, midnight = (sentence(rng) for _ in range(4))
    # a variant of `older` whose key sorts first: it names the cluster once it joins
    words = older.split()
    variant = next(
        text
        for text in (" ".join([*words[:-1], sentence(rng, 1)]) for _ in range(100))
        if text_key(text) < text_key(older)
    )
    ids = iter(range(1000, 100000))

    def posts(accounts: list[str], text: str, day: int, hour: int) -> list[dict[str, Any]]:
        return [
            v1_status(next(ids), account, text, created_at=october(day, f"{hour:02d}:{minute:02d}"))
            for minute, account in enumerate(accounts)
        ]

    personas = [f"p{i}" for i in range(8)]
    people = [f"q{i}" for i in range(4)]
    others = ["y", "r0", "r1", "r2"]
    first = (
        [v1_status(next(ids), f"o{i}", sentence(rng), created_at=october(10, "08:00")) for i in range(72)]
        + [post for hour, text in enumerate(copied) for post in posts(personas, text, 10, 9 + hour)]
        # 4 personas and 4 people: two campaigns while personas are rare
        + posts(personas[:4] + people, mixed, 10, 15)
        # 8 personas and 4 people: two campaigns, y among the people
        + posts(personas + others, mostly_personas, 10, 17)
        + posts(["o0", "o1", "o2"], older, 10, 19)
    )
    # five texts two accounts share: a third account posting them later makes all three personas
    shared = [sentence(rng) for _ in range(5)]
    first += [post for hour, text in enumerate(shared) for post in posts(["z", "w"], text, 10, 2 + hour)]
    # a campaign across midnight: its one tweet of the 11th is deleted later
    first += posts(["m0", "m1", "m2"], midnight, 10, 23)
    # a text two accounts post late on the 10th: a third poster early on the 11th makes it a campaign
    joined = sentence(rng)
    first += posts(["k0", "k1"], joined, 10, 22)
    late = v1_status(next(ids), "m3", midnight, created_at=october(11, "00:01"))
    first.append(late)
    crowd = [
        post
        for hour, text in enumerate(later_copied)
        for post in posts([f"n{i}" for i in range(8)], text, 14, 9 + hour)
    ]
    crowd += posts(["o3"], variant, 14, 16)
    crowd += [post for hour, text in enumerate(shared) for post in posts(["v"], text, 14, 18 + hour)]
    crowd += posts(["k2"], joined, 11, 1)
    convert = [post for hour, text in enumerate(later_copied) for post in posts(["y"], text, 15, 9 + hour)]
    # a post of its own: o0 is worked out again, its untouched campaign with o1 and o2 still a copy
    convert += posts(["o0"], sentence(rng), 15, 20)
    convert.append(
        {
            "delete": {
                "status": {"id_str": late["id_str"], "user_id_str": "u-m3"},
                "timestamp_ms": "1318500000000",
            }
        }
    )
    files = {
        name: write_jsonl(tmp_path / f"{name}.jsonl", rows)
        for name, rows in (("first", first), ("crowd", crowd), ("convert", convert))
    }
    settings = Settings.make(tmp_path / "home")
    ingest([files["first"]], settings, progress=False)
    build(settings)
    assert copy_personas(settings) == {f"u-p{i}" for i in range(8)}
    assert (copy_posts(settings, "u-k0"), copy_posts(settings, "u-o0")) == (0, 1)
    assert cohort_of(settings, text_key(mixed), "u-q0") == "people"
    assert cohort_of(settings, text_key(mostly_personas), "u-y") == "people"
    assert (
        cohort_of(settings, text_key(older), "u-o0") == cohort_of(settings, text_key(midnight), "u-m3") == ""
    )
    # each step, with the cohorts it leaves, whether z (whose shared texts v copies) is a persona
    # and whether k0's text of the 10th is a copy
    steps: list[tuple[str, Any, dict[tuple[str, str], str | None], bool, int]] = [
        (
            "personas come, a variant renames a cluster",
            lambda: ingest([files["crowd"]], settings, progress=False),
            {(mixed, "u-q0"): "", (variant, "u-o0"): ""},
            True,
            1,
        ),
        (
            "an account becomes a persona",
            lambda: ingest([files["convert"]], settings, progress=False),
            {(mostly_personas, "u-y"): "personas", (mixed, "u-q0"): "", (midnight, "u-m3"): None},
            True,
            1,
        ),
        (
            "it is no longer one",
            lambda: remove(settings, str(files["convert"])),
            {(mostly_personas, "u-y"): "people", (midnight, "u-m3"): ""},
            True,
            1,
        ),
        (
            "the personas and the variant go",
            lambda: remove(settings, str(files["crowd"])),
            {(mixed, "u-q0"): "people", (older, "u-o0"): ""},
            False,
            0,
        ),
    ]
    for step, change, cohorts, z_is_persona, k_copies in steps:
        change()
        build(settings)
        for model in ("int_messages_grouped_to_campaigns", "int_account_personas", "int_account_habits"):
            assert ran_incrementally(settings, model), (step, model)
            remade, kept = remade_and_kept(settings)[model]
            assert remade > 0 and kept > 0, (step, model)  # some made again, others kept
        assert ("u-z" in copy_personas(settings)) == z_is_persona, step
        assert copy_posts(settings, "u-k0") == k_copies, step
        assert copy_posts(settings, "u-o0") == 1, step
        for (text, user), cohort in cohorts.items():
            assert cohort_of(settings, text_key(text), user) == cohort, (step, text, user)
        stepwise = state_rows(settings)
        build(settings, full_refresh=True)
        assert stepwise == state_rows(settings), step
