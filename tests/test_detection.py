"""Detection on the generated sample, scored against the generator's ground truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
import yaml

from chorus.build import check_party_reference, published_file
from chorus.build.candidate import INTERNAL_SCHEMAS
from chorus.config import DBT_PROJECT_DIR
from chorus.errors import InputError
from tools.evaluate import evaluate

CONTRACT = {
    "staging.stg_tweets": [
        "tweet_id",
        "user_id",
        "screen_name",
        "created_at",
        "text",
        "source",
        "lang",
        "is_retweet",
        "retweeted_tweet_id",
        "hashtags",
        "mentions",
        "urls",
    ],
    "marts.campaigns": [
        "campaign_id",
        "party",
        "party_confidence",
        "is_automated",
        "amplification_score",
        "n_tweets",
        "n_accounts",
        "first_seen",
        "last_seen",
        "canonical_text",
        "reasons",
    ],
    "marts.campaign_tweets": ["campaign_id", "tweet_id", "user_id", "created_at"],
    "marts.party_weekly": ["week_start", "party", "n_campaigns", "n_automated_tweets", "automated_share"],
    "audit.ingest_files": ["path", "sha256", "format", "lines", "tweets", "notices", "rejects"],
    "audit.rejects": ["file", "line_no", "reason", "raw"],
}
KINDS = {"burst", "pool", "drip", "rt_storm", "small", "spam", "template"}


def automated_membership(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """tweet_id -> party of the automated campaign it sits in (absent if in none)."""
    found = con.execute("""
        select ct.tweet_id, c.party from marts.campaign_tweets ct
        join marts.campaigns c using (campaign_id) where c.is_automated""").fetchall()
    return dict(found)


def test_every_contract_table_and_column_exists(warehouse) -> None:
    for table, columns in CONTRACT.items():
        schema, name = table.split(".")
        present = {
            r[0]
            for r in warehouse.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
                [schema, name],
            ).fetchall()
        }
        assert set(columns) <= present, f"{table} lacks {set(columns) - present}"


def test_internal_models_are_not_published(warehouse, built) -> None:
    schemas = {r[0] for r in warehouse.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "intermediate" not in schemas
    assert not warehouse.execute("select * from duckdb_views() where not internal").fetchall()
    # dbt built the published tables straight into the candidate: the build state keeps only the
    # internal schema (no second copy of what analysts read), and no published file is left over
    state_file = built[0].state
    with duckdb.connect(str(state_file), read_only=True) as state:
        kept = {r[0] for r in state.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    assert kept == set(INTERNAL_SCHEMAS)
    assert not published_file(state_file).exists()


def test_the_internal_schemas_are_the_same_for_dbt_and_publication() -> None:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert tuple(project["vars"]["internal_schemas"]) == INTERNAL_SCHEMAS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_campaigns_are_found_with_the_right_party(sample, warehouse, kind: str) -> None:
    _, truth = sample
    membership = automated_membership(warehouse)
    cases = [c for c in truth["campaigns"] if c["kind"] == kind]
    assert cases, f"the sample has no {kind} campaign"
    for case in cases:
        ids = case["tweet_ids"]
        found = [membership[i] for i in ids if i in membership]
        assert len(found) >= 0.9 * len(ids), f"{case['id']}: {len(found)}/{len(ids)} flagged"
        party, _ = Counter(found).most_common(1)[0]
        assert party == case["party"], f"{case['id']}: attributed to {party}"


def test_organic_lookalikes_are_not_flagged(sample, warehouse) -> None:
    _, truth = sample
    membership = automated_membership(warehouse)
    for case in truth["lookalikes"]:
        flagged = sum(1 for i in case["tweet_ids"] if i in membership)
        assert flagged <= 0.05 * len(case["tweet_ids"]), f"{case['kind']}: {flagged} flagged"


def test_evaluation_meets_the_targets(built, sample) -> None:
    result = evaluate(built[0].warehouse, sample[1])
    assert result.campaign_recall == 1.0 and result.party_accuracy == 1.0, result.summary()
    assert result.f1 >= 0.97, result.summary()
    assert max(result.lookalikes_flagged.values()) <= 0.05, result.lookalikes_flagged
    assert result.margin >= 0.2, result.summary()


def test_templated_variants_land_in_one_campaign(sample, warehouse) -> None:
    for case in [c for c in sample[1]["campaigns"] if c["kind"] == "template"]:
        campaigns = warehouse.execute(
            "select count(distinct campaign_id) from marts.campaign_tweets "
            "where tweet_id in (select unnest(?::varchar[]))",
            [case["tweet_ids"]],
        ).fetchone()[0]
        texts = warehouse.execute(
            "select count(distinct text) from staging.stg_tweets "
            "where tweet_id in (select unnest(?::varchar[]))",
            [case["tweet_ids"]],
        ).fetchone()[0]
        assert texts > 5 and campaigns <= 2, f"{case['id']}: {texts} variants in {campaigns} campaigns"


def test_coordination_pairs_link_campaign_accounts(warehouse) -> None:
    kinds = dict(warehouse.execute("select kind, count(*) from marts.account_pairs group by kind").fetchall())
    assert kinds.get("co_tweet", 0) > 0 and kinds.get("co_retweet", 0) > 0
    ordered = warehouse.execute(
        "select count(*) from marts.account_pairs where account_a >= account_b"
    ).fetchone()[0]
    assert ordered == 0


def test_scores_and_reasons_are_meaningful(warehouse) -> None:
    rows = warehouse.execute("""
        select is_automated, amplification_score, reasons from marts.campaigns""").fetchall()
    assert all(0 <= score <= 1 for _, score, _ in rows)
    assert all(reasons for *_, reasons in rows)
    automated = [r for r in rows if r[0]]
    evidence = ("via", "pushed", "created within", "younger", "followers", "following", "drip")
    assert automated and all(any(word in reasons for word in evidence) for *_, reasons in automated)


def test_reference_with_unknown_signal_type_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "parties.csv"
    bad.write_text("party,signal_type,value\nPS,hashtag,PS\nPS,emoji,rose\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"parties.csv:3: unknown signal_type 'emoji'"):
        check_party_reference(bad)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("PS,hashtag,\n", "must not be empty"),
        ("PS,hashtag,PS\nPS,hashtag,#ps\n", "duplicate of line 2"),
        ("PS,hashtag\n", "expected 3 columns"),
    ],
)
def test_reference_rejects_empty_duplicate_and_short_rows(tmp_path: Path, body: str, message: str) -> None:
    bad = tmp_path / "parties.csv"
    bad.write_text("party,signal_type,value\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        check_party_reference(bad)
