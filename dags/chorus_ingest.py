"""
### chorus_ingest
Daily: ingest every new archive file dropped in the landing folder (`$CHORUS_LANDING`, default
`$CHORUS_HOME/landing`) into the Parquet lake. Files already ingested (same sha256) are skipped,
so re-runs are harmless. Updates the `chorus_lake` asset, which triggers `chorus_transform`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

from chorus.orchestration import LAKE_ASSET_NAME, task_defaults

LAKE = Asset(LAKE_ASSET_NAME)


@dag(
    dag_id="chorus_ingest",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["chorus"],
    doc_md=__doc__,
    default_args=task_defaults(retries=2, retry_minutes=1),
)
def chorus_ingest() -> None:
    @task(outlets=[LAKE])
    def ingest_landing() -> dict[str, object]:
        from chorus.orchestration import ingest_landing as run

        return run()

    ingest_landing()


chorus_ingest()
