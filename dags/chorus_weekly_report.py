"""
### chorus_weekly_report
Every Monday 06:00 UTC: render the report of the ISO week that just ended, from the published
(validated) warehouse. The data interval is that week (cron data-interval timetable), so a
backfill of a past Monday re-renders exactly that week.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pendulum
from airflow.sdk import dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

from chorus.orchestration import task_defaults


@dag(
    dag_id="chorus_weekly_report",
    schedule=CronDataIntervalTimetable("0 6 * * 1", timezone="UTC"),
    # Early enough to backfill any archive week (Twitter started in March 2006).
    start_date=pendulum.datetime(2006, 3, 20, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["chorus"],
    doc_md=__doc__,
    default_args=task_defaults(retries=2, retry_minutes=5),
)
def chorus_weekly_report() -> None:
    @task
    def render_week() -> list[str]:
        from chorus.orchestration import weekly_report

        context = get_current_context()
        # a manual run may have no data interval: then the week of its logical date, or of now
        start = context.get("data_interval_start") or context.get("logical_date")
        return weekly_report(start.date() if start else datetime.now(UTC).date())

    render_week()


chorus_weekly_report()
