"""
### Vigie: maintenance

Every night (``VIGIE_MAINTENANCE_SCHEDULE``, default 03:30 Europe/Paris):

1. **influence**: per watch, author scores over the last 30 days refresh the authors index;
2. **retention**: per watch, what is older than ``privacy.retention_days`` is deleted from
   Elasticsearch and from the data files, and so are archived digests (90 days without a setting);
3. **erasure requests** queued with ``vigie forget --later`` are carried out (and logged);
4. **housekeeping**: template and watch aliases, empty past monthly indices dropped, refresh.

Each step is idempotent; a failed step is retried and does not stop the others.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

from vigie.dags import common


def _due(context: dict):
    return context.get("logical_date") or context["dag_run"].run_after


@dag(dag_id="vigie_maintenance", start_date=common.START, catchup=False, max_active_runs=1,
     schedule=CronTriggerTimetable(common.schedule("maintenance", "30 3 * * *"), timezone="Europe/Paris"),
     default_args=common.default_args(), tags=[*common.TAGS, "maintenance"], doc_md=__doc__)
def vigie_maintenance():
    @task
    def watch_ids() -> list[str]:
        return [w.id for w in common.watches()]

    @task(map_index_template="{{ watch_id }}")
    def influence(watch_id: str) -> dict:
        from vigie.stages import influence as stage

        settings = common.settings()
        return stage.influence(settings, settings.watch(watch_id), days=30, now=_due(get_current_context()))

    @task(map_index_template="{{ watch_id }}", trigger_rule="all_done")
    def retention(watch_id: str) -> dict:
        from vigie.stages import maintenance

        settings = common.settings()
        return maintenance.retention(settings, settings.watch(watch_id), now=_due(get_current_context()))

    @task(trigger_rule="all_done")
    def erasure_requests() -> dict:
        from vigie.stages import maintenance

        return maintenance.erasures(common.settings())

    @task(trigger_rule="all_done")
    def housekeeping(ids: list[str]) -> dict:
        from vigie.stages import maintenance

        return maintenance.housekeeping(common.settings(), now=_due(get_current_context()))

    ids = watch_ids()
    scored = influence.expand(watch_id=ids)
    kept = retention.expand(watch_id=ids)
    erased = erasure_requests()
    scored >> kept >> erased >> housekeeping(ids)   # in turn, each whatever became of the one before


vigie_maintenance()
