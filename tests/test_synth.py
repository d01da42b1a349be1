"""The generator: deterministic, realistic v1.1 output, ground truth that matches the archive."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tools.synth import generate


def archive_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "archive").iterdir())}


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=3, days=3, accounts=300, organic_per_day=100)
    generate(tmp_path / "b", seed=3, days=3, accounts=300, organic_per_day=100)
    generate(tmp_path / "c", seed=4, days=3, accounts=300, organic_per_day=100)
    assert archive_bytes(tmp_path / "a") == archive_bytes(tmp_path / "b")
    assert archive_bytes(tmp_path / "a") != archive_bytes(tmp_path / "c")


def test_truth_names_tweets_that_are_in_the_archive(sample) -> None:
    archive, truth = sample
    ids: set[str] = set()
    malformed = 0
    for path in archive.iterdir():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    malformed += 1
                    continue
                if "id_str" in obj:
                    ids.add(obj["id_str"])
    assert len(ids) == truth["tweets"]
    assert malformed == truth["malformed_lines"]
    for group in truth["campaigns"] + truth["lookalikes"]:
        assert set(group["tweet_ids"]) <= ids, group["id"]
    kinds = {c["kind"] for c in truth["campaigns"]}
    assert {"burst", "pool", "template", "drip", "rt_storm", "small", "spam"} <= kinds
    assert {"sockpuppet", "headline_botnet", "rt_group", "link_blast", "reply_spam"} <= kinds
    assert {c["kind"] for c in truth["lookalikes"]} == {
        "common_phrase",
        "headline_share",
        "punchline",
        "rt_cascade",
        "human_repeat",
        "goal",
        "breaking_web",
        "leader_rt",
        "midnight",
        "talking_points",  # overt party messaging: coordination, never automation
        "caucus_rt",
    }


def test_app_blind_archives_name_no_app_in_any_format(tmp_path) -> None:
    import bz2
    import gzip
    import io
    import zipfile

    from tools.synth import FORMATS, make_world, write_archive

    def content(archive) -> bytes:
        data = archive.read_bytes()
        if archive.suffix == ".gz":
            return gzip.decompress(data)
        if archive.suffix == ".bz2":
            return bz2.decompress(data)
        if archive.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return b"".join(zf.read(name) for name in zf.namelist())
        return data

    for kind in FORMATS:
        world = make_world(seed=5, days=1, accounts=80, organic_per_day=40, campaigns_per_week=7)
        write_archive(world, tmp_path / kind, seed=5, formats=[kind], app_blind=True)
        data = b"".join(content(a) for a in (tmp_path / kind / "archive").iterdir())
        assert data
        for app in (
            "Twitter for iPhone",
            "Twitter for Android",
            "Twitter Web Client",
            "TweetDeck",
            "RoundTeam",
        ):
            assert app.encode() not in data, (kind, app)


def test_v1_lines_look_like_twitter(sample) -> None:
    archive, _ = sample
    first = sorted(archive.iterdir())[0]
    statuses = []
    with gzip.open(first, "rt", encoding="utf-8") as handle:
        for line in handle:
            try:
                statuses.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # the generator's cut-off lines
    statuses = [s for s in statuses if "id_str" in s]
    assert all(s["source"].startswith("<a href=") for s in statuses)
    assert all(("full_text" in s) != ("text" in s) for s in statuses)
    links = [
        u["url"]
        for s in statuses
        if not s.get("retweeted_status")
        for u in (s.get("extended_tweet") or s)["entities"]["urls"]
    ]
    assert links and len(links) == len(set(links)), "every tweet gets its own t.co link"
    assert any(s.get("retweeted_status") for s in statuses)
