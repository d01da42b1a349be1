"""Benchmarks: generate archives, time every stage in its own process, print and save the figures.

Each stage runs as `chorus <stage>` in a child process; its wall time and peak RSS (including
the dbt child it starts) are measured from outside. The baseline is DuckDB's own `read_json` over the
same files, measured in the same run: once as `count(*)` and once materialising every column.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from chorus.synth import generate

SIZES = {
    "tiny": (3, 600, 400),
    "100k": (14, 7_000, 20_000),
    "1m": (14, 70_000, 150_000),
    "10m": (28, 350_000, 1_000_000),
}


@dataclass
class Figure:
    """One measured step."""

    size: str
    step: str
    seconds: float
    peak_rss_mb: float
    tweets: int
    tweets_per_s: float
    mb_per_s: float | None = None


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process and all its descendants.

    The tree's total RSS is sampled every 50 ms (the dbt child included).
    """
    import psutil

    start = time.perf_counter()
    child = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    proc = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{' '.join(command)} failed: {error[-2000:]}")
    return seconds, peak / 2**20


BASELINE = """
import sys, duckdb
con = duckdb.connect()
con.execute("set memory_limit = '4GB'")
files = sys.argv[2:]
if sys.argv[1] == "count":
    con.execute("select count(*) from read_json(?, format='newline_delimited', union_by_name=true, "
                "ignore_errors=true)",
                [files]).fetchall()
else:
    con.execute("create table t as select * from read_json(?, format='newline_delimited', "
                "union_by_name=true, ignore_errors=true, maximum_object_size=67108864)", [files])
"""


def run_size(size: str, root: Path, chorus: str) -> list[Figure]:
    days, per_day, accounts = SIZES[size]
    data = root / f"archive-{size}"
    if not (data / "truth.json").exists():
        generate(
            data,
            seed=17,
            days=days,
            accounts=accounts,
            organic_per_day=per_day,
            campaigns_per_week=max(10, per_day // 700),
        )
    truth = json.loads((data / "truth.json").read_text())
    tweets = int(truth["tweets"])
    files = sorted(str(p) for p in (data / "archive").iterdir())
    megabytes = sum(Path(f).stat().st_size for f in files) / 2**20
    home = root / f"home-{size}"
    subprocess.run(["rm", "-rf", str(home)], check=True)
    figures = []

    def add(step: str, seconds: float, rss: float, with_mb: bool = False) -> None:
        figures.append(
            Figure(
                size,
                step,
                round(seconds, 2),
                round(rss, 1),
                tweets,
                round(tweets / seconds),
                round(megabytes / seconds, 1) if with_mb else None,
            )
        )

    for mode in ("count", "materialise"):
        seconds, rss = measured([sys.executable, "-c", BASELINE, mode, *files])
        add(f"duckdb read_json ({mode})", seconds, rss, with_mb=True)
    # `chorus run` = ingest + build (dbt, docs, GX gate, publish) + report. Validation is part of
    # build; it is also timed alone, and not counted twice in the total.
    stages = [
        ("ingest", ["ingest", "-q", str(data / "archive")]),
        ("build (dbt + docs + gate + publish)", ["build"]),
        ("validate (alone)", ["validate"]),
        ("report", ["report"]),
    ]
    total = 0.0
    peak = 0.0
    for step, args in stages:
        seconds, rss = measured([chorus, args[0], "--home", str(home), *args[1:]])
        add(step, seconds, rss, with_mb=step == "ingest")
        if step != "validate (alone)":
            total += seconds
            peak = max(peak, rss)
    add("total as `chorus run`", total, peak)
    add("detection models, near-duplicates on", detection_seconds(home), 0)
    exact_only = {"CHORUS_DBT_VARS": json.dumps({"near_duplicates": False})}
    seconds, rss = measured([chorus, "build", "--home", str(home)], env=exact_only)
    add("build, exact grouping only", seconds, rss)
    add("detection models, exact grouping only", detection_seconds(home), 0)
    return figures


DETECTION = (
    "int_tweets_normalised",
    "int_messages_near_duplicates",
    "int_messages_grouped_to_campaigns",
    "int_campaign_features",
    "int_campaigns_scored",
    "int_tweet_party_signals",
    "int_campaigns_attributed",
    "int_tweets_with_party",
    "campaigns",
    "campaign_tweets",
    "party_daily",
    "party_weekly",
    "account_pairs",
)


def detection_seconds(home: Path) -> float:
    """Seconds dbt spent on the detection models in the last build (from run_results.json)."""
    results = json.loads((home / ".candidate" / "dbt" / "target" / "run_results.json").read_text())
    return sum(
        r["execution_time"]
        for r in results["results"]
        if r["unique_id"].startswith("model.") and r["unique_id"].split(".")[-1] in DETECTION
    )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    sizes = args or ["100k", "1m"]
    root = Path(os.environ.get("CHORUS_BENCH_DIR", "bench/out"))
    root.mkdir(parents=True, exist_ok=True)
    chorus = str(Path(sys.executable).parent / "chorus")
    figures: list[Figure] = []
    for size in sizes:
        figures.extend(run_size(size, root, chorus))
    print(f"{'size':>5} {'step':<44} {'seconds':>8} {'tweets/s':>10} {'MB/s':>7} {'peak MiB':>9}")
    for f in figures:
        mb = f"{f.mb_per_s:7.1f}" if f.mb_per_s is not None else " " * 7
        rss = f"{f.peak_rss_mb:9.1f}" if f.peak_rss_mb else " " * 9
        print(f"{f.size:>5} {f.step:<44} {f.seconds:8.2f} {f.tweets_per_s:10d} {mb} {rss}")
    for size in sizes:
        by_step = {f.step: f for f in figures if f.size == size}
        ratio = by_step["ingest"].seconds / by_step["duckdb read_json (materialise)"].seconds
        ratio_count = by_step["ingest"].seconds / by_step["duckdb read_json (count)"].seconds
        print(
            f"{size}: ingest / read_json materialise = {ratio:.2f}x; / read_json count = {ratio_count:.2f}x"
        )
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "figures": [asdict(f) for f in figures],
    }
    out = root / "bench.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
