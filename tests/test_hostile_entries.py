"""Hostile input, third round: directory entries outside the per-file guard, user strings that
could reach an engine as syntax, outputs that would overwrite what Chorus keeps, and text that
could reorder a page. Each odd thing is one refusal or one line naming it; the rest goes on."""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.build import read_party_reference
from chorus.config import Settings
from chorus.errors import InputError
from chorus.ingest import ingest
from chorus.ingest.sources import display, input_files, units_of
from chorus.ingest.typed import as_id
from tests.conftest import chorus_cli, v1_status, write_jsonl
from tests.test_hostile_runs import one_line_error

FIXED = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def good_file(path: Path, first: int) -> Path:
    return write_jsonl(
        path, [v1_status(first + i, f"user{i}", f"message number {i} of {first}") for i in range(3)]
    )


def test_odd_directory_entries_are_refusals_and_the_folder_goes_on(tmp_path: Path) -> None:
    """A name that is not UTF-8, a symlink loop, a dangling link and a link out of the folder sit
    beside good files: each odd entry is a refusal with its reason and its name shown escaped; the
    good files, the one with the odd name included, are read."""
    folder = tmp_path / "in"
    folder.mkdir()
    good_file(folder / "a.jsonl", 100)
    odd = os.fsdecode(b"b\xff\xfe\x1b[31m.jsonl")  # not UTF-8, and a terminal escape
    good_file(folder / odd, 200)
    (folder / "loop1").symlink_to("loop2")
    (folder / "loop2").symlink_to("loop1")
    (folder / "dangling").symlink_to(tmp_path / "nowhere")
    outside = good_file(tmp_path / "outside.jsonl", 300)
    (folder / "out").symlink_to(outside)
    settings_ = Settings.make(tmp_path / "home")
    summary = ingest([folder], settings_, progress=False)
    by_name = {r.path: r for r in summary.files}
    assert by_name[str(folder / "a.jsonl")].counts["tweet"] == 3
    escaped = str(folder / "b\\xff\\xfe\\x1b[31m.jsonl")
    assert by_name[escaped].counts["tweet"] == 3, sorted(by_name)
    notes = {name: r.note for name, r in by_name.items()}
    assert notes[str(folder / "loop1")] == notes[str(folder / "loop2")] == "refused: a symlink loop"
    assert "broken symlink" in notes[str(folder / "dangling")]
    assert "outside the input folder" in notes[str(folder / "out")]
    for name in by_name:
        name.encode("utf-8")  # every name the audit keeps is text
        assert name.isprintable(), name


def test_a_missing_or_dangling_path_is_one_line_naming_it(tmp_path: Path) -> None:
    dangling = tmp_path / "archive.jsonl"
    dangling.symlink_to(tmp_path / "gone.jsonl")
    line = one_line_error(chorus_cli("ingest", "--home", str(tmp_path / "home"), str(dangling)))
    assert str(dangling) in line and "broken symlink" in line
    line = one_line_error(chorus_cli("ingest", "--home", str(tmp_path / "home"), str(tmp_path / "none")))
    assert str(tmp_path / "none") in line and "no such file" in line


def test_a_home_duckdb_cannot_hold_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    home = tmp_path / "what?now"
    archive = good_file(tmp_path / "a.jsonl", 1)
    line = one_line_error(chorus_cli("run", "--home", str(home), str(archive)))
    assert str(home) in line and "'?'" in line
    assert not home.exists()


def test_ids_padded_with_zeros_are_the_same_tweet() -> None:
    assert as_id("00012345") == as_id("12345") == as_id(12345) == "12345"
    assert as_id("0") == "0"


ENTRY = st.tuples(
    st.sampled_from(["file", "dir", "link_in", "link_out", "loop", "dangling", "hidden"]),
    st.binary(min_size=1, max_size=12).filter(
        lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
    ),
)


@FIXED
@given(tree=st.lists(st.tuples(st.integers(0, 3), ENTRY), max_size=14))
def test_any_directory_tree_is_listed_without_raising_and_every_file_accounted(
    tree: list[tuple[int, tuple[str, bytes]]],
) -> None:
    """Hypothesis builds folders of odd names (any bytes), nested folders, links in and out,
    loops and dangling links: listing never raises, every regular file is found once, and every
    name it reports is printable text."""
    base = Path(tempfile.mkdtemp())
    try:
        root, outside = base / "root", base / "outside.jsonl"
        root.mkdir()
        outside.write_text("{}\n")
        folders, files = [root], set()
        for depth, (kind, raw) in tree:
            parent = folders[min(depth, len(folders) - 1)]
            name = os.fsdecode(raw.lstrip(b".") or b"x")
            path = parent / (("." + name) if kind == "hidden" else name)
            if path.exists() or path.is_symlink():
                continue
            if kind in ("file", "hidden"):
                path.write_text("{}\n")
                if kind == "file":
                    files.add(path)
            elif kind == "dir":
                path.mkdir()
                folders.append(path)
            elif kind == "link_in" and files:
                path.symlink_to(sorted(files)[0])
            elif kind == "link_out":
                path.symlink_to(outside)
            elif kind == "loop":
                path.symlink_to(path.name)
            elif kind == "dangling":
                path.symlink_to(base / "nowhere")
        found = input_files([root])
        readable = [c.path for c in found if c.refusal is None]
        assert {p for p in readable if not p.is_symlink()} == files
        for candidate in found:
            for unit in units_of(candidate):
                assert unit.name.isprintable() and unit.name.encode("utf-8")
            assert display(candidate.path).encode("utf-8")
    finally:
        shutil.rmtree(base)


@FIXED
@given(value=st.text(min_size=0, max_size=20), party=st.text(min_size=0, max_size=8))
def test_any_reference_value_is_read_as_a_value_or_refused_with_its_line(value: str, party: str) -> None:
    """Party reference values of any text (quotes, wildcards, commas, line breaks) are rows or an
    InputError naming the line - never another exception."""
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "parties.csv"
        quoted = '"' + value.replace('"', '""') + '"'
        party_cell = '"' + party.replace('"', '""') + '"'
        path.write_text(
            f"party,signal_type,value\n{party_cell},domain,{quoted}\n", encoding="utf-8", newline=""
        )
        try:
            rows = read_party_reference(path)
        except InputError as exc:
            assert ":" in str(exc)
        else:
            assert rows == [(party.strip(), "domain", value.strip())]
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow
def test_outputs_never_overwrite_what_chorus_keeps_and_pages_isolate_bidi_text(tmp_path: Path) -> None:
    """One run over an archive whose texts and handles carry right-to-left overrides: the pages
    hold them isolated; Data Docs fetch nothing from the network; an export or query pointed at
    the warehouse, the lake or the state is refused and the warehouse still opens; removing a
    known and an unknown input removes neither; a damaged warehouse is one line saying how to
    publish it again."""
    override = "\u202e"
    statuses = [
        v1_status(
            500 + i,
            f"user{i}",
            f"{override}Rassembler la gauche ce soir, tous ensemble 12345",
            source="Twitpop",
            user={"id_str": f"u{i}", "screen_name": f"user{i}{override}", "name": f"{override}Name {i}"},
        )
        for i in range(12)
    ] + [v1_status(900, "padded", "a padded id", id_str="00000900")]
    archive = write_jsonl(tmp_path / "a.jsonl", statuses)
    write_jsonl(tmp_path / "b.jsonl", [v1_status(900, "padded", "a padded id")])
    home = tmp_path / "home"
    done = chorus_cli("run", "-q", "--home", str(home), str(archive), str(tmp_path / "b.jsonl"))
    assert done.returncode == 0, done.stderr
    pages = [p.read_text(encoding="utf-8") for p in (home / "reports").rglob("*.html")]
    shown = [page for page in pages if override in page]
    assert shown  # the campaign's text and handles are on its pages ...
    for page in shown:  # ... and every override sits inside an isolate
        assert override not in re.sub("\u2068[^\u2069]*\u2069", "", page)
    for page in (home / "gx" / "data_docs").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<script src="http' not in text and '<img src="http' not in text, page
        assert "Content-Security-Policy" in text
    warehouse = home / "chorus.duckdb"
    before = warehouse.read_bytes()
    for out in (warehouse, home / "lake" / "x.graphml", home / ".state" / "x.graphml"):
        line = one_line_error(
            chorus_cli("export", "graph", "--home", str(home), "--format", "graphml", "--out", str(out))
        )
        assert "refused as --out" in line
    one_line_error(chorus_cli("query", "--home", str(home), "select 1", "--out", str(warehouse)))
    assert warehouse.read_bytes() == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_tweets where tweet_id = '900'").fetchone() == (
            1,
        )
    line = one_line_error(chorus_cli("lake", "remove", "--home", str(home), str(archive), "f" * 64))
    assert "nothing removed" in line
    assert len(list((home / "lake" / "_audit" / "files").glob("*.parquet"))) == 2  # both inputs kept
    warehouse.write_bytes(b"not a database" * 100)
    line = one_line_error(chorus_cli("query", "--home", str(home), "select 1"))
    assert str(warehouse) in line and "chorus build --home" in line


CHEER = "Quel but incroyable ce soir au stade de France !!"


def at(hour: int, second: int) -> str:
    """12 October 2011, `second` seconds past `hour` o'clock, as API v1.1 writes it."""
    return f"Wed Oct 12 {hour:02d}:{second // 60:02d}:{second % 60:02d} +0000 2011"


def crowd_statuses(case: str) -> list[dict[str, object]]:
    """The hostile inputs of test_crowds_and_long_texts_cost_what_their_evidence_is_worth."""
    rng = random.Random(3)
    if case == "crowd":  # 3,000 accounts in one minute: past pair_max_campaign_accounts
        return [
            v1_status(10_000 + i, f"fan{i}", CHEER, created_at=f"Wed Oct 12 21:03:{i % 60:02d} +0000 2011")
            for i in range(3000)
        ]
    if case == "crowd repeating itself":  # 700 accounts, 14 times each in an hour: 1.6M co-events
        return [
            v1_status(10_000 + 14 * i + k, f"fan{i}", CHEER, created_at=at(21, rng.randrange(3600)))
            for i in range(700)
            for k in range(14)
        ]
    if case == "crowds under the bounds":  # 12 messages, each by the same 999 accounts in a minute
        texts = [" ".join(f"slogan{j}mot{k}" for k in range(10)) for j in range(12)]  # no two alike
        return [
            v1_status(10_000 + 999 * j + i, f"fan{i}", text, created_at=at(10, 60 * j + rng.randrange(60)))
            for j, text in enumerate(texts)
            for i in range(999)
        ]
    if case == "long texts, all different":  # 2,000 texts of 50,000 characters, random words
        words = [f"w{n}" for n in range(200_000)]
        return [
            v1_status(40_000 + i, f"writer{i % 300}", " ".join(rng.choices(words, k=8_000))[:50_000])
            for i in range(2000)
        ]
    vocabulary = [f"mot{n}" for n in range(20_000)]
    base = rng.choices(vocabulary, k=10_000)
    statuses = []
    for i in range(300):  # 300 near-identical texts of ~68,000 characters
        words = list(base)
        for _ in range(50):  # each copy lightly edited
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        statuses.append(v1_status(20_000 + i, f"poster{i}", " ".join(words)[:68_000]))
    return statuses


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    ["crowd", "crowd repeating itself", "crowds under the bounds", "long texts", "long texts, all different"],
)
def test_crowds_and_long_texts_cost_what_their_evidence_is_worth(tmp_path: Path, case: str) -> None:
    """One message posted by 3,000 accounts within a minute made 4.5 million account pairs, 700
    accounts repeating one all hour 1.6 million ties, 300 near-identical texts of ~68,000
    characters a quadratic word-set comparison, and 2,000 texts of 50,000 characters (8,000 words
    each, none alike) ran out of memory listing each text's distinct words: a crowd in one window
    is one event (no pairs past pair_max_campaign_accounts accounts, or past the co-events of such
    a crowd posting once, and marts.campaigns says so), long texts are sketched from rows and
    compared on the sketch, and crowds each just under the bounds (6 million ties) are held by
    DuckDB's default memory limit: each run publishes, its campaigns found whole, under 2 GiB."""
    from tests.test_hostile import peak_rss_mib

    statuses = crowd_statuses(case)
    archive = write_jsonl(tmp_path / "in.jsonl", statuses)
    code, peak = peak_rss_mib("run", "-q", "--home", str(tmp_path / "home"), str(archive))
    assert code == 0
    assert peak < 2048, f"{case}: peak {peak:.0f} MiB"
    with duckdb.connect(str(tmp_path / "home" / "chorus.duckdb"), read_only=True) as con:
        campaigns = con.execute(
            "select n_tweets, n_accounts, accounts_paired, verdict from marts.campaigns"
        ).fetchall()
        (pairs,) = con.execute("select count(*) from marts.account_pairs").fetchone()
        (tweets,) = con.execute("select count(*) from staging.stg_tweets").fetchone()
    assert tweets == len(statuses)
    if case == "long texts, all different":
        assert campaigns == []  # compared on bottom-k sketches, none near another
        return
    if case == "crowds under the bounds":
        assert [row[:3] for row in campaigns] == [(999, 999, True)] * 12  # one campaign per message
        assert pairs == 999 * 998 // 2  # every two accounts, tied in each of the 12 minutes
        return
    assert [(n, paired) for n, _, paired, _ in campaigns] == [(len(statuses), case == "long texts")]
    if case.startswith("crowd"):
        assert pairs == 0
    if case == "crowd repeating itself":
        assert campaigns[0][3] == "automated"  # read from its timing, not from pairs
    (page,) = (tmp_path / "home" / "reports" / "campaigns").glob("*.html")
    assert ('id="crowd-note"' in page.read_text(encoding="utf-8")) == case.startswith("crowd")
