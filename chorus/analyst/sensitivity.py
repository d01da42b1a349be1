"""Threshold guidance: how the automated campaigns and accounts of the published warehouse move
with the main thresholds, so an analyst can defend the settings on their own data.

Read from the published tables, without a rebuild: the automation threshold is applied to the
published scores, the minimum number of accounts filters the campaigns, and the coordination
window is narrowed over the evidence of every tie. Each sweep is centred on the value the
warehouse was built with (`audit.build_settings`, the project's dbt vars), marked as built, and
goes only where the published tables can follow: no campaign smaller than the built minimum
exists, and no tie wider than the built window was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import duckdb

from chorus.analyst.warehouse import published, sandboxed
from chorus.config import Settings
from chorus.errors import ChorusError

# steps away from the built value: shares of the score, multiples of accounts and of seconds
SCORE_STEPS = (-0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2)
ACCOUNT_FACTORS = (1, 5 / 3, 10 / 3, 20 / 3, 50 / 3)
WINDOW_FACTORS = (1 / 12, 1 / 6, 1 / 3, 1 / 2, 1)


@dataclass(frozen=True)
class Row:
    """One setting and what the warehouse gives under it."""

    setting: str
    value: float
    campaigns: int
    accounts: int
    tweets: int
    built: bool = False  # the value the warehouse was built with


def sensitivity(settings: Settings) -> list[Row]:
    """Every row of the three sweeps, on a sandboxed connection to the published warehouse."""
    with sandboxed(published(settings)) as con:
        return sweeps(con)


def counted(found: tuple[Any, ...] | None) -> tuple[int, int, int]:
    """Campaigns (or pairs), accounts and tweets of one sweep's row."""
    campaigns, accounts, tweets = found or (0, 0, 0)
    return int(campaigns), int(accounts), int(tweets)


def built_settings(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The settings the warehouse was built with (`audit.build_settings`)."""
    try:
        return dict(con.execute("select setting, value from audit.build_settings").fetchall())
    except duckdb.CatalogException:
        raise ChorusError(
            "this warehouse has no audit.build_settings (built by an older Chorus): run `chorus build`"
        ) from None


def grids(built: dict[str, float]) -> dict[str, list[float]]:
    """The values each sweep takes: around the built one, where the published tables can follow."""
    threshold = built["automation_threshold"]
    minimum = built["min_accounts"]
    window = built["coordination_window_seconds"]
    return {
        "automation_threshold": sorted(
            {round(threshold + step, 4) for step in SCORE_STEPS if 0 < threshold + step <= 1}
        ),
        "min_accounts": sorted({float(round(minimum * factor)) for factor in ACCOUNT_FACTORS}),
        "coordination_window_seconds": sorted({float(max(1, round(window * f))) for f in WINDOW_FACTORS}),
    }


def sweeps(con: duckdb.DuckDBPyConnection) -> list[Row]:
    """Every row of the three sweeps, on an open connection to a warehouse."""
    built = built_settings(con)
    grid = grids(built)
    out: list[Row] = []
    for threshold in grid["automation_threshold"]:
        found = con.execute(
            """select count(distinct c.campaign_id), count(distinct ct.user_id), count(*)
               from marts.campaigns c join marts.campaign_tweets ct using (campaign_id)
               where c.amplification_score >= ?""",
            [threshold],
        ).fetchone()
        out.append(Row("automation_threshold", threshold, *counted(found)))
    for minimum in grid["min_accounts"]:
        found = con.execute(
            """select count(distinct c.campaign_id), count(distinct ct.user_id), count(*)
               from marts.campaigns c join marts.campaign_tweets ct using (campaign_id)
               where c.is_automated and c.n_accounts >= ?""",
            [minimum],
        ).fetchone()
        out.append(Row("min_accounts", minimum, *counted(found)))
    for window in grid["coordination_window_seconds"]:
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
        out.append(Row("coordination_window_seconds", window, *counted(found)))
    return [replace(row, built=row.value == built[row.setting]) for row in out]


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
    """The three sweeps as plain-text tables, the built value marked with *."""
    lines: list[str] = []
    for setting, heading in HEADINGS.items():
        lines.append(f"{heading[0]:>24} {heading[1]:>28} {heading[2]:>24} {heading[3]:>24}")
        for row in (r for r in found if r.setting == setting):
            value = f"{'* ' if row.built else ''}{row.value:g}"
            lines.append(f"{value:>24} {row.campaigns:>28} {row.accounts:>24} {row.tweets:>24}")
        lines.append("")
    lines.append("* the value this warehouse was built with (audit.build_settings)")
    return "\n".join(lines).rstrip()
