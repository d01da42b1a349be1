"""The party reference analysts maintain: read, checked (one line naming the file and line for
anything wrong), and written where dbt reads it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from chorus.config import Settings
from chorus.errors import InputError

SIGNAL_TYPES = ("account", "hashtag", "domain", "source")


def read_party_reference(path: Path) -> list[tuple[str, str, str]]:
    """The rows of a party reference CSV, checked: a bad header, an unknown signal type, an empty
    or duplicate row, text that is not UTF-8 or a quote left open is an error naming the line.

    The rows are then written once, canonical (`write_party_reference`), for dbt to read, so the
    reference is parsed in one place only.
    """
    if not path.is_file():
        raise InputError(str(path), "party reference not found")
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "UTF-16 text: save the reference as UTF-8", line=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(str(path), "not UTF-8 text (save the reference as UTF-8)", line=line) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if header != ["party", "signal_type", "value"]:
            raise InputError(str(path), "header must be party,signal_type,value", line=1)
        return reference_rows(path, reader)
    except csv.Error as exc:
        raise InputError(str(path), f"malformed CSV ({exc})", line=reader.line_num) from exc


def reference_rows(path: Path, reader: Iterator[list[str]]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    line = 1
    for row in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise InputError(str(path), f"expected 3 columns, got {len(row)}", line=line)
        party, signal, value = (cell.strip() for cell in row)
        if signal.lower() not in SIGNAL_TYPES:
            raise InputError(
                str(path),
                f"unknown signal_type {signal!r} (allowed: {', '.join(SIGNAL_TYPES)})",
                line=line,
            )
        if not party or not value.lstrip("#@"):
            raise InputError(str(path), "party and value must not be empty", line=line)
        key = (party, signal.lower(), value.lstrip("#@").lower())
        if key in seen:
            raise InputError(str(path), f"duplicate of line {seen[key]}", line=line)
        seen[key] = line
        rows.append((party, signal.lower(), value))
    if not rows:
        raise InputError(str(path), "party reference has no rows")
    return rows


def check_party_reference(path: Path) -> int:
    """The number of rows of a valid party reference (see `read_party_reference`)."""
    return len(read_party_reference(path))


def write_party_reference(settings: Settings) -> Path:
    """The applied party reference, checked and rewritten as plain UTF-8 CSV for dbt to read."""
    rows = read_party_reference(settings.parties)
    target = settings.state_dir / "party_reference.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["party", "signal_type", "value"])
    writer.writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    # the same rows as JSON lines, for Spark (its CSV reader escapes quotes its own way)
    fields = ("party", "signal_type", "value")
    lines = [json.dumps(dict(zip(fields, row, strict=True)), ensure_ascii=False) for row in rows]
    target.with_suffix(".jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target
