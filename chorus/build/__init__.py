"""Build stage: the lake into a candidate warehouse through the dbt project.

`reference` checks the party reference analysts maintain; `engines` prepares dbt's environment on
DuckDB (the default) or Spark; `runner` runs each dbt command in a child process of its own
(`process`, `worker`); `state` builds the lake into the build state and the published schemas into
a candidate, from scratch when the project, its vars or the reference change; `kept` starts the
published file as a copy of the warehouse holding the tables of incremental models when the
warehouse is the state's last build; `candidate` makes the file the gate validates; `docs` makes
the dbt docs page. Reads the lake, and the warehouse only through `kept`.
"""

from chorus.build.docs import docs_are_current, docs_job, generate_docs
from chorus.build.engines import dbt_vars, project_fingerprint, published_file, spark_environment
from chorus.build.reference import check_party_reference, read_party_reference, write_party_reference
from chorus.build.runner import run_dbt
from chorus.build.state import Freshness, build, freshness

__all__ = [
    "Freshness",
    "build",
    "check_party_reference",
    "dbt_vars",
    "docs_are_current",
    "docs_job",
    "freshness",
    "generate_docs",
    "project_fingerprint",
    "published_file",
    "read_party_reference",
    "run_dbt",
    "spark_environment",
    "write_party_reference",
]
