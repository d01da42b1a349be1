"""What a build is a function of, as one digest, and the digest of the warehouse last published.

A build reads nothing but its inputs: the lake's complete inputs (each named by its content's
sha256), the party reference, the dbt project with its vars and seeds, the gate's suites, the
engine, and the code that builds, gates and publishes. No model reads the clock. A build whose
inputs are those of the warehouse already published would publish the same tables, so the
pipeline skips it (`chorus.pipeline.build_and_publish`): a daily schedule over a lake fed weekly
builds once a week, not every day. `--full-refresh` always builds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from chorus.build.engines import project_fingerprint
from chorus.config import DBT_PROJECT_DIR, PROJECT_ROOT, Settings
from chorus.ingest.packs import read_objects

PUBLISHED_INPUTS = "published_inputs"  # in the build state: the digest of the published warehouse
CODE = Path(__file__).resolve().parents[1]  # the chorus package: its build, gate and publish steps


def inputs_digest(settings: Settings, extra_vars: dict[str, object] | None = None) -> str | None:
    """The digest of everything the next build would read (see the module's docstring), or None
    when the lake has lost tweet parts its audit lists: a build must run to say so.

    The lake counts by its audit: the inputs it records as complete, whatever parts or packs
    hold them (packing moves tweets, not what they are).
    """
    digest = hashlib.sha256(project_fingerprint(settings, extra_vars).encode())
    objects = read_objects(settings.lake)
    present = settings.lake.files("tweets")
    if any(part not in present for obj in objects for part in obj.parts):
        return None
    for sha, tweets in sorted(
        (str(row["sha256"]), int(row.get("tweets") or 0)) for obj in objects for row in obj.rows
    ):
        digest.update(f"input {sha} {tweets}\n".encode())
    parties = settings.parties
    digest.update(b"parties\0" + (parties.read_bytes() if parties.is_file() else b"") + b"\0")
    for folder in (DBT_PROJECT_DIR / "seeds", PROJECT_ROOT / "expectations", CODE):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(
                path.relative_to(folder.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0"
            )
    return digest.hexdigest()


def published_inputs(settings: Settings) -> str | None:
    """The inputs digest of the warehouse as published, if known and the warehouse is there."""
    stamp = settings.state_dir / PUBLISHED_INPUTS
    if not settings.warehouse.exists() or not stamp.is_file():
        return None
    return stamp.read_text().strip() or None


def remember_published(settings: Settings, digest: str | None) -> None:
    """Record the inputs of the warehouse just published (None: unknown, e.g. a Spark build's)."""
    stamp = settings.state_dir / PUBLISHED_INPUTS
    if digest is None:
        stamp.unlink(missing_ok=True)
        return
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
