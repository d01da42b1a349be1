"""Benchmarks: generate archives, time every stage in its own process, print and save the figures.

Each stage runs as `chorus <stage>` in a child process; its wall time and peak RSS (including
the dbt child it starts) are measured from outside. The baselines are DuckDB's own readers over the
same files, measured in the same run (`bench.baseline`): a count of the tweets, every column
materialised, and a plain single-query detector.

The archive mixes formats as issue 16 states its target (API v1.1 JSON lines, API v2 pages and
Information Operations CSV, a day each in turn); `--formats v1` makes one of v1.1 lines only.
"""

from __future__ import annotations

import bz2
import gzip
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.baseline import files_by_format
from chorus.config import DBT_PROJECT_DIR, Settings
from tools.synth import generate
from tools.synth_dense import generate_dense


@dataclass(frozen=True)
class Size:
    """An archive to generate: `blocks` consecutive collections of `days` days each.

    A block is one generator world (accounts, campaigns, look-alikes); large sizes are several
    blocks one after another, so the generator never holds more than one block in memory.
    """

    days: int
    organic_per_day: int
    accounts: int
    blocks: int = 1
    variants: bool = True  # also time the exact-only build and the one-day incremental build
    dense: int = 0  # > 0: an operation's release of this many tweets (tools.synth_dense) instead
    small_files: int = 0  # > 0: a zip of this many one-tweet members (each an input) instead
    weekly: bool = False  # only the cost of one more week against the build of all the weeks before


SIZES = {
    "tiny": Size(3, 600, 400),
    "100k": Size(14, 7_000, 20_000),
    "1m": Size(14, 70_000, 150_000),
    "10m": Size(14, 70_000, 150_000, blocks=10, variants=False),
    # the scheduled job: the same ~50k-tweet week added to a warehouse of 20 weeks (~1M tweets) and
    # of 200 weeks (~10M), each after a build of all the weeks before it
    "weeks-1m": Size(140, 7_000, 150_000, variants=False, weekly=True),
    "weeks-10m": Size(140, 7_000, 150_000, blocks=10, variants=False, weekly=True),
    "weeks-tiny": Size(14, 300, 400, variants=False, weekly=True),  # the smoke test's
    # an operation's release (IO CSV, no app, minute times): ~650 accounts, each in hundreds or
    # thousands of campaigns over four months, where pairing campaigns through accounts is worst
    "dense-350k": Size(120, 0, 650, variants=False, dense=350_000),
    "dense-1m": Size(120, 0, 650, variants=False, dense=1_000_000),
    # many small inputs: the lake loose (one set of files per input) against packed (the default)
    "files-200": Size(28, 0, 3_000, variants=False, small_files=200),
    "files-10k": Size(28, 0, 3_000, variants=False, small_files=10_000),
}
START = date(2011, 10, 10)


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

    @classmethod
    def of(
        cls, size: str, step: str, seconds: float, rss: float, tweets: int, megabytes: float | None = None
    ) -> Figure:
        """A figure from raw measurements, rounded for printing and for the JSON file."""
        mb_per_s = round(megabytes / seconds, 1) if megabytes is not None else None
        return cls(size, step, round(seconds, 2), round(rss, 1), tweets, round(tweets / seconds), mb_per_s)


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


# The formats of the bench archive, a day each in turn (issue 16's "mixed formats": v1.1 JSON
# lines, v2 pages, Information Operations CSV), or v1.1 lines alone.
ARCHIVE_FORMATS = {"mixed": ["v1", "v2", "io"], "v1": ["v1"]}


def generate_archive(size: Size, data: Path, formats: str = "v1") -> int:
    """Generate (once) the archive of `size` under `data/archive`; return its number of tweets.

    The generator packs v2 pages with bzip2, which DuckDB cannot read: they are re-packed with
    gzip, so that the baselines read the very files Chorus reads.
    """
    done = data / "tweets.txt"
    if done.exists():
        return int(done.read_text())
    shutil.rmtree(data, ignore_errors=True)
    (data / "archive").mkdir(parents=True)
    if size.dense:
        tweets = generate_dense(data / "archive" / "release_io.csv.gz", size.dense, size.accounts, size.days)
        done.write_text(str(tweets))
        return tweets
    tweets = 0
    for block in range(size.blocks):
        part = data / f"block-{block:02d}"
        truth = generate(
            part,
            seed=17 + block,
            start=START + timedelta(days=block * size.days),
            days=size.days,
            accounts=size.accounts,
            organic_per_day=size.organic_per_day,
            campaigns_per_week=max(10, size.organic_per_day // 700),
            formats=ARCHIVE_FORMATS[formats],
        )
        tweets += int(truth["tweets"])  # type: ignore[call-overload]
        for file in (part / "archive").iterdir():  # blocks overlap by a day: prefix the names
            file.rename(data / "archive" / f"b{block:02d}-{file.name}")
        shutil.rmtree(part)
    for packed in (data / "archive").glob("*.bz2"):
        with bz2.open(packed) as source, gzip.open(packed.with_suffix(".gz"), "wb") as sink:
            shutil.copyfileobj(source, sink)
        packed.unlink()
    done.write_text(str(tweets))
    return tweets


def run_size(
    name: str,
    root: Path,
    chorus: str,
    peer: bool,
    s3: bool = False,
    spark: bool = False,
    formats: str = "mixed",
) -> list[Figure]:
    size = SIZES[name]
    if size.small_files:
        return small_files(name, size, root, chorus)
    data = root / (f"archive-{name}" if formats == "v1" else f"archive-{name}-{formats}")
    tweets = generate_archive(size, data, formats)
    files = sorted(str(p) for p in (data / "archive").iterdir())
    if size.weekly:
        return weekly(name, root, chorus, files, tweets)
    by_format = json.dumps(files_by_format(files))
    megabytes = sum(Path(f).stat().st_size for f in files) / 2**20
    home = root / f"home-{name}"
    shutil.rmtree(home, ignore_errors=True)
    figures: list[Figure] = []

    def add(step: str, seconds: float, rss: float, with_mb: bool = False) -> None:
        figures.append(Figure.of(name, step, seconds, rss, tweets, megabytes if with_mb else None))

    for mode in ("count", "materialise"):
        seconds, rss = measured([sys.executable, "-m", "bench.baseline", mode, by_format])
        add(f"duckdb read_json ({mode})", seconds, rss, with_mb=True)
    seconds, rss = measured([sys.executable, "-m", "bench.baseline", "detector", by_format])
    add(BASELINE_DETECTOR, seconds, rss, with_mb=True)
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
    add(STAGES_SUMMED, total, peak)
    if size.variants:
        # the command itself, on a home of its own: one process, and the docs page made while
        # the gate, the publication and the report run
        whole = root / f"home-{name}-run"
        shutil.rmtree(whole, ignore_errors=True)
        seconds, rss = measured([chorus, "run", "-q", "--home", str(whole), str(data / "archive")])
        add(ONE_COMMAND, seconds, rss, with_mb=True)
        shutil.rmtree(whole, ignore_errors=True)
    graph = root / f"network-{name}.graphml"
    seconds, rss = measured(
        [chorus, "export", "graph", "--home", str(home), "--format", "graphml", "--out", str(graph)]
    )
    add("export graph (whole network, graphml)", seconds, rss)
    add("account models (accounts, groups, tie evidence)", model_seconds(home, ACCOUNT_MODELS), 0)
    add("detection models, near-duplicates on", model_seconds(home, DETECTION), 0)
    chorus_models = {
        "co_tweet": model_seconds(home, ("account_pairs",)),
        "near_duplicates": model_seconds(home, NEAR_DUPLICATES),
    }
    if size.variants:
        exact_only = {"CHORUS_DBT_VARS": json.dumps({"near_duplicates": False})}
        seconds, rss = measured([chorus, "build", "--home", str(home)], env=exact_only)
        add("build, exact grouping only", seconds, rss)
        add("detection models, exact grouping only", model_seconds(home, DETECTION), 0)
        figures.extend(incremental(name, root, chorus, files, tweets))
    if s3:
        figures.extend(object_storage(name, root, chorus, data / "archive", tweets, megabytes))
    if spark:
        figures.append(spark_build(name, root, chorus, home, tweets))
    if peer:
        figures.extend(peer_comparison(name, root, files, tweets, chorus_models))
    return figures


def small_files(name: str, size: Size, root: Path, chorus: str) -> list[Figure]:
    """A zip of one-tweet members ingested and built twice in each of two homes: the lake left
    loose (`CHORUS_PACK_INPUTS=0`) and packed before the build (the default)."""
    archive = root / f"archive-{name}" / "members.zip"
    if not archive.exists():
        archive.parent.mkdir(parents=True, exist_ok=True)
        write_small_files(archive, size.small_files, size.accounts, size.days)
    figures = []
    for mode, pack_inputs in (("loose", "0"), ("packed", "16")):
        home = root / f"home-{name}-{mode}"
        shutil.rmtree(home, ignore_errors=True)
        env = {"CHORUS_PACK_INPUTS": pack_inputs}
        steps = (("ingest", ["ingest", "-q", str(archive)]), ("build", ["build"]), ("build again", ["build"]))
        for step, args in steps:
            seconds, rss = measured([chorus, args[0], "--home", str(home), *args[1:]], env=env)
            figures.append(Figure.of(name, f"{mode}: {step}", seconds, rss, size.small_files))
        files = sum(1 for p in (home / "lake").rglob("*.parquet"))
        print(f"{name} {mode}: {files} Parquet files in the lake")
    return figures


def write_small_files(path: Path, count: int, accounts: int, days: int) -> None:
    """`count` API v1.1 statuses, one per zip member, with texts of their own (no campaign)."""
    words = ["the", "debate", "vote", "party", "tax", "school", "health", "law", "city", "plan"]
    pick = random.Random(7)
    start = datetime(2011, 10, 1, tzinfo=UTC)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for i in range(count):
            when = start + timedelta(days=i % days, seconds=pick.randrange(86_400))
            status = {
                "id_str": str(10**17 + i),
                "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "text": " ".join(pick.choice(words) for _ in range(12)) + f" {i}",
                "user": {"id_str": str(1000 + i % accounts), "screen_name": f"user{i % accounts}"},
            }
            out.writestr(f"members/{i:06d}.json", json.dumps(status))


SPARK_BUILD = "spark: build (dbt on local spark + gate + publish)"


def spark_build(name: str, root: Path, chorus: str, home: Path, tweets: int) -> Figure:
    """The same models on a local SparkSession (all cores), over the lake the DuckDB run ingested:
    a full build into a home of its own, the published warehouse made from Spark's Parquet tables
    and gated as on DuckDB. Spark's JVM counts in the peak."""
    spark_home = root / f"home-{name}-spark"
    shutil.rmtree(spark_home, ignore_errors=True)
    lake = home / "lake"
    shutil.rmtree(lake / "_warehouse", ignore_errors=True)
    env = {"CHORUS_LAKE": str(lake), "CHORUS_ENGINE": "spark"}
    seconds, rss = measured([chorus, "build", "--home", str(spark_home)], env)
    return Figure.of(name, SPARK_BUILD, seconds, rss, tweets)


BASELINE_DETECTOR = "plain duckdb detector (one query)"
STAGES_SUMMED = "total as `chorus run` (stages summed)"
ONE_COMMAND = "`chorus run` (one command, new home)"
S3_INGEST = "s3 lake: ingest"
S3_BUILD = "s3 lake: build (dbt + docs + gate + publish)"


def object_storage(
    name: str, root: Path, chorus: str, archive: Path, tweets: int, megabytes: float
) -> list[Figure]:
    """The same archive with the lake in an S3 bucket (moto's server on loopback, so without a real
    network's latency; its memory is the store's, not counted): ingest, build, and an ingest again
    that skips every file by hash."""
    from tools.loopback import make_bucket, s3_emulator

    home = root / f"home-{name}-s3"
    shutil.rmtree(home, ignore_errors=True)
    figures = []
    with s3_emulator() as endpoint:
        make_bucket(endpoint, "chorus-bench")
        env = {**endpoint, "CHORUS_HOME": str(home), "CHORUS_LAKE": "s3://chorus-bench/lake"}
        for step, args in (
            (S3_INGEST, ["ingest", "-q", str(archive)]),
            (S3_BUILD, ["build"]),
            ("s3 lake: ingest again (every file skipped)", ["ingest", "-q", str(archive)]),
        ):
            seconds, rss = measured([chorus, *args], env)
            read = megabytes if step == S3_INGEST else None
            figures.append(Figure.of(name, step, seconds, rss, tweets, read))
    return figures


NEAR_DUPLICATES = (
    "int_message_signatures",
    "int_message_candidate_links",
    "int_message_similarity",
    "int_messages_near_duplicates",
)
DETECTION = (
    "int_text_normalised",
    "int_tweets_normalised",
    *NEAR_DUPLICATES,
    "int_messages_grouped_to_campaigns",
    "int_accounts",
    "int_campaign_features",
    "int_campaign_coactivity",
    "int_campaigns_scored",
    "int_tweet_party_signals",
    "int_campaigns_attributed",
    "campaigns",
    "campaign_tweets",
    "party_daily",
    "party_weekly",
    "account_pairs",
)


ACCOUNT_MODELS = (
    "int_account_co_events",
    "int_account_ties",
    "int_account_groups",
    "int_group_campaigns",
    "accounts",
    "account_groups",
    "account_pair_tweets",
)


def model_times(home: Path) -> dict[str, float]:
    """Seconds dbt spent on each model in the last build of `home` (from run_results.json)."""
    run_results = Settings.make(home).dbt_dir / "target" / "run_results.json"
    results = json.loads(run_results.read_text())["results"]
    return {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results
        if r["unique_id"].startswith("model.")
    }


def model_seconds(home: Path, models: tuple[str, ...]) -> float:
    """Seconds dbt spent on `models` in the last build."""
    return sum(seconds for model, seconds in model_times(home).items() if model in models)


def incremental(name: str, root: Path, chorus: str, files: list[str], tweets: int) -> list[Figure]:
    """Cost of adding one day to a lake that holds the others: ingest it, then build.

    The lake first gets every file but the last full day (untimed), is built once, then the
    day is added and the ingest and build after it are timed. The files are named one by one:
    a folder of symlinks to them would be refused (a symlink out of the folder given).
    """
    home = root / f"home-{name}-incremental"
    shutil.rmtree(home, ignore_errors=True)
    added = files[-2] if len(files) > 1 else files[-1]
    env = {"CHORUS_HOME": str(home)}
    measured([chorus, "ingest", "-q", *(f for f in files if f != added)], env)
    measured([chorus, "build"], env)
    figures = []
    for step, command in (
        ("incremental: ingest one more day", [chorus, "ingest", "-q", added]),
        ("incremental: build after one more day", [chorus, "build"]),
    ):
        seconds, rss = measured(command, env)
        figures.append(Figure.of(name, step, seconds, rss, tweets))
    check_lake_holds(home, tweets)
    return figures


def check_lake_holds(home: Path, tweets: int) -> None:
    """Raise unless the lake of `home` holds every tweet of the archive: an input ingest refused
    would leave a smaller warehouse, and a figure of work that was never done."""
    from chorus.ingest.packs import read_objects

    held = sum(obj.tweets for obj in read_objects(Settings.make(home).lake))
    if held != tweets:
        raise RuntimeError(f"{home}: the lake holds {held} tweets, the archive {tweets}")


WEEK_BASE = "weekly: build of the weeks before"
WEEK_ADDED = "weekly: build after one more week"
WEEK_AGAIN = "weekly: build again, nothing new"
WEEK_MODEL = "weekly: the week's build, model "


def weekly(name: str, root: Path, chorus: str, files: list[str], tweets: int) -> list[Figure]:
    """The scheduled job's cost: a warehouse of every day but the last seven (one file a day),
    ingested and built (timed: the full build), then the last week ingested and built (timed),
    then built again with nothing new (the floor any build pays: dbt, the gate, the docs)."""
    home = root / f"home-{name}"
    shutil.rmtree(home, ignore_errors=True)
    env = {"CHORUS_HOME": str(home)}
    base, week = files[:-7], files[-7:]
    figures = []
    for step, command in (
        ("weekly: ingest the weeks before", [chorus, "ingest", "-q", *base]),
        (WEEK_BASE, [chorus, "build"]),
        ("weekly: ingest one more week", [chorus, "ingest", "-q", *week]),
        (WEEK_ADDED, [chorus, "build"]),
        (WEEK_AGAIN, [chorus, "build"]),
    ):
        seconds, rss = measured(command, env)
        figures.append(Figure.of(name, step, seconds, rss, tweets))
        if step == WEEK_ADDED:  # where the week's build spends its time (what reads the whole lake)
            for model, spent in slowest_models(home):
                figures.append(Figure.of(name, f"{WEEK_MODEL}{model}", spent, 0, tweets))
    check_lake_holds(home, tweets)
    return figures


def slowest_models(home: Path, count: int = 8) -> list[tuple[str, float]]:
    """The `count` models dbt spent longest on in the last build of `home`."""
    return sorted(model_times(home).items(), key=lambda m: -m[1])[:count]


PEER_PACKAGE = "coordination-network-toolkit==1.5.2"


def peer_venv(root: Path) -> Path:
    """A venv of its own for the peer tool (kept out of the project's pinned set)."""
    venv = root / "peer-venv"
    tool = venv / "bin" / "compute_networks"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PEER_PACKAGE], check=True)
    return tool


def peer_input(files: list[str], out: Path) -> int:
    """The archive as the toolkit reads it: one plain v1.1 status per line.

    The toolkit's reader stops at the first line that is not a complete status (a stream
    notice, a capture cut mid-line), so those lines are left out here; Chorus reads them all.
    """
    import gzip

    import orjson

    kept = 0
    with out.open("wb") as sink:
        for file in files:
            with gzip.open(file) as stream:
                for line in stream:
                    try:
                        status = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(status, dict) and "id_str" in status and "user" in status:
                        sink.write(line.rstrip(b"\n") + b"\n")
                        kept += 1
    return kept


def peer_comparison(
    name: str, root: Path, files: list[str], tweets: int, chorus_models: dict[str, float]
) -> list[Figure]:
    """coordination-network-toolkit on the same archive: preprocess, co_tweet, co_similar_tweet.

    Same time window as Chorus (60 s) and the same Jaccard threshold as its near-duplicates.
    """
    tool = str(peer_venv(root))
    work = root / f"peer-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    lines = work / "statuses.jsonl"
    peer_input(files, lines)
    db = str(work / "peer.db")
    threshold = str(dbt_var("near_dup_jaccard"))
    window = str(dbt_var("coordination_window_seconds"))
    steps = [
        ("peer: preprocess", [tool, db, "preprocess", "--format", "twitter_json", str(lines)]),
        ("peer: co_tweet", [tool, db, "compute", "co_tweet", "--time_window", window, "--n_cpus", "2"]),
        (
            "peer: co_similar_tweet",
            [tool, db, "compute", "co_similar_tweet", "--time_window", window]
            + ["--similarity_threshold", threshold, "--n_cpus", "2"],
        ),
    ]
    figures = []
    for step, command in steps:
        seconds, rss = measured(command)
        figures.append(Figure.of(name, step, seconds, rss, tweets))
    for kind, seconds in chorus_models.items():
        figures.append(Figure.of(name, f"chorus: {kind} model", seconds, 0, tweets))
    shutil.rmtree(work)
    return figures


def dbt_var(key: str) -> object:
    """A default var of the dbt project (the thresholds the peer is run with)."""
    import yaml

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return project["vars"][key]


def ratios(figures: list[Figure], size: str) -> list[str]:
    """The comparisons the targets are stated in, as printable lines."""
    step = {f.step: f.seconds for f in figures if f.size == size}
    if WEEK_ADDED in step:
        ratio = step[WEEK_ADDED] / step[WEEK_BASE]
        lines = [f"{size}: build after one more week / build of the weeks before = {ratio:.2f}x"]
        if size == "weeks-10m" and any(f.size == "weeks-1m" for f in figures):
            smaller = {f.step: f.seconds for f in figures if f.size == "weeks-1m"}
            lines.append(f"week's build at 10M / at 1M = {step[WEEK_ADDED] / smaller[WEEK_ADDED]:.2f}x")
        return lines
    if "packed: build again" in step:
        again = step["packed: build again"] / step["loose: build again"]
        first = step["packed: build"] / step["loose: build"]
        return [f"{size}: packed / loose lake: build {first:.2f}x (packing in it), build again {again:.2f}x"]
    ingest = step["ingest"]
    lines = [
        f"{size}: ingest / read_json materialise = {ingest / step['duckdb read_json (materialise)']:.2f}x;"
        f" / read_json count = {ingest / step['duckdb read_json (count)']:.2f}x",
    ]
    run = step.get(ONE_COMMAND, step[STAGES_SUMMED])
    lines.append(f"{size}: chorus run / plain duckdb detector = {run / step[BASELINE_DETECTOR]:.2f}x")
    added = step.get("incremental: build after one more day")
    if added is not None:
        full = step["build (dbt + docs + gate + publish)"]
        lines.append(f"{size}: build after adding one day / full build = {added / full:.2f}x")
    if S3_INGEST in step:
        lines.append(
            f"{size}: s3 lake / local lake: ingest {step[S3_INGEST] / ingest:.2f}x,"
            f" build {step[S3_BUILD] / step['build (dbt + docs + gate + publish)']:.2f}x"
        )
    if SPARK_BUILD in step:
        lines.append(
            f"{size}: build on local spark / on duckdb = "
            f"{step[SPARK_BUILD] / step['build (dbt + docs + gate + publish)']:.2f}x"
        )
    if "peer: co_similar_tweet" in step:
        for peer, ours in (("co_similar_tweet", "near_duplicates"), ("co_tweet", "co_tweet")):
            lines.append(
                f"{size}: peer {peer} / chorus {ours} model = "
                f"{step[f'peer: {peer}'] / max(step[f'chorus: {ours} model'], 0.01):.1f}x"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m bench [--peer] [--s3] [--spark] [--formats mixed|v1] [SIZE ...]`
    (sizes: tiny, 100k, 1m, 10m, weeks-1m, weeks-10m, dense-350k, dense-1m, files-200,
    files-10k; formats: mixed by default)."""
    args = list(argv if argv is not None else sys.argv[1:])
    formats = "mixed"
    if "--formats" in args:
        at = args.index("--formats")
        formats = args[at + 1] if at + 1 < len(args) else ""
        del args[at : at + 2]
    if formats not in ARCHIVE_FORMATS:
        print(f"unknown formats {formats!r} (one of {', '.join(ARCHIVE_FORMATS)})", file=sys.stderr)
        return 2
    peer, s3, spark = "--peer" in args, "--s3" in args, "--spark" in args
    if peer and formats != "v1":
        print("--peer needs --formats v1 (the peer tool reads v1.1 statuses only)", file=sys.stderr)
        return 2
    sizes = [a for a in args if a not in ("--peer", "--s3", "--spark")] or ["100k", "1m"]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        print(f"unknown size {unknown[0]!r} (one of {', '.join(SIZES)})", file=sys.stderr)
        return 2
    root = Path(os.environ.get("CHORUS_BENCH_DIR", "bench/out"))
    root.mkdir(parents=True, exist_ok=True)
    chorus = str(Path(sys.executable).parent / "chorus")
    # Each run starts from an empty home: a lake shared through the environment would already
    # hold the archive, and every file would be skipped by hash.
    os.environ.pop("CHORUS_LAKE", None)
    figures: list[Figure] = []
    try:
        for size in sizes:
            figures.extend(run_size(size, root, chorus, peer, s3, spark, formats))
    finally:  # a size that fails still leaves the figures of the sizes before it
        write_figures(figures, root, formats)
    return 0


def write_figures(figures: list[Figure], root: Path, formats: str) -> None:
    """Print the figures measured, each size's ratios, and write them to `bench/out/bench.json`."""
    print(f"{'size':>5} {'step':<44} {'seconds':>8} {'tweets/s':>10} {'MB/s':>7} {'peak MiB':>9}")
    for f in figures:
        mb = f"{f.mb_per_s:7.1f}" if f.mb_per_s is not None else " " * 7
        rss = f"{f.peak_rss_mb:9.1f}" if f.peak_rss_mb else " " * 9
        print(f"{f.size:>5} {f.step:<44} {f.seconds:8.2f} {f.tweets_per_s:10d} {mb} {rss}")
    for size in dict.fromkeys(f.size for f in figures):
        print("\n".join(ratios(figures, size)))
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "formats": ARCHIVE_FORMATS[formats],
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "figures": [asdict(f) for f in figures],
    }
    out = root / "bench.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"figures written to {out}")


if __name__ == "__main__":
    sys.exit(main())
