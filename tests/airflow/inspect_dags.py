"""Parse the DAG folder with a DagBag and print, as one JSON line, what the policy tests check."""

from __future__ import annotations

import json
import sys


def describe(dag) -> dict:
    timetable = dag.timetable
    tz = getattr(timetable, "timezone", None) or getattr(timetable, "_timezone", None)
    return {
        "tags": sorted(dag.tags),
        "doc_md": dag.doc_md or "",
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "fileloc": dag.fileloc,
        "cron": getattr(timetable, "expression", None) or getattr(timetable, "_expression", None),
        "timezone": getattr(tz, "name", None) or (str(tz) if tz else None),
        "tasks": {t.task_id: {"retries": t.retries, "backoff": bool(t.retry_exponential_backoff),
                              "retry_delay": t.retry_delay.total_seconds(),
                              "trigger_rule": getattr(t.trigger_rule, "value", str(t.trigger_rule)),
                              "pool": t.pool, "timeout": t.execution_timeout.total_seconds()
                              if t.execution_timeout else None}
                  for t in dag.tasks},
    }


def main(folder: str) -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=folder)
    heavy = sorted(m for m in ("spacy", "scrapy", "pandas", "elasticsearch", "sklearn", "matplotlib", "nlp",
                               "crawlers", "indexes", "alerts", "analytics", "digest", "scrapy")
                   if m in sys.modules)
    print(json.dumps({"import_errors": {k: str(v) for k, v in bag.import_errors.items()},
                      "heavy_modules": heavy, "dags": {d: describe(bag.dags[d]) for d in sorted(bag.dags)}}))


if __name__ == "__main__":
    main(sys.argv[1])
