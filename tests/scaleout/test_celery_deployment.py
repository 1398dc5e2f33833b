"""`make airflow-celery` for real: the CeleryExecutor deployment runs the DAGs through the scheduler on two
workers, every document lands once in a two-node Elasticsearch cluster, and the loss of a node while a bulk
write is in flight loses nothing once the node is back.

Marked ``scaleout`` (needs ``apt-get install postgresql redis-server`` and the ``scaleout`` extra); run it with
``.venv/bin/python -m pytest -m scaleout tests/scaleout -s`` (``-s`` shows the summary it prints).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.scaleout.relay import EsRelay

pytestmark = [pytest.mark.scaleout, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
NEVER = "0 0 29 2 *"  # no scheduled run in the test: only the runs it triggers


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _block(start: int, size: int) -> int:
    """The first port from ``start`` with ``size`` free ports after it, and ``size`` free ones 100 higher."""
    for port in range(start, start + 400, size):
        if all(_free(p) and _free(p + 100) for p in range(port, port + size)):
            return port
    raise RuntimeError(f"no free ports near {start}")


def _port(start: int) -> int:
    return next(p for p in range(start, start + 400) if _free(p))


def _api(base: str, path: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}/api/v2{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def _es(url: str, path: str, body: dict | None = None, method: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{url}{path}", data=data, headers={"Content-Type": "application/json"},
                                     method=method or ("POST" if body is not None else "GET"))
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


class Run:
    """One DAG run triggered through the REST API (the scheduler queues it to the Celery workers)."""

    def __init__(self, api: str, dag_id: str):
        self.api, self.dag_id = api, dag_id
        _api(api, f"/dags/{dag_id}", "PATCH", {"is_paused": False})
        self.run_id = _api(api, f"/dags/{dag_id}/dagRuns", "POST", {"logical_date": None, "conf": {}})["dag_run_id"]
        self.started = time.monotonic()
        self.seconds = 0.0

    @property
    def path(self) -> str:
        return f"/dags/{self.dag_id}/dagRuns/{urllib.request.quote(self.run_id)}"

    def state(self) -> str:
        return _api(self.api, self.path)["state"]

    def wait(self, timeout: float, alive) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive()
            state = self.state()
            if state in {"success", "failed"}:
                self.seconds = time.monotonic() - self.started
                return state
            time.sleep(3)
        raise AssertionError(f"{self.dag_id} {self.run_id} did not finish in {timeout:.0f}s: {self.tasks()}")

    def tasks(self) -> list[dict]:
        found = _api(self.api, f"{self.path}/taskInstances?limit=100")["task_instances"]
        return sorted(found, key=lambda t: (t["start_date"] or "", t["task_id"], t["map_index"]))

    def xcom(self, task_id: str, map_index: int = -1):
        entry = _api(self.api, f"{self.path}/taskInstances/{task_id}/xcomEntries/return_value"
                               f"?map_index={map_index}&deserialize=true&stringify=false")
        return entry["value"]


@pytest.fixture
def deployment(tmp_path):
    """``python -m vigie.demo.celery start`` (what ``make airflow-celery`` runs) on free loopback ports, its
    tasks writing to Elasticsearch through a relay that holds the first bulk write; stopped at the end,
    and nothing it started may be left running."""
    missing = [name for name in ("redis-server",) if not shutil.which(name)]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        missing.append("postgresql")
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: apt-get install -y postgresql redis-server")
    es_port = _block(9280, 2)
    ports = {"VIGIE_CLUSTER_ES_PORT": es_port, "VIGIE_PG_PORT": _port(5441), "VIGIE_REDIS_PORT": _port(6391),
             "VIGIE_AIRFLOW_PORT": _port(8091), "VIGIE_DEMO_PORT": _port(8795)}
    relay = EsRelay(f"http://127.0.0.1:{es_port}").start()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "VIGIE_", "ELASTICSEARCH_")) or k == "VIGIE_CACHE_DIR"}
    env.update({k: str(v) for k, v in ports.items()})
    env.update({"VIGIE_STATE_DIR": str(tmp_path / "state"), "VIGIE_SCALEOUT_ES_URL": relay.url,
                "VIGIE_COLLECT_SCHEDULE": NEVER, "VIGIE_ALERTS_SCHEDULE": NEVER, "VIGIE_MAINTENANCE_SCHEDULE": NEVER,
                "VIGIE_CRAWL_BATCH_SIZE": "2",  # 7 demo sources: 4 crawl tasks at once, for both workers
                "VIGIE_NLP_PROFILE": "fast",  # the scale-out is tested here, not the NLP
                "VIGIE_AIRFLOW_RETRIES": "0"})  # a task that fails shows: no retry hides a lost write
    base = tmp_path / "state" / "celery"
    log = open(tmp_path / "supervisor.log", "wb")  # noqa: SIM115 - closed below
    supervisor = subprocess.Popen([sys.executable, "-m", "vigie.demo.celery", "start", "--timeout", "900"],
                                  env=env, cwd=str(ROOT), stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)

    def alive():
        if supervisor.poll() is not None:
            raise AssertionError("the deployment stopped:\n" + (tmp_path / "supervisor.log").read_text()[-3000:])

    started = time.monotonic()
    try:
        deadline = time.monotonic() + 960
        while not (base / "ready.json").exists():
            alive()
            assert time.monotonic() < deadline, "not ready in time:\n" + (tmp_path / "supervisor.log").read_text()
            time.sleep(2)
        ready = json.loads((base / "ready.json").read_text())
        ready.update(relay=relay, alive=alive, base=base, es_port=es_port, env=env,
                     startup=time.monotonic() - started, log=tmp_path / "supervisor.log")
        yield ready
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(supervisor.pid, signal.SIGTERM)
        try:
            supervisor.wait(timeout=240)
        except subprocess.TimeoutExpired:
            subprocess.run([sys.executable, "-m", "vigie.demo.celery", "stop"], env=env, cwd=str(ROOT), timeout=300)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(supervisor.pid, signal.SIGKILL)
        log.close()
        relay.stop()
    left = _left_running(tmp_path)
    assert not left, f"processes left running: {left}"


def _left_running(tmp_path: Path) -> list[str]:
    """Processes whose command line or environment names the test's folder (ES nodes, PostgreSQL, Redis,
    Airflow's components and task processes)."""
    import psutil

    marker = str(tmp_path)
    left = []
    for process in psutil.process_iter(["pid", "cmdline", "environ"]):
        with contextlib.suppress(psutil.Error):
            text = " ".join(process.info["cmdline"] or [])
            if marker in text or marker in (process.info.get("environ") or {}).get("AIRFLOW_HOME", ""):
                left.append(f"{process.info['pid']}: {text[:160]}")
    return left


def test_celery_deployment_runs_the_dags_on_two_workers_and_survives_a_node_loss(deployment, capsys):
    from vigie.indexes.local_node import LocalCluster

    api, relay, alive = deployment["api"], deployment["relay"], deployment["alive"]
    cluster = LocalCluster(size=2, http_port=deployment["es_port"], state=deployment["base"])
    node1, node2 = cluster.nodes
    assert cluster.wait(nodes=2, status="green", timeout=120)["number_of_nodes"] == 2

    # 1. collect, triggered through the scheduler; node 2 stops while the first bulk write is in flight
    collect = Run(api, "vigie_collect")
    deadline = time.monotonic() + 900
    while not relay.bulk_held.wait(2):
        alive()
        assert time.monotonic() < deadline, f"no bulk write came: {collect.tasks()}"
        assert collect.state() not in {"success", "failed"}, f"collect ended before any bulk write: {collect.tasks()}"
    shards_before = _es(node1.url, "/_cat/shards/vigie-documents-*?format=json&h=index,shard,prirep,state,node")
    copies: dict[str, list[str]] = {}
    for shard in shards_before:
        copies.setdefault(shard["index"], []).append(shard["state"])
    # Every documents index has both copies started before the node goes (ensure_index waits for them).
    assert copies and all(states == ["STARTED", "STARTED"] for states in copies.values()), shards_before
    held_since = time.monotonic()
    node2.stop()
    during = cluster.wait(nodes=1, status="yellow", timeout=120)  # green too: replicas auto-expand to 0
    relay.release()
    held = time.monotonic() - held_since
    assert collect.wait(900, alive) == "success", _table(collect.tasks())

    # 2. node 2 comes back (its copies recover) while the alerts DAG runs
    alerts = Run(api, "vigie_alerts")
    node2.start()
    assert alerts.wait(900, alive) == "success", _table(alerts.tasks())
    after = cluster.wait(nodes=2, status="green", timeout=300)

    # 3. the tasks ran on both workers (the host Airflow recorded for each task instance)
    tasks = {"vigie_collect": collect.tasks(), "vigie_alerts": alerts.tasks()}
    hosts = {t["hostname"] for found in tasks.values() for t in found}
    assert hosts == set(deployment["workers"]), _table(tasks["vigie_collect"] + tasks["vigie_alerts"])

    # 4. every collected document is in Elasticsearch exactly once, on both nodes' copies
    indexed = collect.xcom("index", 0)
    enriched = Path(indexed["path"])
    lines = [json.loads(line) for line in enriched.read_text(encoding="utf-8").splitlines() if line.strip()]
    collected = {doc["doc_id"] for doc in lines}
    _es(node1.url, "/vigie-documents-*/_refresh", method="POST")
    count = _es(node1.url, "/vigie-documents/_count")["count"]
    hits = _es(node1.url, "/vigie-documents/_search", {"size": 10000, "_source": False})["hits"]["hits"]
    ids = [hit["_id"] for hit in hits]
    per_node = {node.name: _es(node.url, "/vigie-documents/_count?preference=_only_local")["count"]
                for node in cluster.nodes}
    assert len(collected) > 0
    assert count == len(ids) == len(set(ids)) == len(collected) == indexed["indexed"], \
        (count, len(ids), len(set(ids)), len(collected), indexed)
    assert set(ids) == collected
    assert set(per_node.values()) == {count}, per_node
    assert relay.bulk_requests >= 1

    summary = _summary(deployment, tasks, collect, alerts, len(lines), collected, count, ids, per_node,
                       shards_before, node2.name, during, after, indexed, held)
    (deployment["base"].parent.parent / "summary.txt").write_text(summary)
    with capsys.disabled():
        print("\n" + summary)


def _table(tasks: list[dict]) -> str:
    rows = []
    for t in tasks:
        label = t["task_id"] + (f"[{t['rendered_map_index'] or t['map_index']}]" if t["map_index"] >= 0 else "")
        rows.append(f"  {t['dag_id']:<14} {label:<32} {t['state'] or '-':<9} {t['hostname'] or '-'}")
    return "\n".join(rows)


def _summary(deployment, tasks, collect, alerts, lines, collected, count, ids, per_node, shards_before,
             stopped, during, after, indexed, held) -> str:
    held_on = sorted({f"{s['index']}/{s['shard']} {'primary' if s['prirep'] == 'p' else 'replica'}"
                      for s in shards_before if s["node"] == stopped})
    by_host: dict[str, int] = {}
    for found in tasks.values():
        for t in found:
            by_host[t["hostname"]] = by_host.get(t["hostname"], 0) + 1
    return "\n".join([
        "Scale-out run (make airflow-celery: CeleryExecutor, PostgreSQL, Redis, 2-node Elasticsearch cluster)",
        f"  started in {deployment['startup']:.0f}s; vigie_collect {collect.state()} in {collect.seconds:.0f}s, "
        f"vigie_alerts {alerts.state()} in {alerts.seconds:.0f}s (triggered through the REST API)",
        "Task instances (DAG, task[map index], state, worker):",
        _table(tasks["vigie_collect"] + tasks["vigie_alerts"]),
        "  tasks per worker: " + ", ".join(f"{h}: {n}" for h, n in sorted(by_host.items())),
        "Documents:",
        f"  collected (enriched file): {lines} lines, {len(collected)} distinct ids; index task: "
        f"indexed {indexed['indexed']} (created {indexed.get('created')}, updated {indexed.get('updated')})",
        f"  Elasticsearch: count {count}, ids returned {len(ids)}, distinct {len(set(ids))}; "
        "per node (local copies): " + ", ".join(f"{n}: {c}" for n, c in per_node.items()),
        "Node loss:",
        f"  {stopped} stopped while the first bulk write was held in flight ({held:.0f}s); it held: "
        f"{', '.join(held_on) or 'nothing'}",
        f"  during: status {during['status']}, {during['number_of_nodes']} node(s), "
        f"{during['unassigned_shards']} unassigned shard(s); bulk released, collect went on",
        f"  after restart: status {after['status']}, {after['number_of_nodes']} nodes, "
        f"{after['active_shards']} active shards; nothing lost (counts above)",
    ])
