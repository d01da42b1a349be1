"""Report stage: one self-contained HTML page (and a JSON twin) per ISO week, plus an index.

Built only from the published, validated warehouse. Charts are inline SVG drawn here; every
string from the data (tweet text, screen names, app and party names) is escaped, both by the
autoescaping template and in the SVG builders.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from chorus.analyst.sensitivity import HEADINGS, sweeps
from chorus.analyst.warehouse import rows
from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.report.html_text import isolated, text
from chorus.report.pages import render_campaigns, render_groups, trend
from chorus.storage import write_atomic

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
AUTOMATED = "#c0392b"
ORGANIC = "#95a5a6"


@dataclass(frozen=True)
class Week:
    """An ISO week: its label (2011-W41) and its Monday."""

    start: date

    @classmethod
    def parse(cls, label: str) -> Week:
        """`2011-W41`; a week its year does not have (`2011-W53`) or beyond the calendar is an error."""
        try:
            week = cls(datetime.strptime(label + "-1", "%G-W%V-%u").date())
            week.end  # noqa: B018 - the week after must exist too (not past year 9999)
        except (ValueError, OverflowError) as exc:
            raise ChorusError(f"--week {label!r}: expected YYYY-Www, e.g. 2011-W41") from exc
        if week.label != label.strip():
            raise ChorusError(f"--week {label!r}: that year has no such week ({week.label} follows)")
        return week

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7)

    def previous(self) -> Week:
        return Week(self.start - timedelta(days=7))


def weeks_in_warehouse(con: duckdb.DuckDBPyConnection) -> list[Week]:
    found = con.execute("select week_start from reports.rpt_weeks order by 1").fetchall()
    return [Week(r[0]) for r in found]


HEADLINE = ("automated_campaigns", "automated_tweets", "automated_accounts", "tweets_in_archive")


def headline(con: duckdb.DuckDBPyConnection, week: Week) -> dict[str, int]:
    found = rows(
        con,
        """select automated_campaigns, automated_tweets, automated_accounts, tweets_in_archive
           from reports.rpt_weeks where week_start = ?""",
        [week.start],
    )
    return {k: int(found[0][k]) if found else 0 for k in HEADLINE}


def week_data(con: duckdb.DuckDBPyConnection, week: Week) -> dict[str, Any]:
    """Every figure of one week's report, as plain JSON-able values (read from the `rpt_week*`
    models and marts.party_daily)."""
    parties = rows(
        con,
        """
        select party, n_campaigns, n_automated_campaigns, n_automated_tweets, n_automated_accounts,
               n_party_tweets, automated_share, apps
        from reports.rpt_week_parties where week_start = ?
        order by party is null, n_automated_tweets desc, party""",
        [week.start],
    )
    campaigns = rows(
        con,
        """
        select campaign_id, party, party_confidence, is_automated, verdict, verdict_reason,
               amplification_score, n_tweets, n_accounts, first_seen, last_seen, canonical_text,
               reasons, top_source, duration_seconds, tweets_this_week, group_id
        from reports.rpt_week_campaigns where week_start = ?
        order by is_automated desc, n_accounts desc, n_tweets desc, campaign_id""",
        [week.start],
    )
    daily = rows(
        con,
        """
        select day, party, n_automated_tweets, n_organic_tweets
        from marts.party_daily where day >= ? and day < ? order by day, party""",
        [week.start, week.end],
    )
    for row in campaigns:
        row["first_seen"] = row["first_seen"].isoformat(sep=" ", timespec="minutes")
        row["last_seen"] = row["last_seen"].isoformat(sep=" ", timespec="minutes")
    for row in daily:
        row["day"] = row["day"].isoformat()
    fold_by_group(campaigns)
    current = headline(con, week)
    previous = headline(con, week.previous())
    return {
        "week": week.label,
        "week_start": week.start.isoformat(),
        "week_end": week.end.isoformat(),
        "headline": current,
        "previous_headline": previous,
        "parties": parties,
        "campaigns": campaigns,
        "daily": daily,
    }


FOLD_MIN_CAMPAIGNS = 3  # a group that pushed this many campaigns in a week is shown as one row


def fold_by_group(campaigns: list[dict[str, Any]]) -> None:
    """Mark with `folded` the campaigns whose group (`group_id`: the one that posted most of
    each) pushed FOLD_MIN_CAMPAIGNS or more campaigns this week: the page shows such a group
    once ("one group of 23 accounts pushed 109 headlines"), then its list."""
    per_group: dict[str, int] = {}
    for c in campaigns:
        if c["group_id"]:
            per_group[c["group_id"]] = per_group.get(c["group_id"], 0) + 1
    for c in campaigns:
        c["folded"] = per_group.get(c["group_id"] or "", 0) >= FOLD_MIN_CAMPAIGNS


def week_groups(
    con: duckdb.DuckDBPyConnection, campaigns: list[dict[str, Any]], week: Week
) -> list[dict[str, Any]]:
    """The groups folded on a week's page, with what they did that week: the group's accounts that
    posted in those campaigns this week (not its size over every week), its verdicts, and the
    party of this week's campaigns (not the group's lean over every week)."""
    folded: dict[str, list[dict[str, Any]]] = {}
    for c in campaigns:
        if c["folded"]:
            folded.setdefault(c["group_id"], []).append(c)
    out = []
    for group_id, members in folded.items():
        info = rows(
            con, "select n_accounts, summary from marts.account_groups where group_id = ?", [group_id]
        )
        (active,) = con.execute(
            """select count(distinct ct.user_id) from marts.campaign_tweets ct
               join marts.accounts a using (user_id)
               where a.group_id = ? and ct.created_at >= ? and ct.created_at < ?
                 and list_contains(?::varchar[], ct.campaign_id)""",
            [group_id, week.start, week.end, [c["campaign_id"] for c in members]],
        ).fetchone() or (0,)
        parties = Counter(c["party"] for c in members if c["party"] is not None)
        verdicts = Counter(c["verdict"] for c in members)
        out.append(
            {
                "group_id": group_id,
                **(info[0] if info else {"n_accounts": None, "summary": ""}),
                "n_accounts_this_week": active,
                "party": parties.most_common(1)[0][0] if parties else None,
                "n_campaigns": len(members),
                "n_automated": verdicts["automated"],
                "n_coordinated": verdicts["coordinated"],
                "n_overt": verdicts["overt"],
                "campaigns": members,
            }
        )
    return sorted(out, key=lambda g: (-g["n_campaigns"], g["group_id"]))


def bar_timeline(daily: list[dict[str, Any]], week: Week, party: str | None) -> Markup:
    """Stacked bars per day: automated (red) over organic (grey) volume of one party."""
    days = [week.start + timedelta(days=i) for i in range(7)]
    values = {d["day"]: d for d in daily if d["party"] == party}
    top = max(
        [1]
        + [
            values.get(d.isoformat(), {}).get("n_automated_tweets", 0)
            + values.get(d.isoformat(), {}).get("n_organic_tweets", 0)
            for d in days
        ]
    )
    width, height, pad = 330, 130, 26
    bar = (width - pad) / 7
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 20}" role="img" '
        f'aria-label="daily automated and organic volume, {text(party or "no party attributed")}">'
    ]
    for i, d in enumerate(days):
        v = values.get(d.isoformat(), {})
        auto, organic = v.get("n_automated_tweets", 0), v.get("n_organic_tweets", 0)
        x = pad + i * bar + 3
        h_auto = (height - 10) * auto / top
        h_org = (height - 10) * organic / top
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h_org - h_auto:.1f}" width="{bar - 6:.1f}" '
            f'height="{h_org:.1f}" fill="{ORGANIC}"><title>{organic} organic</title></rect>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h_auto:.1f}" width="{bar - 6:.1f}" '
            f'height="{h_auto:.1f}" fill="{AUTOMATED}"><title>{auto} automated</title></rect>'
        )
        parts.append(
            f'<text x="{x + (bar - 6) / 2:.1f}" y="{height + 14}" text-anchor="middle">'
            f"{d.strftime('%a %d')}</text>"
        )
    parts.append(
        f'<text x="2" y="12">{top}</text><line x1="{pad}" y1="{height}" x2="{width}" '
        f'y2="{height}" stroke="#555"/></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 - every data value above went through escape()


def scatter(campaigns: list[dict[str, Any]]) -> Markup:
    """Campaigns by speed (duration, log scale) and size (accounts, log scale)."""
    width, height, pad = 640, 300, 46
    if not campaigns:
        return Markup('<p class="muted">No campaigns this week.</p>')
    max_acc = max(c["n_accounts"] for c in campaigns)
    max_dur = max(c["duration_seconds"] or 0 for c in campaigns)

    def sx(seconds: float) -> float:
        return pad + (width - pad - 10) * math.log10(1 + seconds / 60) / math.log10(2 + max_dur / 60)

    def sy(accounts: int) -> float:
        return height - pad + 10 - (height - pad) * math.log10(accounts) / math.log10(max(10, max_acc) * 1.2)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="campaigns by size and speed">'
    ]
    parts.append(
        f'<line x1="{pad}" y1="{height - pad + 10}" x2="{width}" y2="{height - pad + 10}" stroke="#555"/>'
    )
    parts.append(f'<line x1="{pad}" y1="0" x2="{pad}" y2="{height - pad + 10}" stroke="#555"/>')
    for minutes in (1, 10, 60, 600, 6000):
        if minutes * 60 <= max_dur * 1.5 or minutes == 1:
            x = sx(minutes * 60)
            label = f"{minutes} min" if minutes < 60 else f"{minutes // 60} h"
            parts.append(f'<text x="{x:.0f}" y="{height - pad + 26}" text-anchor="middle">{label}</text>')
    for accounts in (1, 10, 100, 1000):
        if accounts <= max_acc * 1.2:
            parts.append(
                f'<text x="{pad - 6}" y="{sy(accounts) + 4:.0f}" text-anchor="end">{accounts}</text>'
            )
    parts.append(f'<text x="{width / 2}" y="{height - 4}" text-anchor="middle">duration</text>')
    parts.append(
        f'<text x="12" y="{(height - pad) / 2}" transform="rotate(-90 12 {(height - pad) / 2})" '
        f'text-anchor="middle">accounts</text>'
    )
    for c in sorted(campaigns, key=lambda c: c["is_automated"]):
        colour = AUTOMATED if c["is_automated"] else ORGANIC
        r = 3 + 2 * math.log10(1 + c["n_tweets"])
        party = c["party"] or "no party attributed"
        score = c["amplification_score"]
        title = text(f"{party}: {c['n_accounts']} accounts, score {score:.2f} - {c['canonical_text'][:80]}")
        parts.append(
            f'<circle cx="{sx(c["duration_seconds"] or 0):.1f}" cy="{sy(c["n_accounts"]):.1f}" r="{r:.1f}" '
            f'fill="{colour}" fill-opacity="0.6"><title>{title}</title></circle>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every data value above went through escape()


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("chorus", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        finalize=isolated,  # every value a template prints: bidirectional controls kept inside it
    )
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * v:.1f}%"
    env.filters["delta"] = lambda cur, prev: (
        "" if prev is None else (f"+{cur - prev}" if cur >= prev else f"{cur - prev}")
    )
    return env


def quality_status(settings: Settings) -> dict[str, Any]:
    path = settings.gx_home / "last_good.json"
    status: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"success": None}
    docs = settings.gx_home / "data_docs" / "index.html"
    status["data_docs_href"] = os.path.relpath(docs, settings.reports) if docs.exists() else None
    return status


def render_week(con: duckdb.DuckDBPyConnection, week: Week, settings: Settings, env: Environment) -> Path:
    data = week_data(con, week)
    quality = quality_status(settings)
    charts = {
        "timelines": [(p["party"], bar_timeline(data["daily"], week, p["party"])) for p in data["parties"]],
        "scatter": scatter(data["campaigns"]),
    }
    groups = week_groups(con, data["campaigns"], week)
    html = env.get_template("week.html.j2").render(
        data=data,
        quality=quality,
        charts=charts,
        automated=AUTOMATED,
        organic=ORGANIC,
        groups=groups,
        top=[c for c in data["campaigns"] if c["is_automated"] and not c["folded"]][:30],
        unattributed=[
            c for c in data["campaigns"] if c["is_automated"] and c["party"] is None and not c["folded"]
        ][:10],
        messaging=[
            c for c in data["campaigns"] if c["verdict"] in ("overt", "coordinated") and not c["folded"]
        ][:30],
        flagged_organic=[c for c in data["campaigns"] if c["verdict"] == "organic" and not c["folded"]][:10],
    )
    settings.reports.mkdir(parents=True, exist_ok=True)
    out = settings.reports / f"{week.label}.html"
    write_atomic(out, html)
    write_atomic(
        settings.reports / f"{week.label}.json",
        json.dumps({**data, "groups": groups, "quality": quality}, indent=1, default=str, ensure_ascii=False),
    )
    return out


def render_index(
    con: duckdb.DuckDBPyConnection, settings: Settings, env: Environment, weeks_with_data: list[Week]
) -> Path:
    """The index: the trend across weeks (automated share per party), every week the warehouse
    holds with its figures, the groups of accounts, and how the results move with the thresholds.
    (A page left from an older warehouse is not linked.)"""

    on_disk = {p.stem for p in settings.reports.glob("*-W*.html")}
    weeks = sorted((w.label for w in weeks_with_data if w.label in on_disk), reverse=True)
    weekly = rows(
        con,
        """select iso_week, party, automated_share, n_automated_campaigns, messaging_share
           from marts.party_weekly""",
    )
    summaries = rows(con, "select iso_week, automated_campaigns, automated_tweets from reports.rpt_weeks")
    with_pages = {p.stem for p in (settings.reports / "groups").glob("*.html")}
    groups = [
        g
        for g in rows(
            con,
            """select group_id, n_accounts, n_campaigns, n_automated_campaigns, automated_share, party,
                      summary
               from marts.account_groups where n_campaigns >= 2
               order by n_automated_campaigns desc, n_accounts desc, group_id""",
        )
        if g["group_id"] in with_pages
    ][:200]
    html = env.get_template("index.html.j2").render(
        weeks=weeks,
        figures={r["iso_week"]: r for r in summaries},
        chart=trend(weekly, PALETTE),
        messaging_chart=trend(weekly, PALETTE, "messaging_share"),
        groups=groups,
        sensitivity=sweeps(con),
        headings=HEADINGS,
    )
    out = settings.reports / "index.html"
    write_atomic(out, html)
    return out


def report(settings: Settings, week: str | None = None) -> list[Path]:
    """Render one week (`2011-W41`) or every week in the published warehouse; return the pages."""
    if not settings.warehouse.exists():
        raise ChorusError(f"{settings.warehouse}: no published warehouse; run `chorus run PATH` first")
    env = environment()
    settings.reports.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        available = weeks_in_warehouse(con)
        weeks = [Week.parse(week)] if week else available
        missing = [w.label for w in weeks if w not in available]
        if missing:
            raise ChorusError(f"--week {missing[0]}: the warehouse holds no tweet of that week")
        pages = [render_week(con, w, settings, env) for w in weeks]
        campaigns, groups = detail_pages(con, weeks, every_group=week is None)
        render_campaigns(con, settings, env, campaigns)
        render_groups(con, settings, env, groups)
        render_index(con, settings, env, available)
    if week is None:  # every page was written: those of campaigns and groups gone since are stale
        prune(settings.reports / "campaigns", set(campaigns))
        prune(settings.reports / "groups", set(groups))
    return pages


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the pages (and JSON twins) in `folder` of ids not in `keep`."""
    if folder.is_dir():
        for page in folder.glob("*"):
            if page.suffix in (".html", ".json") and page.stem not in keep:
                page.unlink()


SAFE_ID = re.compile(r"[0-9a-f]{32}|g[0-9a-f]{12}")  # campaign and group ids, safe as file names


def detail_pages(
    con: duckdb.DuckDBPyConnection, weeks: list[Week], every_group: bool
) -> tuple[list[str], list[str]]:
    """The campaigns active in `weeks` that are not organic (automated, coordinated, overt: each
    page says why it got its verdict), and the groups (of at least two campaigns) that took part in
    them, or every such group, that get pages of their own."""
    campaigns = [
        r[0]
        for r in con.execute(
            """select distinct campaign_id from reports.rpt_week_campaigns
               where verdict <> 'organic' and list_contains(?::date[], week_start) order by 1""",
            [[w.start for w in weeks]],
        ).fetchall()
    ]
    groups = [
        r[0]
        for r in con.execute(
            """select distinct a.group_id from marts.campaign_tweets ct
               join marts.accounts a using (user_id) join marts.account_groups g using (group_id)
               where (? or ct.campaign_id in (select unnest(?::varchar[]))) and g.n_campaigns >= 2
               order by 1""",
            [every_group, campaigns],
        ).fetchall()
    ]
    return [c for c in campaigns if SAFE_ID.fullmatch(c)], [g for g in groups if SAFE_ID.fullmatch(g)]
