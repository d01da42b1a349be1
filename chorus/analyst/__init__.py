"""Analyst stage: reading the published warehouse.

`warehouse` opens it read-only (the CLI's `query`; in notebooks `campaigns`, `accounts`, `groups`
and `weeks` as polars DataFrames, filtered by week and party); `export` writes the coordination
network for Gephi, igraph or R; `sensitivity` shows how the verdicts move with the thresholds.

    from chorus.analyst import campaigns
    campaigns("warehouse", week="2011-W41", verdict="automated").select("party", "canonical_text")
"""

from chorus.analyst.warehouse import (
    accounts,
    campaigns,
    docs_index,
    groups,
    published,
    query,
    sandboxed,
    weeks,
)

__all__ = ["accounts", "campaigns", "docs_index", "groups", "published", "query", "sandboxed", "weeks"]
