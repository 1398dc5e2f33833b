"""
### Vigie: daily digest of watch `{watch}`

Every day at {time} ({timezone}), the watch's time in its timezone (``digest.time`` and ``timezone``
in the watch file): the digest of the day before is written under ``$VIGIE_STATE_DIR/digests`` and
emailed to the watch's ``digest.recipients``. One digest per watch and day: a re-run sends nothing
again (the CLI's ``vigie digest --force`` does). SMTP comes from ``VIGIE_SMTP_*`` or the Airflow
connection named by ``VIGIE_SMTP_CONN_ID``.

This file makes one DAG per watch, ``vigie_digest_<watch>``, each with its own time zone.
"""

from __future__ import annotations

from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

from vigie.dags import common


def digest_dag(watch_id: str, time: str, timezone: str):
    hour, minute = (int(x) for x in time.split(":"))

    @dag(dag_id=f"vigie_digest_{watch_id}", start_date=common.START, catchup=False, max_active_runs=1,
         schedule=CronTriggerTimetable(f"{minute} {hour} * * *", timezone=timezone),
         default_args=common.default_args(), tags=[*common.TAGS, "digest", watch_id],
         doc_md=__doc__.format(watch=watch_id, time=time, timezone=timezone))
    def vigie_digest():
        @task
        def send_digest() -> dict:
            from vigie.stages import digest

            settings = common.settings()
            watch = settings.watch(watch_id)
            context = get_current_context()
            due = context.get("logical_date") or context["dag_run"].run_after
            return digest.digest(settings, watch, digest.day_covered(watch, due))

        send_digest()

    return vigie_digest()


for _watch in common.watches():
    digest_dag(_watch.id, _watch.digest.time, _watch.timezone)
