"""Publish stage: the gate and the swap.

`gate` validates a candidate with Great Expectations (what dbt's tests cannot say: comparison with
the last good publication, bounds over aggregates) and writes its Data Docs; `swap` renames a
validated candidate over the warehouse analysts open, in one atomic step. Reads the candidate the
build stage left; never imports the stages after it.
"""

from chorus.publish.gate import ValidationReport, remember_good, validate
from chorus.publish.swap import publish, publish_docs

__all__ = ["ValidationReport", "publish", "publish_docs", "remember_good", "validate"]
