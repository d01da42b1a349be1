"""Source of the GX suites, validation definitions and checkpoints stored as JSON in gx/.

The checks themselves are `chorus.publish.gate.SUITES` (one place): each suite validates a one-row
frame of aggregates computed in DuckDB, one column per metric, each between its bounds (numbers,
or `$PARAMETER`s filled in at validation time by chorus.publish.gate). After editing SUITES, run
`.venv/bin/python expectations/define_suites.py` and commit the JSON it writes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe

from chorus.publish.gate import SUITES, Metric

HERE = Path(__file__).resolve().parent


def bound(value: float | str | None) -> float | dict[str, str] | None:
    """A number as it is, a parameter name as GX's `$PARAMETER` reference."""
    return {"$PARAMETER": value} if isinstance(value, str) else value


def expectation(metric: Metric) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=metric.name,
        min_value=bound(metric.low),
        max_value=bound(metric.high),
        meta={"notes": metric.says},
    )


def main() -> None:
    os.environ.setdefault("CHORUS_GX_HOME", str(Path(tempfile.gettempdir()) / "chorus-gx-define"))
    for folder in ("expectations", "validation_definitions", "checkpoints"):
        for stale in (HERE / "gx" / folder).glob("*.json"):
            stale.unlink()
    context = gx.get_context(mode="file", project_root_dir=str(HERE))
    source = context.data_sources.add_or_update_pandas(name="chorus")
    for name, metrics in SUITES.items():
        suite = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=[expectation(m) for m in metrics])
        )
        assets = {a.name: a for a in source.assets}
        asset = assets.get(name) or source.add_dataframe_asset(name=name)
        batch = (
            asset.batch_definitions[0]
            if asset.batch_definitions
            else asset.add_batch_definition_whole_dataframe("whole")
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        context.checkpoints.add(
            gx.Checkpoint(
                name=f"gate_{name}",
                validation_definitions=[definition],
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
            )
        )
    print(f"wrote {len(SUITES)} suites under {HERE / 'gx'}")


if __name__ == "__main__":
    main()
