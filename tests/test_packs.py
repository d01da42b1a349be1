"""Small inputs packed into shared lake parts: every row kept, few files, removal, repair and
crash recovery (chorus.ingest.packs)."""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from chorus.config import Settings
from chorus.ingest import ingest, packs
from chorus.ingest.lake import is_ingested
from chorus.ingest.maintenance import damaged, remove, repair
from tests.conftest import chorus_cli, v1_status

DAYS = ("Mon Oct 10", "Tue Oct 11", "Wed Oct 12")


def many_members(path: Path, count: int) -> Path:
    """A zip of `count` one-input members over three days; every seventh adds a broken line and a
    delete notice, so rejects and notices are packed too."""
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(count):
            status = v1_status(
                1000 + i,
                f"user{i % 9}",
                f"message {i} of the night",
                created_at=f"{DAYS[i % 3]} 21:03:15 +0000 2011",
            )
            lines = [json.dumps(status)]
            if i % 7 == 0:
                lines += ['{"id": broken', json.dumps({"delete": {"status": {"id_str": str(5000 + i)}}})]
            archive.writestr(f"day/{i:04d}.jsonl", "\n".join(lines) + "\n")
    return path


def lake_rows(settings: Settings, without: str = "") -> dict[str, list[tuple[object, ...]]]:
    """Every row of the lake's tweets and audit tables (the audit rows without their `parts`),
    but those of the input `without`."""
    root = settings.lake.path
    queries = {
        "tweets": f"select * from read_parquet('{root}/tweets/*/*.parquet') where file_sha256 != $1",
        "files": f"select * exclude (parts) from read_parquet('{root}/_audit/files/*.parquet') "
        "where sha256 != $1",
        "rejects": f"select * from read_parquet('{root}/_audit/rejects/*.parquet') where file_sha256 != $1",
        "notices": f"select * from read_parquet('{root}/_audit/notices/*.parquet') where file_sha256 != $1",
    }
    with duckdb.connect() as con:
        return {
            name: sorted(con.execute(sql, [without]).fetchall(), key=repr) for name, sql in queries.items()
        }


def files_in(settings: Settings) -> int:
    return sum(1 for p in settings.lake.path.rglob("*") if p.is_file() and not p.name.startswith("."))


@pytest.fixture()
def loose(tmp_path: Path) -> tuple[Settings, Path]:
    """A home whose lake holds 40 loose one-tweet inputs."""
    settings = replace(Settings.make(tmp_path / "home"), pack_inputs=16)
    archive = many_members(tmp_path / "many.zip", 40)
    ingest([archive], settings, progress=False)
    return settings, archive


def test_small_inputs_are_packed_into_one_part_per_day_with_every_row_kept(
    loose: tuple[Settings, Path],
) -> None:
    settings, archive = loose
    before, files_before = lake_rows(settings), files_in(settings)
    done = packs.pack_lake(settings)
    assert (done.packs, done.inputs, done.tweets) == (1, 40, 40)
    assert lake_rows(settings) == before
    assert files_before == 160 and files_in(settings) == 3 + 3 + 1  # parts per day, audit objects, stamp
    assert not list(settings.lake.path.glob("_audit/packing/*"))
    # every member counts as ingested: offered again, none is read twice
    summary = ingest([archive], settings, progress=False)
    assert summary.new_files == 0 and summary.skipped_files == 40
    # each audit row names the pack's part of its own day only
    with duckdb.connect() as con:
        parts = con.execute(
            f"select distinct len(parts) from read_parquet('{settings.lake.path}/_audit/files/*.parquet')"
        ).fetchall()
    assert parts == [(1,)]


def test_few_loose_inputs_and_large_ones_stay_as_they_are(loose: tuple[Settings, Path], monkeypatch) -> None:
    settings, _ = loose
    assert packs.pack_lake(replace(settings, pack_inputs=41)).packs == 0
    assert packs.pack_lake(replace(settings, pack_inputs=0)).packs == 0
    monkeypatch.setattr(packs, "SMALL_TWEETS", 1)  # every input here is then too large to pack
    assert packs.pack_lake(settings).packs == 0
    assert files_in(settings) == 160


def test_packs_not_yet_full_are_packed_again_with_new_inputs(
    loose: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = loose
    packs.pack_lake(settings)
    ingest([many_members(tmp_path / "more.zip", 60)], settings, progress=False)  # 20 members new
    before = lake_rows(settings)
    done = packs.pack_lake(settings)
    assert (done.packs, done.inputs) == (1, 60)
    assert lake_rows(settings) == before and files_in(settings) == 7


def test_removing_a_packed_input_writes_its_pack_again_without_it(loose: tuple[Settings, Path]) -> None:
    settings, _ = loose
    packs.pack_lake(settings)
    with duckdb.connect() as con:  # a member with a reject and a notice
        [(sha,)] = con.execute(
            f"select sha256 from read_parquet('{settings.lake.path}/_audit/files/*.parquet') "
            "where rejects > 0 order by sha256 limit 1"
        ).fetchall()
    expected = lake_rows(settings, without=sha)
    assert all(len(rows) < len(lake_rows(settings)[name]) for name, rows in expected.items())
    [removed] = remove(settings, sha)
    assert (removed.sha256, removed.tweets) == (sha, 1)
    assert lake_rows(settings) == expected and not is_ingested(settings.lake, sha)
    assert files_in(settings) == 7 + 1  # and the removal record
    with pytest.raises(Exception, match="no such input"):
        remove(settings, sha)


def test_an_interrupted_packing_is_finished_or_undone(loose: tuple[Settings, Path], monkeypatch) -> None:
    settings, _ = loose
    before = lake_rows(settings)

    def crash(*args: object) -> int:
        raise KeyboardInterrupt

    # the pack's audit object written, the loose inputs not yet gone: the next packing finishes it
    monkeypatch.setattr(packs, "finish", crash)
    with pytest.raises(KeyboardInterrupt):
        packs.pack_lake(settings)
    monkeypatch.undo()
    assert list(settings.lake.path.glob("_audit/packing/*.json"))
    packs.recover(settings.lake)
    assert lake_rows(settings) == before and files_in(settings) == 7

    # parts written, the pack's audit object not: the next packing removes what there is of it
    ingest([many_members(settings.home.parent / "more.zip", 60)], settings, progress=False)
    before, files_before = lake_rows(settings), files_in(settings)
    real_write = settings.lake.write_parquet

    def write_but_not_the_audit_row(table, *parts: str) -> None:
        if parts[:2] == ("_audit", "files"):
            raise KeyboardInterrupt
        real_write(table, *parts)

    monkeypatch.setattr(
        type(settings.lake), "write_parquet", lambda self, t, *p: write_but_not_the_audit_row(t, *p)
    )
    with pytest.raises(KeyboardInterrupt):
        packs.pack_lake(settings)
    monkeypatch.undo()
    assert files_in(settings) > files_before  # the partial pack is there, unread by any build
    packs.recover(settings.lake)
    assert lake_rows(settings) == before and files_in(settings) == files_before
    assert packs.pack_lake(settings).inputs == 60 and lake_rows(settings) == before


def test_a_damaged_pack_loses_only_the_members_of_the_missing_part(loose: tuple[Settings, Path]) -> None:
    settings, archive = loose
    packs.pack_lake(settings)
    shutil.rmtree(next(settings.lake.path.glob("tweets/day=2011-10-11")))
    broken = damaged(settings)
    assert len(broken) == 13  # members 1, 4, ..., 37: the second day's
    assert {sha for sha, _ in repair(settings)} == {sha for sha, _ in broken}
    assert damaged(settings) == [] and len(lake_rows(settings)["tweets"]) == 27
    summary = ingest([archive], settings, progress=False)  # offered again, the 13 come back
    assert summary.new_files == 13 and len(lake_rows(settings)["tweets"]) == 40


@pytest.mark.slow
def test_a_run_over_many_small_inputs_publishes_the_same_warehouse_packed(tmp_path: Path) -> None:
    archive = many_members(tmp_path / "many.zip", 40)
    homes = {"loose": tmp_path / "loose", "packed": tmp_path / "packed"}
    for name, home in homes.items():
        env = {"CHORUS_PACK_INPUTS": "0" if name == "loose" else "16"}
        done = chorus_cli("run", "-q", "--home", str(home), str(archive), env=env)
        assert done.returncode == 0, done.stderr
    assert len(list((homes["loose"] / "lake" / "_audit" / "files").iterdir())) == 40
    assert len(list((homes["packed"] / "lake" / "_audit" / "files").iterdir())) == 1
    with duckdb.connect() as con:
        con.execute(f"attach '{homes['loose'] / 'chorus.duckdb'}' as a (read_only)")
        con.execute(f"attach '{homes['packed'] / 'chorus.duckdb'}' as b (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'a'"
        ).fetchall()
        assert len(tables) > 20
        for schema, table in tables:
            columns = "* exclude (ingested_at)" if table == "ingest_files" else "*"
            for x, y in (("a", "b"), ("b", "a")):
                sql = f"select {columns} from {x}.{schema}.{table} except all "
                sql += f"select {columns} from {y}.{schema}.{table}"
                assert con.execute(f"select count(*) from ({sql})").fetchone() == (0,), f"{schema}.{table}"
