"""Exports for network tools: the account co-activity network as GraphML or GEXF (Gephi, igraph,
networkx) or as two CSV files (edges, and nodes beside them), from the published warehouse."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

import duckdb

from chorus.analyst.warehouse import published, sandboxed
from chorus.analyst.warehouse import rows as warehouse_rows
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
        return warehouse_rows(con, sql, params)
    except duckdb.Error as exc:  # a warehouse published before these tables existed
        raise ChorusError(f"the warehouse cannot be exported ({str(exc).splitlines()[0]})") from exc


def export_graph(settings: Settings, fmt: str, out: Path, chosen: GraphFilter) -> tuple[int, int]:
    """Write the network to `out` (CSV: edges there, nodes in `<out stem>.nodes.csv`); return
    (nodes, edges)."""
    if fmt not in FORMATS:
        raise ChorusError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    if not out.parent.is_dir():
        raise ChorusError(f"{out.parent}: no such folder for --out")
    settings.refuse_overwriting(out)
    if fmt == "csv":
        settings.refuse_overwriting(nodes_path(out))
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


# Characters XML 1.0 cannot carry at all (C0 controls but tab, newline and return; U+FFFE/FFFF;
# lone surrogates): account names are untrusted, and a reader would refuse the whole file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ATTRIBUTE_ENTITIES = {'"': "&quot;", "'": "&apos;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def xml_text(value: object) -> str:
    """A value as XML attribute text: escaped, quotes included, characters XML cannot hold dropped."""
    return escape(NOT_XML.sub("", str(value)), ATTRIBUTE_ENTITIES)


def attribute_types(records: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, str]:
    """The XML type of each attribute, from the first non-null value (string when all are null)."""
    types = {}
    for name in names:
        sample = next((r[name] for r in records if r[name] is not None), "")
        types[name] = XML_TYPES.get(type(sample), "string")
    return types


def elements(template: str, record: dict[str, Any], names: dict[str, str]) -> str:
    """One XML element per attribute of `record` named in `names` that has a value: `template`
    with `{name}` and `{value}` (escaped) filled in."""
    return "".join(
        template.format(name=name, value=xml_text(record[name])) for name in names if record[name] is not None
    )


NODE_ATTRIBUTES = tuple(c for c in NODE_COLUMNS if c != "user_id")
EDGE_ATTRIBUTES = tuple(c for c in EDGE_COLUMNS if c not in ("source", "target"))


def write_graph(fmt: str, out: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """GraphML or GEXF, streamed to the file: an undirected multigraph (a pair can be tied by
    co-tweets and co-retweets, each an edge with its kind). Written here rather than through
    networkx, whose writers build the whole document in memory (24 s and 2.9 GiB for the 477k ties
    of a 1M-tweet archive); the tests read every file back with networkx and igraph."""
    with out.open("w", encoding="utf-8") as handle:
        if fmt == "graphml":
            write_graphml(handle, nodes, edges)
        else:
            write_gexf(handle, nodes, edges)


def write_graphml(handle: TextIO, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    node_types = attribute_types(nodes, NODE_ATTRIBUTES) | {"label": "string"}
    edge_types = attribute_types(edges, EDGE_ATTRIBUTES)
    handle.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for name, kind in node_types.items():
        handle.write(f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in edge_types.items():
        handle.write(f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    handle.write('<graph id="chorus" edgedefault="undirected">\n')
    for node in nodes:
        values = {**node, "label": node["screen_name"] or node["user_id"]}
        data = elements('<data key="n_{name}">{value}</data>', values, node_types)
        handle.write(f'<node id="{xml_text(node["user_id"])}">{data}</node>\n')
    for number, edge in enumerate(edges):
        data = elements('<data key="e_{name}">{value}</data>', edge, edge_types)
        handle.write(
            f'<edge id="e{number}" source="{xml_text(edge["source"])}" '
            f'target="{xml_text(edge["target"])}">{data}</edge>\n'
        )
    handle.write("</graph>\n</graphml>\n")


def write_gexf(handle: TextIO, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    node_types = attribute_types(nodes, NODE_ATTRIBUTES)
    edge_types = attribute_types(edges, tuple(a for a in EDGE_ATTRIBUTES if a != "weight"))
    gexf_type = {"long": "long", "double": "double", "boolean": "boolean", "string": "string"}
    handle.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
        '<graph defaultedgetype="undirected" mode="static">\n'
    )
    for cls, types in (("node", node_types), ("edge", edge_types)):
        handle.write(f'<attributes class="{cls}" mode="static">\n')
        for name, kind in types.items():
            handle.write(f'<attribute id="{cls}_{name}" title="{name}" type="{gexf_type[kind]}"/>\n')
        handle.write("</attributes>\n")
    handle.write("<nodes>\n")
    for node in nodes:
        values = elements('<attvalue for="node_{name}" value="{value}"/>', node, node_types)
        label = xml_text(node["screen_name"] or node["user_id"])
        handle.write(
            f'<node id="{xml_text(node["user_id"])}" label="{label}"><attvalues>{values}</attvalues></node>\n'
        )
    handle.write("</nodes>\n<edges>\n")
    for number, edge in enumerate(edges):
        values = elements('<attvalue for="edge_{name}" value="{value}"/>', edge, edge_types)
        handle.write(
            f'<edge id="{number}" source="{xml_text(edge["source"])}" target="{xml_text(edge["target"])}" '
            f'weight="{float(edge["weight"])}"><attvalues>{values}</attvalues></edge>\n'
        )
    handle.write("</edges>\n</graph>\n</gexf>\n")
