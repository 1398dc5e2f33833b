"""Run one DAG with ``dag.test()`` in this process and print its task states as the last JSON line.

    python tests/airflow/run_dag.py DAG_ID LOGICAL_DATE_ISO

Run by the tests in a subprocess: Airflow reads its configuration (``AIRFLOW_HOME``, the metadata
database) at import time, so each run gets a clean interpreter with the test's environment.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime


def main(dag_id: str, when: str) -> int:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=sys.argv[3] if len(sys.argv) > 3 else None)
    if bag.import_errors:
        print(json.dumps({"import_errors": {k: str(v) for k, v in bag.import_errors.items()}}))
        return 2
    dag = bag.dags[dag_id]
    run = dag.test(logical_date=datetime.fromisoformat(when))
    tasks = {}
    for ti in run.get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]"
        tasks[key] = str(ti.state.value if hasattr(ti.state, "value") else ti.state)
    print(json.dumps({"dag": dag_id, "state": str(getattr(run.state, "value", run.state)), "tasks": tasks}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
