"""Keeping the lake whole: take an input out of it (`chorus lake remove`), and find the inputs
whose tweet parts went missing (`chorus lake repair`), so that offering them again restores them.

Every removal is audited: a row in `_audit/removals/` names the input, its tweets and when it
went, and the quality gate reads it to accept the smaller warehouse that follows.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from chorus.config import Settings
from chorus.errors import ChorusError
from chorus.ingest.lake import whole
from chorus.ingest.packs import holder, read_objects, remove_object, unpack
from chorus.ingest.sources import Candidate, units_of
from chorus.storage import Lake

log = logging.getLogger(__name__)
SHA = re.compile(r"(?:[0-9a-f]{64}|(?:refused|skipped)-[0-9a-f]{32})")
REMOVAL_SCHEMA = pa.schema(
    [
        ("sha256", pa.string()),
        ("path", pa.string()),
        ("tweets", pa.int64()),
        ("removed_at", pa.timestamp("us")),
    ]
)


@dataclass
class Removed:
    """One input taken out of the lake."""

    sha256: str
    path: str
    tweets: int


def targets(settings: Settings, target: str) -> list[str]:
    """The input hashes a `lake remove` argument names: a hash, or a file (each zip member)."""
    if SHA.fullmatch(target):
        return [target]
    path = Path(target)
    if not path.is_file():
        raise ChorusError(f"{target}: neither an input's sha256 nor a file")
    hashes = []
    for unit in units_of(Candidate(path)):
        if unit.refusal or unit.skip:
            kind = "skipped" if unit.skip else "refused"
            hashes.append(f"{kind}-" + hashlib.sha256(unit.name.encode()).hexdigest()[:32])
        else:
            hashes.append(unit.sha256())
    return hashes


def remove(settings: Settings, *names: str) -> list[Removed]:
    """Take the inputs each of `names` names out of the lake: all or nothing, so every name is
    checked first (a name that matches no input in the lake removes none). For each input the
    audit row that marks it complete goes first (from then on no build reads its parts), then its
    parts, rejects and notices; a packed input's pack is written again without it (under the
    pack's journal: chorus.ingest.packs). One removal record lists them all."""
    lake = settings.lake
    chosen: list[str] = []
    for name in names:
        present = [sha for sha in targets(settings, name) if holder(lake, sha) is not None]
        if not present:
            raise ChorusError(f"{name}: no such input in the lake {lake} (nothing removed)")
        chosen += [sha for sha in present if sha not in chosen]
    removed = []
    while chosen:
        obj = holder(lake, chosen[0])  # read again: taking out the one before may have rewritten its pack
        if obj is None:
            raise ChorusError(f"{chosen[0]}: left the lake while it was being removed (another home's?)")
        if obj.is_pack:
            going = [row for row in obj.rows if row["sha256"] in chosen]  # a pack's members go at once
            unpack(lake, {str(row["sha256"]) for row in going}, obj)
        else:
            going = list(obj.rows)
            remove_object(lake, obj.name, obj.parts or legacy_parts(lake, obj.name))
        removed += [Removed(str(r["sha256"]), str(r.get("path")), int(r.get("tweets") or 0)) for r in going]
        gone = {str(r["sha256"]) for r in going}
        chosen = [sha for sha in chosen[1:] if sha not in gone]
    stamp = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"sha256": r.sha256, "path": r.path, "tweets": r.tweets, "removed_at": stamp} for r in removed]
    name = f"{stamp:%Y%m%dT%H%M%S%f}-{removed[0].sha256[:16]}.parquet"
    lake.write_parquet(pa.Table.from_pylist(rows, schema=REMOVAL_SCHEMA), "_audit", "removals", name)
    for r in removed:
        log.warning("removed %s (%s, %d tweets) from the lake", r.sha256, r.path, r.tweets)
    return removed


def legacy_parts(lake: Lake, sha: str) -> list[str]:
    """Parts of an input ingested before audit rows listed them (named after its hash)."""
    if not lake.is_local:
        return []
    root = lake.path
    return [p.relative_to(root).as_posix() for p in root.glob(f"tweets/*/{sha[:16]}-*.parquet")]


def damaged(settings: Settings) -> list[tuple[str, str]]:
    """(sha256, path) of every input whose audit row lists a tweet part that is gone."""
    lake = settings.lake
    out = []
    for obj in read_objects(lake):
        for row in obj.rows:
            if not whole(lake, list(row.get("parts") or [])):
                out.append((str(row["sha256"]), str(row.get("path"))))
    return out


def repair(settings: Settings) -> list[tuple[str, str]]:
    """Mark every damaged input as not ingested (its audit row, rejects and notices go, and what is
    left of its parts), so that ingesting its file again restores it; returns (sha256, path)."""
    broken = damaged(settings)
    if broken:
        remove(settings, *(sha for sha, _ in broken))  # at once: a pack is written again once
    return broken
