"""Command line of the development tools: `python -m tools synth|eval|sqllint`.

Errors are one line on stderr and exit 2, as in the product's command line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from chorus.cli import positive
from chorus.errors import ChorusError
from tools.synth import FORMATS, MIXED


def formats_of(text: str) -> list[str]:
    """`mixed` or a comma-separated list of the generator's formats; anything else is an error."""
    chosen = MIXED if text == "mixed" else [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ChorusError(f"--formats {text!r}: expected 'mixed' or some of {', '.join(FORMATS)}")
    return chosen


def cmd_eval(args: argparse.Namespace) -> int:
    """Score detection on generated archives against their ground truth."""
    from tools.evaluate import main as evaluate_main

    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        raise ChorusError(f"--seeds {args.seeds!r}: expected comma-separated whole numbers") from None
    return evaluate_main(seeds, args.days, formats_of(args.formats))


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic archive and its ground truth."""
    from tools.synth import generate

    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        raise ChorusError(f"--start {args.start!r}: expected YYYY-MM-DD") from None
    truth = generate(
        Path(args.out),
        seed=args.seed,
        start=start,
        days=args.days,
        accounts=args.accounts,
        organic_per_day=args.organic_per_day,
        campaigns_per_week=args.campaigns_per_week,
        formats=formats_of(args.formats),
    )
    print(
        f"{truth['tweets']} tweets, {len(truth['campaigns'])} automated campaigns "  # type: ignore[arg-type]
        f"-> {args.out}/archive (truth: {args.out}/truth.json)"
    )
    return 0


def cmd_sqllint(args: argparse.Namespace) -> int:
    """Check (or fix) the dbt project's SQL style."""
    from tools.sqllint import sqllint

    return sqllint(fix=args.fix)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tools", description="Chorus development tools.")
    sub = top.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="score detection on generated archives against their ground truth")
    ev.add_argument("--seeds", default="1,2,3", help="comma-separated generator seeds")
    ev.add_argument("--days", type=positive, default=10)
    ev.add_argument("--formats", default="mixed", help="as for synth")
    ev.set_defaults(func=cmd_eval)
    syn = sub.add_parser("synth", help="generate a synthetic archive with known campaigns")
    syn.add_argument("--out", required=True, help="folder to write archive/ and truth.json into")
    syn.add_argument("--seed", type=int, default=7)
    syn.add_argument("--start", default="2011-10-10", help="first day (YYYY-MM-DD)")
    syn.add_argument("--days", type=positive, default=10)
    syn.add_argument("--accounts", type=positive, default=1500)
    syn.add_argument("--organic-per-day", type=positive, default=700)
    syn.add_argument("--campaigns-per-week", type=positive, default=10)
    syn.add_argument(
        "--formats",
        default="v1",
        help="comma-separated day formats: v1, v2 (twarc2 pages), twarc-csv, io, array; or 'mixed'",
    )
    syn.set_defaults(func=cmd_synth)
    lint = sub.add_parser("sqllint", help="check the dbt project's SQL style (sqlfluff, dbt templater)")
    lint.add_argument("--fix", action="store_true", help="rewrite what sqlfluff can fix")
    lint.set_defaults(func=cmd_sqllint)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ChorusError as exc:
        print(f"tools: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tools: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
