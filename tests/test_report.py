"""Weekly reports: one page and one JSON twin per ISO week, figures from the warehouse, text escaped."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.pipeline import run
from chorus.report import Week
from tests.conftest import chorus_cli, v1_status, write_jsonl


def test_one_page_and_twin_per_week_plus_index(built, warehouse) -> None:
    settings, summary = built
    weeks = [
        r[0]
        for r in warehouse.execute("select distinct iso_week from marts.party_weekly order by 1").fetchall()
    ]
    assert weeks == ["2011-W41", "2011-W42"]
    assert sorted(p.stem for p in settings.reports.glob("*-W*.html")) == weeks
    assert sorted(p.stem for p in settings.reports.glob("*-W*.json")) == weeks
    index = (settings.reports / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{w}.html"' in index for w in weeks)
    assert {p.name for p in summary.reports} == {f"{w}.html" for w in weeks}


def test_page_names_the_parties_and_matches_the_warehouse(built, warehouse) -> None:
    settings, _ = built
    page = (settings.reports / "2011-W41.html").read_text(encoding="utf-8")
    twin = json.loads((settings.reports / "2011-W41.json").read_text(encoding="utf-8"))
    parties = [
        r[0]
        for r in warehouse.execute(
            "select party from marts.party_weekly where iso_week = '2011-W41' and party is not null"
        ).fetchall()
    ]
    assert parties and all(f"<td>{p}</td>" in page for p in parties)
    expected = warehouse.execute("""
        select count(distinct c.campaign_id) from marts.campaign_tweets ct
        join marts.campaigns c using (campaign_id)
        where c.is_automated and ct.created_at >= '2011-10-10' and ct.created_at < '2011-10-17'
    """).fetchone()[0]
    assert twin["headline"]["automated_campaigns"] == expected
    assert f'<div class="value">{expected}</div>' in page
    assert page.count("<svg") >= len(parties) + 1, "a timeline per party and the scatter chart"
    assert "Validated: every Great Expectations suite passed" in page
    assert "http://" not in page.split("<body>")[0] and "<script src" not in page


def test_report_for_one_week_and_a_bad_week_label(built) -> None:
    done = chorus_cli("report", "--home", str(built[0].home), "--week", "2011-W42")
    assert done.returncode == 0 and done.stdout.strip().endswith("2011-W42.html")
    bad = chorus_cli("report", "--home", str(built[0].home), "--week", "2011-42")
    assert bad.returncode == 2 and "expected YYYY-Www" in bad.stderr
    with pytest.raises(ChorusError):
        Week.parse("W41")


@pytest.mark.slow
def test_tweet_markup_is_shown_as_text_never_run(tmp_path: Path) -> None:
    hostile = "<script>alert('owned')</script><img src=x onerror=alert(1)> Votez & partagez"
    start = datetime(2011, 10, 12, 21, 0, 0)
    statuses = [
        v1_status(
            10_000 + i,
            f"acct{i}",
            hostile,
            source="<b>EvilApp</b>",
            created_at=(start + timedelta(seconds=7 * i)).strftime("%a %b %d %H:%M:%S +0000 %Y"),
        )
        for i in range(30)
    ]
    write_jsonl(tmp_path / "in.jsonl", statuses)
    settings = Settings.make(tmp_path / "home")
    run([tmp_path / "in.jsonl"], settings, progress=False)
    page = (settings.reports / "2011-W41.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;b&gt;EvilApp&lt;/b&gt;" in page and "<b>EvilApp" not in page
    assert "Votez &amp; partagez" in page


def test_every_automated_campaign_has_its_page_from_the_report_models(home_copy: Settings) -> None:
    import duckdb

    from chorus.report import report

    stale = home_copy.reports / "campaigns" / ("0" * 32 + ".html")
    stale.write_text("a campaign no longer automated", encoding="utf-8")
    report(home_copy)
    with duckdb.connect(str(home_copy.warehouse), read_only=True) as con:
        automated = {
            r[0] for r in con.execute("select campaign_id from marts.campaigns where is_automated").fetchall()
        }
        minutes = dict(
            con.execute(
                "select campaign_id, sum(n_posts) from reports.rpt_campaign_minutes group by 1"
            ).fetchall()
        )
        sizes = dict(
            con.execute("select campaign_id, n_tweets from marts.campaigns where is_automated").fetchall()
        )
    assert automated and {p.stem for p in (home_copy.reports / "campaigns").glob("*.html")} == automated
    assert minutes == sizes  # the bars of each page add up to the campaign's posts
    some = sorted(automated)[0]
    twin = json.loads((home_copy.reports / "campaigns" / f"{some}.json").read_text(encoding="utf-8"))
    assert sum(m["n_posts"] for m in twin["minutes"]) == sizes[some]
    assert len(twin["accounts"]) == twin["campaign"]["n_accounts"]
    assert not stale.exists()
