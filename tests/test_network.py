"""Accounts, groups and the evidence of every tie: what researchers open first, and the exports
network tools read (GraphML, GEXF, CSV), opened with networkx and igraph."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest

from chorus.analyst.export import GraphFilter, export_graph, nodes_path
from chorus.analyst.sensitivity import grids, sensitivity
from chorus.config import Settings
from tests.conftest import chorus_cli


def test_every_campaign_account_has_a_row_and_every_tie_its_tweets(warehouse) -> None:
    missing = warehouse.execute(
        "select count(distinct user_id) from marts.campaign_tweets anti join marts.accounts using (user_id)"
    ).fetchone()[0]
    assert missing == 0
    unexplained = warehouse.execute(
        """select count(*) from marts.account_pairs p
           left join (select account_a, account_b, kind, count(*) as n
                      from marts.account_pair_tweets group by all) e
               using (account_a, account_b, kind)
           where p.n_events is distinct from e.n"""
    ).fetchone()[0]
    assert unexplained == 0
    late = warehouse.execute(
        f"select count(*) from marts.account_pair_tweets where seconds_apart > {60}"
    ).fetchone()[0]
    assert late == 0


def test_an_accounts_coordination_degree_counts_each_partner_once_whatever_the_kinds(warehouse) -> None:
    pairs = warehouse.execute("select account_a, account_b, kind from marts.account_pairs").fetchall()
    partners: dict[str, set[str]] = {}
    for a, b, _ in pairs:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    both_kinds = {(a, b) for a, b, kind in pairs if kind == "co_tweet"} & {
        (a, b) for a, b, kind in pairs if kind == "co_retweet"
    }
    assert both_kinds, "the sample has pairs tied by co-tweets and co-retweets both"
    degrees = dict(warehouse.execute("select user_id, coordination_degree from marts.accounts").fetchall())
    assert partners and all(degrees[user] == len(partners[user]) for user in partners)
    assert all(degree == 0 for user, degree in degrees.items() if user not in partners)


def test_a_team_of_the_generator_lands_in_one_group(sample, warehouse) -> None:
    _, truth = sample
    for kind in ("headline_botnet", "rt_group"):
        ids = [i for c in truth["campaigns"] if c["kind"] == kind for i in c["tweet_ids"]]
        groups = warehouse.execute(
            """select a.group_id, count(distinct a.user_id) from staging.stg_tweets t
               join marts.accounts a using (user_id)
               where t.tweet_id in (select unnest(?::varchar[])) group by all order by 2 desc""",
            [ids],
        ).fetchall()
        accounts = sum(n for _, n in groups)
        assert groups[0][0] is not None and groups[0][1] >= 0.8 * accounts, (kind, groups[:3])
        summary = warehouse.execute(
            "select summary, n_automated_campaigns from marts.account_groups where group_id = ?",
            [groups[0][0]],
        ).fetchone()
        assert summary[1] >= 2 and re.match(r"\d+ accounts pushed \d+ message", summary[0])


def test_groups_are_deterministic(home_copy: Settings) -> None:
    query = "select * from marts.account_groups order by group_id"
    with duckdb.connect(str(home_copy.warehouse), read_only=True) as con:
        before = con.execute(query).fetchall()
    done = chorus_cli("build", "--full-refresh", "--home", str(home_copy.home))
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(home_copy.warehouse), read_only=True) as con:
        assert con.execute(query).fetchall() == before


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_exports_open_in_networkx_and_igraph(built, tmp_path: Path, fmt: str) -> None:
    import igraph
    import networkx as nx

    settings = built[0]
    out = tmp_path / f"network.{fmt}"
    nodes, edges = export_graph(settings, fmt, out, GraphFilter(min_weight=2))
    assert nodes > 10 and edges > 10
    if fmt == "graphml":
        graph = nx.read_graphml(out)
        other = igraph.Graph.Read_GraphML(str(out))
        assert other.vcount() == nodes and other.ecount() == edges
    elif fmt == "gexf":
        graph = nx.read_gexf(out)
        other = igraph.Graph.from_networkx(graph)
        assert other.vcount() == nodes
    else:
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        graph = nx.from_edgelist((r["source"], r["target"]) for r in rows)
        other = igraph.Graph.TupleList(((r["source"], r["target"]) for r in rows), directed=False)
        assert other.ecount() == edges
        with nodes_path(out).open(encoding="utf-8") as handle:
            assert {r["user_id"] for r in csv.DictReader(handle)} >= set(graph.nodes)
    assert graph.number_of_nodes() == nodes
    if fmt != "csv":
        some = next(iter(graph.edges(data=True)))[2]
        assert {"kind", "weight", "campaigns", "first_at", "last_at"} <= set(some)
        attributes = next(iter(graph.nodes(data=True)))[1]
        assert {"screen_name", "party_lean", "group_id", "automated_share"} <= set(attributes)


def test_export_filters_narrow_the_network(built, tmp_path: Path) -> None:
    settings = built[0]
    everything = export_graph(settings, "csv", tmp_path / "all.csv", GraphFilter())
    recurring = export_graph(settings, "csv", tmp_path / "w2.csv", GraphFilter(min_weight=2))
    one_party = export_graph(settings, "csv", tmp_path / "ps.csv", GraphFilter(party="PS"))
    from datetime import date

    one_week = export_graph(settings, "csv", tmp_path / "wk.csv", GraphFilter(week_start=date(2011, 10, 17)))
    assert everything[1] > recurring[1] > 0
    assert everything[0] > one_party[0] > 0 and everything[1] > one_week[1] > 0
    with (tmp_path / "ps.nodes.csv").open(encoding="utf-8") as handle:
        assert {r["party_lean"] for r in csv.DictReader(handle)} == {"PS"}
    done = chorus_cli(
        "export",
        "graph",
        "--home",
        str(settings.home),
        "--format",
        "gexf",
        "--out",
        str(tmp_path / "n" / "x.gexf"),
    )
    assert done.returncode == 2 and "no such folder" in done.stderr


def test_sensitivity_moves_as_the_thresholds_do(built) -> None:
    rows = sensitivity(built[0])
    by_setting: dict[str, list] = {}
    for row in rows:
        by_setting.setdefault(row.setting, []).append(row)
    for setting, found in by_setting.items():
        counts = [r.campaigns for r in sorted(found, key=lambda r: r.value)]
        if setting == "coordination_window_seconds":
            assert counts == sorted(counts), setting  # a wider window ties more pairs
        else:
            assert counts == sorted(counts, reverse=True), setting  # a stricter threshold keeps fewer
    # each sweep holds the built value once, marked (the sample is built on the project's vars)
    assert sorted(r.setting for r in rows if r.built) == sorted(by_setting)
    done = chorus_cli("sensitivity", "--home", str(built[0].home))
    assert done.returncode == 0 and "automation threshold" in done.stdout and "* 0.5" in done.stdout


def test_sensitivity_sweeps_centre_on_the_built_settings() -> None:
    """The grids follow the warehouse's own settings: a stricter build is swept around its values,
    never below its minimum of accounts or above its window (the tables hold nothing there)."""
    grid = grids({"automation_threshold": 0.9, "min_accounts": 10, "coordination_window_seconds": 30})
    assert 0.9 in grid["automation_threshold"] and max(grid["automation_threshold"]) <= 1
    assert min(grid["min_accounts"]) == 10 and len(grid["min_accounts"]) == 5
    assert max(grid["coordination_window_seconds"]) == 30 and min(grid["coordination_window_seconds"]) >= 1


def test_campaign_and_group_pages_exist_link_and_escape(built) -> None:
    reports = built[0].reports
    with duckdb.connect(str(built[0].warehouse), read_only=True) as con:
        automated = {
            r[0] for r in con.execute("select campaign_id from marts.campaigns where is_automated").fetchall()
        }
    pages = {p.stem for p in (reports / "campaigns").glob("*.html")}
    assert automated <= pages
    assert list((reports / "groups").glob("*.html"))
    for page in [
        *reports.glob("*.html"),
        *(reports / "campaigns").glob("*.html"),
        *(reports / "groups").glob("*.html"),
    ]:
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#:]+)"', html):
            assert (page.parent / href).resolve().exists(), (page.name, href)
        assert "<script>alert" not in html
    twin = json.loads(next((reports / "campaigns").glob("*.json")).read_text(encoding="utf-8"))
    assert {"campaign", "accounts", "variants", "minutes"} <= set(twin)
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "polyline" in index and "How the results move" in index


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_hostile_names_stay_inside_their_attribute(tmp_path: Path, fmt: str) -> None:
    """Names with quotes, markup, newlines and characters XML cannot hold still give a file both
    readers open, with the names as they were (less what XML cannot carry)."""
    import igraph
    import networkx as nx

    from chorus.analyst.export import write_graph

    names = ["a\"b'c", "<script>x</script>", "tab\there\nnew & line", "bell\x07\x00end", "ünï©ødé 🐦"]
    nodes = [
        {"user_id": f"u{i}", "screen_name": n, "party_lean": "", "group_id": "", "automated_share": None}
        | {"n_campaigns": i}
        for i, n in enumerate(names)
    ]
    edges = [
        {"source": "u0", "target": f"u{i}", "kind": kind, "weight": 2, "n_events": 3, "campaigns": "c1 c2"}
        | {"first_at": "2011-10-12T21:03:00", "last_at": "2011-10-12T21:04:00"}
        for i in range(1, len(names))
        for kind in ("co_tweet", "co_retweet")
    ]
    out = tmp_path / f"hostile.{fmt}"
    write_graph(fmt, out, nodes, edges)
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert graph.number_of_nodes() == len(names) and graph.number_of_edges() == len(edges)
    got = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert got["u0"] == "a\"b'c" and got["u1"] == "<script>x</script>"
    assert got["u2"] == "tab\there\nnew & line" and got["u3"] == "bellend" and got["u4"] == "ünï©ødé 🐦"
    kinds = sorted(d["kind"] for _, _, d in graph.edges(data=True))
    assert kinds == sorted(["co_tweet", "co_retweet"] * (len(names) - 1))
    if fmt == "graphml":
        other = igraph.Graph.Read_GraphML(str(out))
        assert other.vcount() == len(names) and other.ecount() == len(edges)
