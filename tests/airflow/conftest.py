"""Airflow for the DAG tests: a metadata database of its own (SQLite, migrated once per session), and
each DAG run in a fresh interpreter (``run_dag.py``) with the test's environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
RUNNER = Path(__file__).resolve().parent / "run_dag.py"


def airflow_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "VIGIE_SMTP"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "PYTHONPATH": str(ROOT),
        "VIGIE_AIRFLOW_RETRIES": "0",       # a failure shows at once; retry policy has its own test
        "VIGIE_ENRICH_PROCESSES": "1",
    })
    env.update(extra or {})
    return env


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("airflow")
    result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=airflow_env(home),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return home


def run_dag(home: Path, dag_id: str, when: str, env: dict[str, str], log: Path) -> dict:
    """``dag.test()`` of one DAG; returns {"state", "tasks": {task: state}}; the log is kept in ``log``."""
    with open(log, "w", encoding="utf-8") as out:
        result = subprocess.run([sys.executable, str(RUNNER), dag_id, when, str(DAGS)],
                                env=airflow_env(home, env), stdout=out, stderr=subprocess.STDOUT,
                                timeout=900, cwd=str(ROOT))
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if line.startswith('{"dag"') or line.startswith('{"import_errors"')]
    assert lines, f"{dag_id}: no result (exit {result.returncode}); log in {log}:\n" + log.read_text()[-4000:]
    return json.loads(lines[-1])
