"""
### Vigie: alerts

Every 15 minutes (``VIGIE_ALERTS_SCHEDULE``), for each watch with alerts enabled: detection over the
watch's documents in Elasticsearch up to the end of the slice (emerging topics, bursts, negative and
toxicity spikes, crisis keywords, saved queries), storage in the alerts index, then delivery by email
and webhooks. Stable alert ids and the delivery log make a re-run of a slice send nothing twice; a
failed send fails the task (retried) and stays queued for the next run.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, get_current_context, task

from vigie.dags import common

PERIOD = timedelta(minutes=15)


@dag(dag_id="vigie_alerts", schedule=common.schedule("alerts", "*/15 * * * *"), start_date=common.START,
     catchup=False, max_active_runs=1, default_args=common.default_args(), tags=[*common.TAGS, "alerts"],
     doc_md=__doc__)
def vigie_alerts():
    @task
    def watch_ids() -> list[str]:
        return [w.id for w in common.watches() if w.alerts.enabled]

    @task(map_index_template="{{ watch_id }}")
    def detect_and_deliver(watch_id: str) -> dict:
        from vigie.stages import alerts

        _, end = common.run_interval(get_current_context(), PERIOD)
        settings = common.settings()
        return alerts.alerts(settings, settings.watch(watch_id), end)

    detect_and_deliver.expand(watch_id=watch_ids())


vigie_alerts()
