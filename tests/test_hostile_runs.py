"""Hostile input and misuse through whole runs: publication goes on, the gate stays robust to what
ingest accepts, the warehouse and the home are never escaped, and every user mistake is one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from chorus import pipeline
from chorus.build import build
from chorus.config import Settings
from chorus.errors import ValidationFailed
from chorus.lock import home_lock
from tests.conftest import REAL_FIXTURES, chorus_cli, tools_cli, v1_status, write_jsonl

pytestmark = pytest.mark.slow


def one_line_error(done, code: int = 2, prog: str = "chorus") -> str:
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.strip().splitlines() if not line.startswith("WARNING")]
    assert len(errors) == 1 and errors[0].startswith(f"{prog}: "), done.stderr
    return errors[0]


def small_archive(folder: Path, prefix: int = 0, accounts: int = 12) -> Path:
    """A small v1.1 archive: ordinary tweets and one message posted by `accounts` accounts."""
    folder.mkdir(parents=True, exist_ok=True)
    statuses = [
        v1_status(
            prefix + i,
            f"acct{i}",
            f"ordinary chatter number {i} about the debate",
            source="Twitpop",
            created_at=f"Wed Oct 12 21:{i % 60:02d}:15 +0000 2011",
        )
        for i in range(1, 40)
    ]
    statuses += [
        v1_status(
            prefix + 100 + i,
            f"bot{i}",
            "Rassembler la gauche et rassembler les Français ce soir",
            source="Twitpop",
            created_at=f"Wed Oct 12 22:00:{i:02d} +0000 2011",
        )
        for i in range(accounts)
    ]
    return write_jsonl(folder / f"part-{prefix}.jsonl", statuses)


def count(settings: Settings, sql: str) -> int:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return int(con.execute(sql).fetchone()[0])


def test_hostile_folder_is_published_with_everything_good_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    small_archive(folder)
    # authorless tweets: a personal archive's tweets.js without its account.js, CSV rows without a
    # user id or handle (a handle alone keys its author: twitteR's exports name no ids)
    owned = [{"tweet": v1_status(500 + i, "x", "Le même message sans auteur connu ici")} for i in range(5)]
    for item in owned:
        del item["tweet"]["user"]
    (folder / "data").mkdir()
    (folder / "data" / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(owned))
    rows = "\n".join(
        f'{600 + i},,,1,2011-01-01,"Encore un message sans auteur",2011-10-12 21:0{i},' for i in range(5)
    )
    (folder / "io.csv").write_text(
        "tweetid,userid,user_screen_name,follower_count,account_creation_date,tweet_text,tweet_time,hashtags\n"
        + rows
        + "\n"
    )
    long_id = v1_status(1, "a", "long id")
    long_id["id_str"] = "7" * 5000
    write_jsonl(folder / "long.jsonl", [long_id])
    (folder / "junk.json").write_bytes(b"\x00\xff" * 100)
    # every real-format sample too: users, lists, counts and compliance pages, a personal archive...
    shutil.copytree(REAL_FIXTURES, folder / "real")
    done = chorus_cli("run", "-q", "--home", str(tmp_path / "home"), str(folder))
    assert done.returncode == 0, done.stderr
    settings = Settings.make(tmp_path / "home")
    assert count(settings, "select count(*) from marts.campaigns where n_accounts < 1") == 0
    assert count(settings, "select count(*) from staging.stg_tweets where user_id is null") == 10
    assert count(settings, "select max(length(raw)) from audit.rejects") <= 4096
    assert count(settings, "select count(*) from marts.campaigns where is_automated") >= 1
    assert count(settings, "select count(*) from audit.stream_notices where kind = 'compliance'") > 0
    assert count(settings, "select count(*) from staging.stg_tweets where source_format like '%v2%'") > 0


def test_data_docs_never_show_hostile_text(home_copy: Settings, monkeypatch) -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"

    def tampered_build(settings: Settings, extra_vars=None, **options: bool) -> Path:
        candidate = build(settings, extra_vars, **options)
        with duckdb.connect(str(candidate)) as con:
            con.execute(
                "update marts.campaigns set party = ? "
                "where campaign_id = (select min(campaign_id) from marts.campaigns)",
                [hostile],
            )
        return candidate

    monkeypatch.setattr(pipeline, "build", tampered_build)
    with pytest.raises(ValidationFailed, match="relationships_campaigns_party"):
        pipeline.build_and_publish(home_copy, full_refresh=True)  # the copy's warehouse is current
    pages = list((home_copy.gx_home / "data_docs").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        assert "alert(1)" not in text and "onerror=alert" not in text, page


@pytest.mark.parametrize(
    "sql",
    [
        "attach '/tmp/forged.duckdb' as forged",
        "copy (select 1) to '/tmp/leak.csv'",
        "export database '/tmp/leak'",
        "install httpfs",
        "select 1; select 2",
        "select * from read_csv('/etc/passwd')",
        "create table staging.x as select 1",
        "set enable_external_access = true",
    ],
)
def test_query_runs_one_read_only_statement_and_reaches_nothing_else(built, sql: str) -> None:
    one_line_error(chorus_cli("query", "--home", str(built[0].home), sql))
    assert not Path("/tmp/forged.duckdb").exists() and not Path("/tmp/leak.csv").exists()


def test_query_writes_out_files_and_refuses_a_missing_folder(built, tmp_path: Path) -> None:
    home = str(built[0].home)
    out = tmp_path / "campaigns.csv"
    done = chorus_cli("query", "--home", home, "select * from marts.campaigns", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("campaign_id,")
    one_line_error(chorus_cli("query", "--home", home, "select 1", "--out", str(tmp_path / "no" / "x.csv")))


def test_a_second_build_waits_for_the_first_and_says_so(home_copy: Settings) -> None:
    with home_lock(home_copy.home, timeout=5):
        done = chorus_cli("build", "--home", str(home_copy.home), env={"CHORUS_LOCK_TIMEOUT": "1"})
    assert "another chorus build holds this home" in one_line_error(done)


def test_deletions_and_removals_shrink_the_warehouse_without_closing_the_gate(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = small_archive(tmp_path / "a", 0), small_archive(tmp_path / "b", 1000)
    assert chorus_cli("run", "-q", "--home", str(home), str(first), str(second)).returncode == 0
    settings = Settings.make(home)
    total = count(settings, "select count(*) from staging.stg_tweets")
    # a third of the tweets deleted by notices: explained, the gate stays open
    deletes = [{"delete": {"status": {"id_str": str(i), "user_id_str": "1"}}} for i in range(1, 30)]
    write_jsonl(tmp_path / "deletes.jsonl", deletes)
    done = chorus_cli("run", "-q", "--home", str(home), str(tmp_path / "deletes.jsonl"))
    assert done.returncode == 0, done.stderr
    assert count(settings, "select count(*) from staging.stg_tweets") == total - 29
    # an input taken out with `chorus lake remove`: audited, explained, the gate stays open
    done = chorus_cli("lake", "remove", "--home", str(home), str(second))
    assert done.returncode == 0 and "removed" in done.stdout, done.stderr
    assert chorus_cli("build", "--home", str(home)).returncode == 0
    assert count(settings, "select count(*) from staging.stg_tweets") == total - 29 - 51
    # a part lost with its audit row (no trace of why): the gate closes, --accept-shrink is logged
    for part in settings.lake.path.glob("tweets/*/*.parquet"):
        part.unlink()
    for row in settings.lake.path.glob("_audit/files/*.parquet"):
        row.unlink()
    write_jsonl(tmp_path / "one.jsonl", [v1_status(9999, "last", "the only tweet left")])
    done = chorus_cli("run", "-q", "--home", str(home), str(tmp_path / "one.jsonl"))
    assert done.returncode == 1 and "stg_tweets.rows" in done.stderr, done.stderr
    done = chorus_cli("build", "--accept-shrink", "--home", str(home))
    assert done.returncode == 0, done.stderr
    recorded = json.loads((settings.gx_home / "last_validation.json").read_text())
    assert recorded["overrides"] and "accept-shrink" in recorded["overrides"][0]


def test_a_damaged_lake_is_not_published_and_repair_restores_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    archive = small_archive(tmp_path / "a")
    assert chorus_cli("run", "-q", "--home", str(home), str(archive)).returncode == 0
    settings = Settings.make(home)
    before = count(settings, "select count(*) from staging.stg_tweets")
    shutil.rmtree(next(settings.lake.path.glob("tweets/day=*")))
    done = chorus_cli("build", "--home", str(home))
    assert done.returncode == 1 and "chorus lake repair" in done.stderr, done.stderr
    done = chorus_cli("lake", "repair", "-q", "--home", str(home), str(archive))
    assert done.returncode == 0 and "damaged" in done.stdout, done.stderr
    assert chorus_cli("build", "--home", str(home)).returncode == 0
    assert count(settings, "select count(*) from staging.stg_tweets") == before
    # offering the file again is enough too: an input whose parts are gone is not skipped
    shutil.rmtree(next(settings.lake.path.glob("tweets/day=*")))
    assert chorus_cli("run", "-q", "--home", str(home), str(archive)).returncode == 0
    assert count(settings, "select count(*) from staging.stg_tweets") == before


def test_a_lake_of_rejects_only_builds_empty_tables(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n[1, 2\n")
    done = chorus_cli("run", "-q", "--home", str(tmp_path / "home"), str(bad))
    assert done.returncode == 0, done.stderr
    settings = Settings.make(tmp_path / "home")
    assert count(settings, "select count(*) from staging.stg_tweets") == 0
    assert count(settings, "select count(*) from audit.rejects") == 2


def test_a_garbage_build_state_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert chorus_cli("run", "-q", "--home", str(home), str(small_archive(tmp_path / "a"))).returncode == 0
    settings = Settings.make(home)
    settings.state.write_bytes(b"this is not a database" * 100)
    more = tmp_path / "more.jsonl"  # something new, so that the build reuses the state
    write_jsonl(more, [v1_status(9999, "late", "one more tweet to build")])
    assert chorus_cli("ingest", "-q", "--home", str(home), str(more)).returncode == 0
    done = chorus_cli("build", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert count(settings, "select count(*) from marts.campaigns") >= 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("party,signal_type,value\nPS,hashtag,caf\xe9\n".encode("cp1252"), ":2: not UTF-8"),
        ("party,signal_type,value\nPS,hashtag,x\n".encode("utf-16"), ":1: UTF-16"),
        (b'party,signal_type,value\nPS,hashtag,"open quote\nUMP,hashtag,ump\n', "malformed CSV"),
    ],
)
def test_party_reference_encodings_and_quotes_are_one_line_errors(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_bytes(content)
    archive = small_archive(tmp_path / "a")
    done = chorus_cli("run", "-q", "--home", str(tmp_path / "h"), "--parties", str(parties), str(archive))
    assert expected in one_line_error(done)


def test_the_applied_party_reference_is_the_one_published(tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("party,signal_type,value\nPirates,source,Twitpop\n", encoding="utf-8")
    archive = small_archive(tmp_path / "a")
    home = tmp_path / "h"
    done = chorus_cli("run", "-q", "--home", str(home), "--parties", str(parties), str(archive))
    assert done.returncode == 0, done.stderr
    settings = Settings.make(home)
    assert count(settings, "select count(distinct party) from staging.stg_reference__parties") == 1
    assert count(settings, "select count(*) from marts.campaigns where party = 'Pirates'") >= 1


def test_misuse_is_one_line_never_a_traceback(built, tmp_path: Path) -> None:
    home = str(built[0].home)
    a_file = tmp_path / "home-is-a-file"
    a_file.write_text("x")
    archive = small_archive(tmp_path / "a")
    one_line_error(chorus_cli("run", "-q", "--home", str(a_file), str(archive)))
    one_line_error(chorus_cli("run", "-q", "--home", "/proc/chorus-home", str(archive)))
    for week in ("9999-W52", "2011-W53", "2031-W05", "nonsense"):
        one_line_error(chorus_cli("report", "--home", home, "--week", week))
    assert not any(built[0].reports.glob("2031-W05*"))
    one_line_error(chorus_cli("build", "--home", home, env={"CHORUS_DBT_VARS": "{oops"}))
    one_line_error(tools_cli("synth", "--out", str(tmp_path / "s"), "--formats", "v9"), prog="tools")
    one_line_error(tools_cli("synth", "--out", str(tmp_path / "s"), "--start", "yesterday"), prog="tools")
    one_line_error(tools_cli("eval", "--seeds", "one,two"), prog="tools")
