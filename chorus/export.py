"""Exports for network tools: the account co-activity network as GraphML or GEXF (Gephi, igraph,
networkx) or as two CSV files (edges, and nodes beside them), from the published warehouse."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from chorus.analyst import published, sandboxed
from chorus.config import Settings
from chorus.errors import ChorusError

FORMATS = ("graphml", "gexf", "csv")
NODE_COLUMNS = ("user_id", "screen_name", "party_lean", "group_id", "automated_share", "n_campaigns")
EDGE_COLUMNS = ("source", "target", "kind", "weight", "n_events", "campaigns", "first_at", "last_at")


@dataclass(frozen=True)
class GraphFilter:
    """Which part of the network to export: one ISO week's ties, one party's accounts, and edges
    that recur at least `min_weight` times (distinct campaigns)."""

    week_start: date | None = None
    party: str | None = None
    min_weight: int = 1


def network(settings: Settings, chosen: GraphFilter) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(nodes, edges) of the account network under `chosen`, read on a sandboxed connection."""
    week = chosen.week_start
    with sandboxed(published(settings)) as con:
        edges = rows(
            con,
            """
            with ties as (
                select account_a, account_b, kind, campaign_id, least(tweeted_a_at, tweeted_b_at) as tied_at
                from marts.account_pair_tweets
                where $week::date is null
                    or (least(tweeted_a_at, tweeted_b_at) >= $week::date
                        and least(tweeted_a_at, tweeted_b_at) < $week::date + interval 7 day)
            )
            select account_a as source, account_b as target, kind,
                   count(distinct campaign_id) as weight, count(*) as n_events,
                   string_agg(distinct campaign_id, ' ' order by campaign_id) as campaigns,
                   strftime(min(tied_at), '%Y-%m-%dT%H:%M:%S') as first_at,
                   strftime(max(tied_at), '%Y-%m-%dT%H:%M:%S') as last_at
            from ties
            group by all
            having count(distinct campaign_id) >= $min_weight
            order by source, target, kind
            """,
            {"week": week, "min_weight": chosen.min_weight},
        )
        nodes = rows(
            con,
            """
            select user_id, coalesce(screen_name, '') as screen_name, coalesce(party_lean, '') as party_lean,
                   coalesce(group_id, '') as group_id, automated_share, n_campaigns
            from marts.accounts
            where $party::varchar is null or party_lean = $party
            order by user_id
            """,
            {"party": chosen.party},
        )
    keep = {n["user_id"] for n in nodes}
    edges = [e for e in edges if e["source"] in keep and e["target"] in keep]
    tied = {e["source"] for e in edges} | {e["target"] for e in edges}
    return [n for n in nodes if n["user_id"] in tied], edges


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        cursor = con.execute(sql, params)
    except duckdb.Error as exc:  # a warehouse published before these tables existed
        raise ChorusError(f"the warehouse cannot be exported ({str(exc).splitlines()[0]})") from exc
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def export_graph(settings: Settings, fmt: str, out: Path, chosen: GraphFilter) -> tuple[int, int]:
    """Write the network to `out` (CSV: edges there, nodes in `<out stem>.nodes.csv`); return
    (nodes, edges)."""
    if fmt not in FORMATS:
        raise ChorusError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    if not out.parent.is_dir():
        raise ChorusError(f"{out.parent}: no such folder for --out")
    nodes, edges = network(settings, chosen)
    if fmt == "csv":
        write_csv(out, EDGE_COLUMNS, edges)
        write_csv(nodes_path(out), NODE_COLUMNS, nodes)
    else:
        write_graph(fmt, out, nodes, edges)
    return len(nodes), len(edges)


def nodes_path(out: Path) -> Path:
    return out.with_name(out.stem + ".nodes.csv")


def write_csv(path: Path, columns: tuple[str, ...], records: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(records)


def write_graph(fmt: str, out: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """GraphML or GEXF through networkx (a multigraph: a pair can be tied by co-tweets and
    co-retweets, each an edge with its kind)."""
    import networkx as nx

    graph = nx.MultiGraph()
    for node in nodes:
        attributes = {k: ("" if v is None else v) for k, v in node.items() if k != "user_id"}
        attributes["label"] = node["screen_name"] or node["user_id"]
        graph.add_node(node["user_id"], **attributes)
    for edge in edges:
        attributes = {k: v for k, v in edge.items() if k not in ("source", "target")}
        graph.add_edge(edge["source"], edge["target"], key=edge["kind"], **attributes)
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        nx.write_gexf(graph, out)
