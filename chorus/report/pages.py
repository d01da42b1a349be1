"""Report pages beyond the week: one per automated campaign and one per group of accounts, with
their JSON twins. Built from the published warehouse only; every value from the data is escaped
by the autoescaping templates or by the SVG builders."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment
from markupsafe import Markup, escape

from chorus.analyst.warehouse import rows
from chorus.config import Settings
from chorus.report.html_text import text
from chorus.storage import write_atomic

AUTOMATED = "#c0392b"


def per_minute(counts: list[dict[str, Any]]) -> Markup:
    """Posts per minute of one campaign, as bars on a time axis."""
    if not counts:
        return Markup('<p class="muted">No posts.</p>')
    width, height, pad = 640, 160, 34
    first, last = counts[0]["minute"], counts[-1]["minute"]
    span = max(1.0, (last - first).total_seconds() / 60)
    top = max(c["n_posts"] for c in counts)
    bar = max(1.5, (width - pad - 10) / (span + 1))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 22}" role="img" aria-label="posts per minute">'
    ]
    for c in counts:
        x = pad + (width - pad - 10) * ((c["minute"] - first).total_seconds() / 60) / (span + 1)
        h = (height - 10) * c["n_posts"] / top
        label = escape(f"{c['minute']:%Y-%m-%d %H:%M}: {c['n_posts']} posts")
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{AUTOMATED}">'
            f"<title>{label}</title></rect>"
        )
    parts.append(f'<text x="2" y="12">{top}</text>')
    parts.append(f'<line x1="{pad}" y1="{height}" x2="{width}" y2="{height}" stroke="#555"/>')
    parts.append(f'<text x="{pad}" y="{height + 16}">{escape(f"{first:%Y-%m-%d %H:%M}")}</text>')
    parts.append(
        f'<text x="{width}" y="{height + 16}" text-anchor="end">{escape(f"{last:%H:%M}")} UTC</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every data value above went through escape()


def trend(weekly: list[dict[str, Any]], palette: list[str], share: str = "automated_share") -> Markup:
    """A share of each party's volume (`share`: automated_share, messaging_share), week by week
    (one line per party)."""
    weeks = sorted({w["iso_week"] for w in weekly})
    if not weeks:
        return Markup('<p class="muted">No weeks yet.</p>')
    width, height, pad = 720, 220, 40
    parties = sorted({w["party"] or "no party attributed" for w in weekly})
    top = max([0.05] + [w[share] or 0 for w in weekly])

    def x(index: int) -> float:
        return pad + (width - pad - 20) * (index / max(1, len(weeks) - 1))

    def y(value: float) -> float:
        return height - 10 - (height - 30) * value / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 30}" role="img" '
        f'aria-label="{escape(share.replace("_", " "))} per party">'
    ]
    parts.append(f'<line x1="{pad}" y1="{height - 10}" x2="{width}" y2="{height - 10}" stroke="#555"/>')
    parts.append(f'<text x="2" y="24">{100 * top:.0f}%</text><text x="2" y="{height - 10}">0%</text>')
    for i, week in enumerate(weeks):
        if len(weeks) <= 12 or i % math.ceil(len(weeks) / 12) == 0:
            anchor = "start" if i == 0 else "end" if i == len(weeks) - 1 else "middle"
            parts.append(
                f'<text x="{x(i):.0f}" y="{height + 8}" text-anchor="{anchor}">{escape(week)}</text>'
            )
    for n, party in enumerate(parties):
        colour = palette[n % len(palette)]
        points = [
            (weeks.index(w["iso_week"]), w[share] or 0)
            for w in weekly
            if (w["party"] or "no party attributed") == party
        ]
        path = " ".join(f"{x(i):.1f},{y(s):.1f}" for i, s in sorted(points))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, value in points:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{text(party)} {escape(weeks[i])}: {100 * value:.1f}%</title></circle>"
            )
        parts.append(
            f'<text x="{width - 4}" y="{16 + 14 * n}" text-anchor="end" fill="{colour}">{text(party)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every data value above went through escape()


def by_key(
    con: duckdb.DuckDBPyConnection, sql: str, key: str, ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of one report model for every id in `ids`, in one query, grouped by `key`."""
    grouped: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in rows(con, sql, [ids]):
        grouped[row.pop(key)].append(row)
    return grouped


def campaigns_data(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Everything the pages of the campaigns `ids` show, read from the report models."""
    campaigns = {
        c["campaign_id"]: c
        for c in rows(
            con,
            "select * exclude (party_signals) from marts.campaigns where list_contains(?, campaign_id)",
            [ids],
        )
    }
    accounts = by_key(
        con,
        """select campaign_id, user_id, screen_name, account_created_at, followers, following, group_id,
                  n_campaigns, n_automated_campaigns, posts_here, first_post
           from reports.rpt_campaign_accounts where list_contains(?, campaign_id)
           order by campaign_id, first_post, user_id""",
        "campaign_id",
        ids,
    )
    variants = by_key(
        con,
        """select campaign_id, text, n from reports.rpt_campaign_variants
           where list_contains(?, campaign_id) order by campaign_id, variant_rank""",
        "campaign_id",
        ids,
    )
    entities = by_key(
        con,
        """select campaign_id, kind, value, n from reports.rpt_campaign_entities
           where list_contains(?, campaign_id) order by campaign_id, entity_rank""",
        "campaign_id",
        ids,
    )
    minutes = by_key(
        con,
        """select campaign_id, minute, n_posts from reports.rpt_campaign_minutes
           where list_contains(?, campaign_id) order by campaign_id, minute""",
        "campaign_id",
        ids,
    )
    return {
        i: {
            "campaign": campaigns[i],
            "accounts": accounts[i],
            "variants": variants[i],
            "entities": entities[i],
            "minutes": minutes[i],
        }
        for i in ids
        if i in campaigns
    }


def groups_data(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Everything the pages of the groups `ids` show."""
    groups = {
        g["group_id"]: g
        for g in rows(con, "select * from marts.account_groups where list_contains(?, group_id)", [ids])
    }
    members = by_key(
        con,
        """select group_id, user_id, screen_name, account_created_at, followers, following, n_campaigns,
                  n_automated_campaigns, automated_share, party_lean, coordination_degree
           from marts.accounts where list_contains(?, group_id)
           order by group_id, n_campaigns desc, user_id""",
        "group_id",
        ids,
    )
    campaigns = by_key(
        con,
        """select group_id, campaign_id, party, is_automated, amplification_score, n_accounts, n_tweets,
                  first_seen, canonical_text, group_accounts
           from reports.rpt_group_campaigns where list_contains(?, group_id)
           order by group_id, first_seen, campaign_id""",
        "group_id",
        ids,
    )
    return {
        i: {"group": groups[i], "members": members[i], "campaigns": campaigns[i]} for i in ids if i in groups
    }


def write_page(folder: Path, name: str, html: str, data: dict[str, Any]) -> Path:

    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{name}.html"
    write_atomic(page, html)
    write_atomic(folder / f"{name}.json", json.dumps(data, indent=1, default=str, ensure_ascii=False))
    return page


def render_campaigns(
    con: duckdb.DuckDBPyConnection, settings: Settings, env: Environment, ids: list[str]
) -> None:
    """One page per automated campaign among `ids`."""
    template = env.get_template("campaign.html.j2")
    for campaign_id, data in campaigns_data(con, ids).items():
        html = template.render(data=data, chart=per_minute(data["minutes"]))
        write_page(settings.reports / "campaigns", campaign_id, html, data)


def render_groups(
    con: duckdb.DuckDBPyConnection, settings: Settings, env: Environment, ids: list[str]
) -> None:
    """One page per group among `ids`."""
    template = env.get_template("group.html.j2")
    for group_id, data in groups_data(con, ids).items():
        write_page(settings.reports / "groups", group_id, template.render(data=data), data)
