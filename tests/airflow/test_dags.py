"""The DAG folder imports without error, stays thin, and follows the scheduling policy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.airflow.conftest import DAGS, ROOT, airflow_env

INSPECT = Path(__file__).resolve().parent / "inspect_dags.py"
DEMO = ROOT / "config" / "demo.yaml"


def inspect(tmp_path: Path, config: Path = DEMO, extra: dict[str, str] | None = None) -> dict:
    env = airflow_env(tmp_path / "airflow-home", {"VIGIE_CONFIG": str(config), **(extra or {})})
    env.pop("VIGIE_AIRFLOW_RETRIES")  # the policy as deployed
    result = subprocess.run([sys.executable, str(INSPECT), str(DAGS)], env=env, capture_output=True, text=True,
                            timeout=180, cwd=str(ROOT))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo_bag(tmp_path_factory) -> dict:
    return inspect(tmp_path_factory.mktemp("bag"))


def test_the_dag_folder_imports_without_error(demo_bag):
    assert demo_bag["import_errors"] == {}
    assert set(demo_bag["dags"]) == {"vigie_collect", "vigie_alerts", "vigie_digest_lambersart", "vigie_maintenance"}


def test_dag_files_are_thin(demo_bag):
    assert demo_bag["heavy_modules"] == [], "the scheduler would import these at every parse"
    for path in DAGS.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 120, f"{path.name} is not thin"


def test_every_dag_has_tags_docs_and_no_catchup(demo_bag):
    for dag_id, dag in demo_bag["dags"].items():
        assert "vigie" in dag["tags"], dag_id
        assert len(dag["tags"]) >= 2, dag_id
        assert dag["doc_md"].strip().startswith("### Vigie"), dag_id
        assert dag["catchup"] is False, dag_id
        assert dag["max_active_runs"] == 1, dag_id


def test_every_task_retries_with_exponential_backoff(demo_bag):
    for dag_id, dag in demo_bag["dags"].items():
        for task_id, task in dag["tasks"].items():
            assert task["retries"] >= 1, f"{dag_id}.{task_id}"
            assert task["backoff"], f"{dag_id}.{task_id}"
            assert task["retry_delay"] >= 30, f"{dag_id}.{task_id}"
            assert task["timeout"], f"{dag_id}.{task_id} has no execution timeout"


def test_schedules_and_timezones(demo_bag):
    dags = demo_bag["dags"]
    assert dags["vigie_collect"]["cron"] == "0 * * * *"
    assert dags["vigie_alerts"]["cron"] == "*/15 * * * *"
    assert dags["vigie_maintenance"]["cron"] == "30 3 * * *"
    assert dags["vigie_maintenance"]["timezone"] == "Europe/Paris"
    digest = dags["vigie_digest_lambersart"]
    assert (digest["cron"], digest["timezone"]) == ("0 7 * * *", "Europe/Paris")   # the demo's 07:00


def test_a_failed_source_does_not_block_enrichment(demo_bag):
    tasks = demo_bag["dags"]["vigie_collect"]["tasks"]
    assert tasks["watch_ids"]["trigger_rule"] == "all_done"
    assert tasks["check_sources"]["trigger_rule"] == "all_done"
    assert tasks["indexed_all"]["trigger_rule"] == "all_success"   # an enrich or index failure fails the run
    assert set(tasks) == {"plan", "crawl", "watch_ids", "enrich", "index", "check_sources", "indexed_all"}


def test_a_failed_influence_does_not_skip_retention(demo_bag):
    tasks = demo_bag["dags"]["vigie_maintenance"]["tasks"]
    assert tasks["retention"]["trigger_rule"] == "all_done"
    assert tasks["erasure_requests"]["trigger_rule"] == "all_done"
    assert tasks["housekeeping"]["trigger_rule"] == "all_done"


def test_one_digest_dag_per_watch_at_its_time_in_its_timezone(tmp_path):
    config = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    other = {"id": "papeete", "name": "Commune de Papeete", "timezone": "Pacific/Tahiti",
             "territory": {"communes": ["98735"]}, "digest": {"time": "06:30", "recipients": ["com@papeete.example"]}}
    config["watches"].append(other)
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    dags = inspect(tmp_path, path, {"VIGIE_COLLECT_SCHEDULE": "*/30 * * * *"})["dags"]
    assert (dags["vigie_digest_papeete"]["cron"], dags["vigie_digest_papeete"]["timezone"]) == \
        ("30 6 * * *", "Pacific/Tahiti")
    assert dags["vigie_digest_lambersart"]["timezone"] == "Europe/Paris"
    assert dags["vigie_collect"]["cron"] == "*/30 * * * *"


def test_a_broken_watch_file_is_an_import_error_that_says_why(tmp_path):
    path = tmp_path / "watch.yaml"
    path.write_text("watches:\n  - id: x\n    name: X\n    timezone: Mars/Olympus\n    territory: {communes: []}\n",
                    encoding="utf-8")
    bag = inspect(tmp_path, path)
    errors = " ".join(bag["import_errors"].values())
    assert "Mars/Olympus" in errors and "timezone" in errors
