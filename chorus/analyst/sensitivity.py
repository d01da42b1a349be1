"""Threshold guidance: how the automated campaigns and accounts of the published warehouse move
with the main thresholds, so an analyst can defend the settings on their own data.

Read from the published tables, without a rebuild: the automation threshold is applied to the
published scores, the minimum number of accounts filters the campaigns, and the coordination
window is narrowed over the evidence of every tie (it cannot be widened past the window the
warehouse was built with: `coordination_window_seconds`).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from chorus.analyst.warehouse import published, sandboxed
from chorus.config import Settings

THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
MIN_ACCOUNTS = (3, 5, 10, 20, 50)
WINDOWS = (5, 10, 20, 30, 60)


@dataclass(frozen=True)
class Row:
    """One setting and what the warehouse gives under it."""

    setting: str
    value: float
    campaigns: int
    accounts: int
    tweets: int


def sensitivity(settings: Settings) -> list[Row]:
    """Every row of the three sweeps, on a sandboxed connection to the published warehouse."""
    with sandboxed(published(settings)) as con:
        return sweeps(con)


def sweeps(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """Every row of the three sweeps, on an open connection to a warehouse."""
    out: list[Row] = []
    for threshold in THRESHOLDS:
        found = con.execute(
            """select count(distinct c.campaign_id), count(distinct ct.user_id), count(*)
               from marts.campaigns c join marts.campaign_tweets ct using (campaign_id)
               where c.amplification_score >= ?""",
            [threshold],
        ).fetchone()
        out.append(Row("automation_threshold", threshold, *map(int, found or (0, 0, 0))))
    for minimum in MIN_ACCOUNTS:
        found = con.execute(
            """select count(distinct c.campaign_id), count(distinct ct.user_id), count(*)
               from marts.campaigns c join marts.campaign_tweets ct using (campaign_id)
               where c.is_automated and c.n_accounts >= ?""",
            [minimum],
        ).fetchone()
        out.append(Row("min_accounts", minimum, *map(int, found or (0, 0, 0))))
    for window in WINDOWS:
        found = con.execute(
            """with ties as (
                   select account_a, account_b, campaign_id from marts.account_pair_tweets
                   where seconds_apart <= ?),
               recurring as (
                   select account_a, account_b from ties group by all
                   having count(distinct campaign_id) >= 2)
               select (select count(*) from recurring),
                      (select count(distinct a) from (select account_a as a from recurring
                                                      union all select account_b from recurring)),
                      (select count(*) from ties)""",
            [window],
        ).fetchone()
        out.append(Row("coordination_window_seconds", window, *map(int, found or (0, 0, 0))))
    return out


HEADINGS = {
    "automation_threshold": ("automation threshold", "automated campaigns", "their accounts", "their tweets"),
    "min_accounts": ("minimum accounts", "automated campaigns", "their accounts", "their tweets"),
    "coordination_window_seconds": (
        "coordination window (s)",
        "pairs tied in 2+ campaigns",
        "accounts in those pairs",
        "ties within the window",
    ),
}


def as_text(found: list[Row]) -> str:
    """The three sweeps as plain-text tables."""
    lines: list[str] = []
    for setting, heading in HEADINGS.items():
        lines.append(f"{heading[0]:>24} {heading[1]:>28} {heading[2]:>24} {heading[3]:>24}")
        for row in (r for r in found if r.setting == setting):
            value = f"{row.value:g}"
            lines.append(f"{value:>24} {row.campaigns:>28} {row.accounts:>24} {row.tweets:>24}")
        lines.append("")
    return "\n".join(lines).rstrip()
