"""Command line: `chorus run|ingest|build|validate|report|query|export|lake|...` (README, "Command line").

The generator and the evaluation are development tools: `python -m tools synth|eval`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from chorus.config import ENGINES, Settings

if TYPE_CHECKING:  # the stages are imported lazily, so that `chorus --help` starts fast
    from chorus.ingest import IngestSummary

log = logging.getLogger("chorus")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.make(args.home, getattr(args, "parties", None), engine=getattr(args, "engine", None))


def cmd_run(args: argparse.Namespace) -> int:
    from chorus.pipeline import run

    summary = run(
        [Path(p) for p in args.paths],
        _settings(args),
        progress=not args.quiet,
        accept_shrink=args.accept_shrink,
        columns=_columns(args),
    )
    _print_ingest(summary.ingest)
    print(f"campaigns: {summary.campaigns} ({summary.automated} automated)")
    current = summary.validation is not None and summary.validation.current
    print(f"warehouse: {summary.warehouse}" + (" (current: nothing new to build)" if current else ""))
    print(f"reports:   {len(summary.reports)} week(s) in {_settings(args).reports}/index.html")
    return 0


def _print_ingest(summary: IngestSummary) -> None:
    print(
        f"files: {summary.new_files} ingested, {summary.skipped_files} already in the lake; "
        f"tweets: {summary.total('tweet')}, notices: {summary.total('notice')}, "
        f"rejects: {summary.total('rejects')}"
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    from chorus.ingest import ingest

    paths = [Path(p) for p in args.paths]
    _print_ingest(ingest(paths, _settings(args), progress=not args.quiet, columns=_columns(args)))
    return 0


def _columns(args: argparse.Namespace) -> dict[str, str] | None:
    """The --columns map, checked (a bad one is one line, exit 2)."""
    from chorus.errors import ChorusError
    from chorus.ingest.rtables import parse_column_map

    if not args.columns:
        return None
    try:
        return parse_column_map(args.columns)
    except ValueError as exc:
        raise ChorusError(f"--columns: {exc}") from exc


def cmd_build(args: argparse.Namespace) -> int:
    from chorus.pipeline import build_and_publish

    settings = _settings(args)
    validation = build_and_publish(settings, full_refresh=args.full_refresh, accept_shrink=args.accept_shrink)
    if validation.current:
        print(
            f"nothing new since the last build: {settings.warehouse} is current (--full-refresh rebuilds it)"
        )
    else:
        print(f"built, validated ({len(validation.suites)} suites passed) and published {settings.warehouse}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from chorus.pipeline import publish_spark_build

    settings = _settings(args)
    validation = publish_spark_build(settings, accept_shrink=args.accept_shrink)
    print(f"validated ({len(validation.suites)} suites passed) and published {settings.warehouse}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from chorus.errors import ChorusError
    from chorus.publish.gate import validate

    settings = _settings(args)
    if not settings.warehouse.exists():
        raise ChorusError(f"{settings.warehouse}: no published warehouse to validate")
    result = validate(settings)
    for name, ok in result.suites.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    for failure in result.failures:
        print(f"  {failure}")
    if result.data_docs:
        print(f"Data Docs: {result.data_docs}")
    return 0 if result.success else 1


def cmd_report(args: argparse.Namespace) -> int:
    from chorus.report import report

    pages = report(_settings(args), args.week)
    for page in pages:
        print(page)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from chorus.analyst import query

    print(query(_settings(args), args.sql, Path(args.out) if args.out else None, args.limit))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from chorus.analyst import docs_index

    index = docs_index(_settings(args))
    print(index)
    if args.open:
        import webbrowser

        webbrowser.open(index.as_uri())
    return 0


def cmd_lake_remove(args: argparse.Namespace) -> int:
    from chorus.ingest.maintenance import remove
    from chorus.lock import home_lock

    settings = _settings(args)
    with home_lock(settings.home, settings.lock_timeout):  # every target checked before any removal
        for removed in remove(settings, *args.targets):
            print(f"removed {removed.sha256} ({removed.path}, {removed.tweets} tweets)")
    print("the next `chorus build` publishes the warehouse without them")
    return 0


def cmd_lake_pack(args: argparse.Namespace) -> int:
    from chorus.ingest.packs import pack_lake
    from chorus.lock import home_lock

    settings = _settings(args)
    if args.min_inputs is not None:
        settings = replace(settings, pack_inputs=args.min_inputs)
    with home_lock(settings.home, settings.lock_timeout):
        done = pack_lake(settings)
    print(
        f"packed {done.inputs} inputs ({done.tweets} tweets) into {done.packs} packs; "
        f"{done.removed_files} files gone"
    )
    return 0


def cmd_lake_repair(args: argparse.Namespace) -> int:
    from chorus.ingest import ingest
    from chorus.ingest.maintenance import repair
    from chorus.lock import home_lock

    settings = _settings(args)
    with home_lock(settings.home, settings.lock_timeout):
        broken = repair(settings)
    for sha, path in broken:
        print(f"damaged: {path} ({sha}): its parts are gone; marked as not ingested")
    if not broken:
        print("the lake is whole: every input's parts are in place")
    if args.paths:
        _print_ingest(ingest([Path(p) for p in args.paths], settings, progress=not args.quiet))
    elif broken:
        print("ingest those files again (chorus lake repair PATH..., or chorus run) to restore them")
    return 0


def cmd_export_graph(args: argparse.Namespace) -> int:
    from chorus.analyst.export import GraphFilter, export_graph
    from chorus.report import Week

    chosen = GraphFilter(
        week_start=Week.parse(args.week).start if args.week else None,
        party=args.party,
        min_weight=args.min_weight,
    )
    out = Path(args.out)
    nodes, edges = export_graph(_settings(args), args.format, out, chosen)
    print(f"wrote {out}: {nodes} accounts, {edges} ties")
    return 0


def cmd_freshness(args: argparse.Namespace) -> int:
    from chorus.build import freshness

    verdicts = freshness(_settings(args))
    for v in verdicts:
        print(f"{v.status:<5} {v.source}: last input ingested {v.max_loaded_at} ({v.age_hours} h ago)")
    return 1 if any(v.status not in ("pass", "warn") for v in verdicts) else 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from chorus.analyst.sensitivity import as_text, sensitivity

    print(as_text(sensitivity(_settings(args))))
    return 0


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="chorus",
        description=(
            "Find automated amplification campaigns in tweet archives. "
            "Data lives under --home (default $CHORUS_HOME, else ./warehouse)."
        ),
    )
    top.add_argument("-v", "--verbose", action="store_true", help="log every step")
    sub = top.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str, parties: bool = False, paths: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--home", help="data home (default: $CHORUS_HOME, else ./warehouse)")
        if parties:
            p.add_argument(
                "--parties", help="party reference CSV (party,signal_type,value) replacing the default seed"
            )
        if paths:
            p.add_argument(
                "paths", nargs="+", metavar="PATH", help="archive file or folder (searched recursively)"
            )
            p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
            p.add_argument(
                "--columns",
                metavar="MAP",
                help="read every table by this column map: id=COL,user=COL,time=COL,text=COL "
                "(also user_id, source, retweet_of, reply_to, lang); without it a table is read by "
                "<file>.columns.yml beside it, if any",
            )
        return p

    engine_help = "what runs the dbt models (default: $CHORUS_ENGINE, else duckdb)"
    shrink_help = (
        "publish even if the warehouse shrank beyond what deletions and removals explain "
        "(logged, and recorded in the gate's results)"
    )
    run_cmd = add("run", "ingest + build + validate + publish + report, in one go", parties=True, paths=True)
    run_cmd.add_argument("--accept-shrink", action="store_true", help=shrink_help)
    run_cmd.add_argument("--engine", choices=ENGINES, help=engine_help)
    run_cmd.set_defaults(func=cmd_run)
    add("ingest", "archives -> Parquet lake (+ audit tables)", paths=True).set_defaults(func=cmd_ingest)
    build = add("build", "dbt build over the lake, validate, publish", parties=True)
    build.add_argument(
        "--full-refresh",
        action="store_true",
        help="build even when nothing is new since the last build, and rebuild the incremental caches"
        " from scratch (done anyway when models or vars change)",
    )
    build.add_argument("--accept-shrink", action="store_true", help=shrink_help)
    build.add_argument("--engine", choices=ENGINES, help=engine_help)
    build.set_defaults(func=cmd_build)
    pub = add(
        "publish",
        "the DuckDB warehouse from a Spark build's Parquet tables: validate, publish (atomic swap)",
    )
    pub.add_argument("--accept-shrink", action="store_true", help=shrink_help)
    pub.set_defaults(func=cmd_publish)
    add("validate", "the gate over the published file: the build's dbt tests and the GX suites").set_defaults(
        func=cmd_validate
    )
    rep = add("report", "weekly report(s) from the published, validated tables")
    rep.add_argument("--week", help="one ISO week, e.g. 2011-W41 (default: every week)")
    rep.set_defaults(func=cmd_report)
    qry = add("query", "run one read-only SQL query on the published warehouse")
    qry.add_argument("sql", help='e.g. "select * from marts.campaigns order by n_tweets desc"')
    qry.add_argument("--out", help="write all rows to a .csv, .tsv or .parquet file instead of printing")
    qry.add_argument("--limit", type=int, default=50, help="rows to print (0 = all; default 50)")
    qry.set_defaults(func=cmd_query)
    doc = add("docs", "print the path of the dbt docs page (tables and columns described)")
    doc.add_argument("--open", action="store_true", help="also open it in a browser")
    doc.set_defaults(func=cmd_docs)
    export = sub.add_parser("export", help="export the account network for Gephi, igraph or networkx")
    export_sub = export.add_subparsers(dest="export_command", required=True)
    graph = export_sub.add_parser("graph", help="accounts (nodes) tied by co-tweets and co-retweets (edges)")
    graph.add_argument("--home", help="data home (default: $CHORUS_HOME, else ./warehouse)")
    graph.add_argument("--format", required=True, choices=["graphml", "gexf", "csv"])
    graph.add_argument("--week", help="only the ties of one ISO week, e.g. 2011-W41")
    graph.add_argument("--party", help="only the accounts leaning to this party")
    graph.add_argument(
        "--min-weight", type=positive, default=1, help="ties in at least N campaigns (default 1)"
    )
    graph.add_argument(
        "--out", required=True, help="file to write (csv: edges here, nodes in <name>.nodes.csv)"
    )
    graph.set_defaults(func=cmd_export_graph)
    add("freshness", "dbt source freshness: how long since the lake last took an input").set_defaults(
        func=cmd_freshness
    )
    add("sensitivity", "how automated campaigns and accounts move with the main thresholds").set_defaults(
        func=cmd_sensitivity
    )
    lake = sub.add_parser(
        "lake", help="look after the lake: remove an input, pack small ones, repair missing parts"
    )
    lake_sub = lake.add_subparsers(dest="lake_command", required=True)
    rm = lake_sub.add_parser("remove", help="take inputs out of the lake (audited)")
    rm.add_argument("--home", help="data home (default: $CHORUS_HOME, else ./warehouse)")
    rm.add_argument("targets", nargs="+", metavar="SHA256|PATH", help="an input's sha256, or its file")
    rm.set_defaults(func=cmd_lake_remove)
    pack = lake_sub.add_parser("pack", help="pack small inputs into shared parts now (builds do it too)")
    pack.add_argument("--home", help="data home (default: $CHORUS_HOME, else ./warehouse)")
    pack.add_argument(
        "--min-inputs", type=int, help="pack once this many are loose (default: $CHORUS_PACK_INPUTS or 16)"
    )
    pack.set_defaults(func=cmd_lake_pack)
    fix = lake_sub.add_parser("repair", help="find inputs whose parts are missing; re-ingest PATHs")
    fix.add_argument("--home", help="data home (default: $CHORUS_HOME, else ./warehouse)")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="archives to ingest again once marked")
    fix.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    fix.set_defaults(func=cmd_lake_repair)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    from chorus.errors import ChorusError, ValidationFailed

    try:
        return int(args.func(args))
    except ChorusError as exc:
        print(f"chorus: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, ValidationFailed) else 2
    except OSError as exc:  # a read-only home, a home that is a file, a missing folder...
        where = exc.filename or ""
        print(f"chorus: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chorus: interrupted; nothing half-done was published", file=sys.stderr)
        return 130
    except Exception as exc:
        if not type(exc).__module__.lstrip("_").startswith("duckdb"):
            raise
        # a database file Chorus did not write as it is (damaged, truncated, another program's)
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        home = getattr(args, "home", None) or "HOME"
        print(
            f"chorus: {first}; the lake is untouched: `chorus build --home {home}` publishes the "
            "warehouse again from it",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
