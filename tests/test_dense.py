"""A dense operation's release on default settings (issue 28): a few hundred accounts, each in
hundreds or thousands of campaigns over four months, no app, minute times. Before co-activity was
bounded, pairing every account's campaigns within the window ran out of DuckDB's default memory
on 350k tweets and nothing was published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.test_hostile import peak_rss_mib
from tools.synth_dense import generate_dense


@pytest.mark.slow
def test_a_dense_release_publishes_on_default_settings_with_every_push_flagged(tmp_path: Path) -> None:
    archive = tmp_path / "release" / "release_io.csv.gz"
    tweets = generate_dense(archive, 350_000)
    code, peak = peak_rss_mib("run", "-q", "--home", str(tmp_path / "home"), str(archive.parent))
    assert code == 0
    assert peak < 3072, f"peak {peak:.0f} MiB"
    with duckdb.connect(str(tmp_path / "home" / "chorus.duckdb"), read_only=True) as con:
        (stored,) = con.execute("select count(*) from staging.stg_tweets").fetchone()
        verdicts = dict(con.execute("select verdict, count(*) from marts.campaigns group by 1").fetchall())
        (busiest,) = con.execute(
            "select max(n) from (select user_id, count(distinct campaign_id) as n"
            " from marts.campaign_tweets group by user_id)"
        ).fetchone()
        (accounts_flagged,) = con.execute(
            "select avg(case when verdict = 'automated' then 1.0 else 0 end) from marts.accounts"
            " where n_campaigns > 0"
        ).fetchone()
    assert stored == tweets
    assert busiest > 1000  # the release is as dense as the real ones (an account in 1000+ campaigns)
    assert verdicts.get("organic", 0) <= 0.02 * sum(verdicts.values()), verdicts
    assert accounts_flagged >= 0.95
