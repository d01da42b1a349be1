"""
### chorus_transform
Runs whenever the `chorus_lake` asset is updated: one `dbt build` into a candidate warehouse,
the Great Expectations gate, then an atomic publish. If any suite fails, the task fails and the
published warehouse stays the last good one. Updates the `chorus_warehouse` asset. A run whose
inputs are those of the warehouse already published (a day that brought no new file) builds
nothing and returns at once.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

from chorus.orchestration import LAKE_ASSET_NAME, WAREHOUSE_ASSET_NAME, task_defaults

LAKE = Asset(LAKE_ASSET_NAME)
WAREHOUSE = Asset(WAREHOUSE_ASSET_NAME)


@dag(
    dag_id="chorus_transform",
    schedule=[LAKE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["chorus"],
    doc_md=__doc__,
    default_args=task_defaults(retries=1, retry_minutes=2),
)
def chorus_transform() -> None:
    @task(outlets=[WAREHOUSE])
    def build_validate_publish() -> dict[str, object]:
        from chorus.orchestration import build_validate_publish as run

        return run()

    build_validate_publish()


chorus_transform()
