"""The publication gate: GX suites pass on good data, close on faults, and nothing is published."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from chorus import pipeline
from chorus.build import build
from chorus.config import Settings
from chorus.errors import ChorusError, ValidationFailed
from chorus.publish.gate import validate
from tests.conftest import REPO, chorus_cli


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_state(settings: Settings) -> dict[str, str]:
    """Digest of the warehouse and of every published report file, pages of campaigns and groups too."""
    reports = sorted(p for p in settings.reports.rglob("*") if p.is_file())
    state = {str(p.relative_to(settings.reports)): digest(p) for p in reports}
    state["warehouse"] = digest(settings.warehouse)
    return state


def test_every_suite_passes_on_the_sample(built) -> None:
    settings, summary = built
    assert summary.validation is not None and summary.validation.success
    assert set(summary.validation.suites) == {"stg_tweets", "campaigns", "published_tests", "audit"}
    again = validate(settings)
    assert again.success and not again.failures
    assert (settings.gx_home / "data_docs" / "index.html").exists()


def test_validate_command_exits_zero_on_published_tables(built) -> None:
    done = chorus_cli("validate", "--home", str(built[0].home))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok   campaigns" in done.stdout


FAULTS = {
    "out-of-range score": (
        "update marts.campaigns set amplification_score = 1.5 where campaign_id = "
        "(select min(campaign_id) from marts.campaigns)",
        "published_tests.assert_scores_and_shares_in_range",
    ),
    "duplicated member": (
        "insert into marts.campaign_tweets select * from marts.campaign_tweets limit 1",
        "published_tests.primary_key_campaign_tweets_tweet_id",
    ),
    "future timestamp": (
        "update staging.stg_tweets set created_at = now()::timestamp + interval 30 day "
        "where tweet_id = (select min(tweet_id) from staging.stg_tweets)",
        "stg_tweets.latest_created_at",
    ),
    "unknown party": (
        "update marts.campaigns set party = 'Pirates' where campaign_id = "
        "(select min(campaign_id) from marts.campaigns)",
        "published_tests.relationships_campaigns_party",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_injected_fault_closes_the_gate_and_nothing_is_published(
    home_copy: Settings, monkeypatch, fault: str
) -> None:
    statement, expected = FAULTS[fault]
    before = published_state(home_copy)

    def tampered_build(settings: Settings, extra_vars=None, **options: bool) -> Path:
        candidate = build(settings, extra_vars, **options)
        with duckdb.connect(str(candidate)) as con:
            con.execute(statement)
        return candidate

    monkeypatch.setattr(pipeline, "build", tampered_build)
    with pytest.raises(ValidationFailed) as failure:
        pipeline.build_and_publish(home_copy, full_refresh=True)  # the copy's warehouse is current
    assert expected in str(failure.value)
    assert published_state(home_copy) == before


def test_bad_party_reference_fails_before_building(home_copy: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "parties.csv"
    bad.write_text("party,signal_type,value\nPS,colour,pink\n", encoding="utf-8")
    before = published_state(home_copy)
    done = chorus_cli("build", "--home", str(home_copy.home), "--parties", str(bad))
    assert done.returncode == 2
    assert f"{bad}:2: unknown signal_type 'colour'" in done.stderr
    assert published_state(home_copy) == before
    with pytest.raises(ChorusError):
        pipeline.build_and_publish(Settings.make(home_copy.home, bad))


def test_validation_of_a_tampered_published_warehouse_fails(home_copy: Settings) -> None:
    with duckdb.connect(str(home_copy.warehouse)) as con:
        con.execute("update marts.party_weekly set n_automated_tweets = n_automated_tweets + 1")
    result = validate(home_copy)
    assert not result.success
    failed = [str(f).split(":")[0] for f in result.failures]
    assert "published_tests.assert_party_weekly_matches_campaigns" in failed
    done = chorus_cli("validate", "--home", str(home_copy.home))
    assert done.returncode == 1 and "FAIL published_tests" in done.stdout


@pytest.mark.parametrize(
    ("model", "edit", "says"),
    [
        ("marts/campaigns.sql", ("scored.reasons,", ""), "reasons"),
        ("staging/lake/stg_tweets.sql", ("        lang,\n", "        lang::integer as lang,\n"), "lang"),
    ],
)
def test_a_model_that_breaks_its_contract_fails_the_build(
    home_copy: Settings, tmp_path: Path, model: str, edit: tuple[str, str], says: str
) -> None:
    """The published tables' columns and types are dbt contracts: a model that drops a column or
    changes a type fails as it builds, and the published warehouse stays the last good one."""
    project = tmp_path / "project"
    shutil.copytree(
        REPO / "transforms", project / "transforms", ignore=shutil.ignore_patterns("target", "logs")
    )
    shutil.copytree(REPO / "expectations", project / "expectations")
    sql = project / "transforms" / "models" / model
    text = sql.read_text()
    assert edit[0] in text
    sql.write_text(text.replace(edit[0], edit[1], 1))
    before = published_state(home_copy)
    done = chorus_cli("build", "--home", str(home_copy.home), env={"CHORUS_PROJECT": str(project)})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "contract" in done.stderr.lower() and says in done.stderr, done.stderr
    assert published_state(home_copy) == before


@pytest.mark.parametrize(
    ("model", "rows", "test"),
    [
        (
            "rpt_weeks",
            "(select * replace (null::date as week_start) from final order by week_start limit 1)",
            "primary_key_rpt_weeks_week_start",
        ),
        (
            "rpt_week_parties",  # its party may be NULL (unattributed): two such rows of a week still clash
            "(select * replace (null::varchar as party) from final order by week_start limit 1) union all "
            "(select * replace (null::varchar as party) from final order by week_start limit 1)",
            "primary_key_rpt_week_parties_week_start__party",
        ),
    ],
)
def test_a_model_that_repeats_or_loses_its_key_fails_the_build(
    home_copy: Settings, tmp_path: Path, model: str, rows: str, test: str
) -> None:
    """Every model's primary_key test runs in the build: a repeated or NULL key closes the gate
    (exit 1, the test named) and the published warehouse stays the last good one."""
    project = tmp_path / "project"
    shutil.copytree(
        REPO / "transforms", project / "transforms", ignore=shutil.ignore_patterns("target", "logs")
    )
    shutil.copytree(REPO / "expectations", project / "expectations")
    sql = project / "transforms" / "models" / "reports" / f"{model}.sql"
    text = sql.read_text()
    assert text.rstrip().endswith("select * from final")
    sql.write_text(f"{text.rstrip()}\nunion all {rows}\n")
    before = published_state(home_copy)
    done = chorus_cli("build", "--home", str(home_copy.home), env={"CHORUS_PROJECT": str(project)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "dbt tests failed" in done.stderr and test in done.stderr, done.stderr
    assert published_state(home_copy) == before
