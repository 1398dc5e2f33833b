"""Shared fixtures: one real Elasticsearch node per test session, isolated index prefixes.

The node is ``ELASTICSEARCH_URL`` when set, otherwise the project's local node on
``VIGIE_TEST_ES_PORT`` (default 9250, data under ``.vigie/test``), started here once
and stopped at the end unless it was already running (or ``VIGIE_TEST_KEEP_ES=1``).
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

from tests.crawlers.harness import crawls_in_worker, fixture_site, run_crawl, state_dir, watch_file

# The crawl-test harness, for every test.
__all__ = ["crawls_in_worker", "fixture_site", "run_crawl", "state_dir", "watch_file"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VIGIE = str(Path(sys.executable).with_name("vigie"))


_SAVED_ENV: dict[str, str | None] = {}
_NODE: list = []


def pytest_configure(config):
    """The suite starts many Python processes (the ``vigie`` CLI, Airflow's DAG runs, a few crawls,
    the crawl worker, pytest-xdist's workers). Where PYTHONDONTWRITEBYTECODE is set (some CI and
    sandbox images), each one would compile Scrapy, spaCy, Airflow and Elasticsearch's client from
    source again: often longer than what the process then does. The processes started by the tests
    cache their bytecode under .vigie/pycache instead; nothing is written into the virtualenv.

    With pytest-xdist (``make test`` runs two workers), the controller starts the test node before
    the workers exist and hands them its URL, so that one node serves them all."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        _SAVED_ENV.update({name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")})
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ.setdefault("PYTHONPYCACHEPREFIX", str(ROOT / ".vigie" / "pycache"))
    workers = config.getoption("numprocesses", default=None) if config.pluginmanager.hasplugin("xdist") else None
    if workers and not hasattr(config, "workerinput") and not os.environ.get("ELASTICSEARCH_URL"):
        import threading

        from vigie.indexes.local_node import LocalNode
        from vigie.settings import state_dir

        node = LocalNode(port=int(os.environ.get("VIGIE_TEST_ES_PORT", "9250")), state=state_dir() / "test")
        already = bool(node.pid() and node.health())
        # Started while the workers start and collect; ``es_url`` waits until it answers.
        starting = threading.Thread(target=node.start, name="test-node-start", daemon=True)
        starting.start()
        _NODE.append((node, already, starting))
        _SAVED_ENV.setdefault("ELASTICSEARCH_URL", None)
        os.environ["ELASTICSEARCH_URL"] = node.url


def pytest_unconfigure(config):
    for node, already, starting in _NODE:
        starting.join()
        if not already and os.environ.get("VIGIE_TEST_KEEP_ES") != "1":
            node.stop()
    for name, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _start_test_node():
    from vigie.indexes.local_node import LocalNode
    from vigie.settings import state_dir

    node = LocalNode(port=int(os.environ.get("VIGIE_TEST_ES_PORT", "9250")), state=state_dir() / "test")
    already = bool(node.pid() and node.health())
    node.start()
    return node, already


def _wait_until_healthy(timeout: float = 300) -> None:
    """The cluster of ``ELASTICSEARCH_URL`` answers, green or yellow (at once when it is up already)."""
    from vigie.indexes.client import connect

    connect(wait=timeout).close()


def pytest_collection_finish(session):
    """When the session crawls (crawler or demo tests), the crawl worker starts loading Scrapy now."""
    if any("/tests/crawlers/" in str(item.path) or "/tests/demo/" in str(item.path) for item in session.items):
        from tests.crawlers.worker import warm_up

        warm_up()


@pytest.fixture(scope="session")
def es_url():
    if os.environ.get("ELASTICSEARCH_URL"):
        if os.environ.get("PYTEST_XDIST_WORKER"):
            _wait_until_healthy()  # the controller may still be starting it
        yield os.environ["ELASTICSEARCH_URL"]
        return
    node, already = _start_test_node()
    yield node.url
    if not already and os.environ.get("VIGIE_TEST_KEEP_ES") != "1":
        node.stop()


def delete_prefixed(client, prefix: str) -> None:
    """Delete the indices and templates of one test prefix, by name (wildcard deletes may be refused)."""
    found = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all"))
    for start in range(0, len(found), 50):
        client.indices.delete(index=",".join(found[start:start + 50]))
    templates = client.indices.get_index_template(name=f"{prefix}-*").get("index_templates", []) \
        if client.indices.exists_index_template(name=f"{prefix}-*") else []
    for template in templates:
        client.indices.delete_index_template(name=template["name"])


@pytest.fixture
def es_env(es_url, monkeypatch):
    """Environment of one test: the test node and an index prefix of its own."""
    prefix = f"vigie-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("ELASTICSEARCH_URL", es_url)
    monkeypatch.setenv("VIGIE_INDEX_PREFIX", prefix)
    return {"ELASTICSEARCH_URL": es_url, "VIGIE_INDEX_PREFIX": prefix}


@pytest.fixture
def es(es_env):
    from vigie.indexes.client import connect

    client = connect()
    yield client
    delete_prefixed(client, es_env["VIGIE_INDEX_PREFIX"])
    client.close()


@pytest.fixture
def cli_env(es_env):
    """Environment for running the real ``vigie`` executable in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "VIGIE_"))}
    env.update(es_env)
    env["COLUMNS"] = "120"
    return env


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Every secret Vigie reads from the environment: the shared demo runs with them set, and the
# secrets test (tests/privacy/test_secure_cluster.py) checks none shows in what it printed.
DEMO_SECRETS = {
    "ELASTICSEARCH_USERNAME": "elastic",
    "ELASTICSEARCH_PASSWORD": "S3cret-es-password-41",
    "KIBANA_API_KEY": "S3cret-kibana-key-42",
    "VIGIE_PSEUDONYM_KEY": "S3cret-pseudonym-key-43",
    "VIGIE_SMTP_PASSWORD": "S3cret-smtp-password-44",
}


@pytest.fixture(scope="session")
def demo_run(es_url, tmp_path_factory):
    """``vigie -v demo`` run twice through the real executable, once per session, in an index prefix
    and a state folder of its own (with ``DEMO_SECRETS`` set). Shared by the tests of the demo's
    outcome (tests/test_cli.py), of privacy reports and erasure on it (tests/privacy) and of secrets
    in outputs; the two runs' results are kept before any test changes the indices. Under
    pytest-xdist the first worker that needs it runs it and the others read its results.

    Returns a namespace: ``env`` (to run more commands on the same indices), ``first`` and
    ``again`` (the ``CompletedProcess`` of each run), ``state`` (VIGIE_STATE_DIR) and ``mails``
    (the .eml files in the demo's mail folder after the first run) and ``mails_after_again``."""
    import fcntl
    import json
    import subprocess
    from types import SimpleNamespace

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp()
    if worker:
        shared = shared.parent  # the controller's: the workers' temporary folders are in it
    root = shared / "demo-run"
    root.mkdir(exist_ok=True)
    results = root / "results.json"
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not results.exists():
            results.write_text(json.dumps(_run_demo_twice(es_url, root)), encoding="utf-8")
    data = json.loads(results.read_text(encoding="utf-8"))

    def completed(run):
        return None if run is None else subprocess.CompletedProcess(**run)

    yield SimpleNamespace(env=data["env"], first=completed(data["first"]), again=completed(data["again"]),
                          state=root / "state", mails=[Path(p) for p in data["mails"]],
                          mails_after_again=[Path(p) for p in data["mails_after_again"]], prefix=data["prefix"])
    if not worker:
        _delete_demo_indices(es_url, data["prefix"])


def _run_demo_twice(es_url: str, root: Path) -> dict:
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix = f"vigie-test-demo-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "VIGIE_", "KIBANA_"))}
    env.update({"ELASTICSEARCH_URL": es_url, "VIGIE_INDEX_PREFIX": prefix, "COLUMNS": "120",
                "VIGIE_STATE_DIR": str(root / "state"), "VIGIE_DEMO_PORT": str(port), **DEMO_SECRETS})
    mail = root / "state" / "demo" / "mail"

    def demo():
        done = subprocess.run([VIGIE, "-v", "demo"], env=env, capture_output=True, text=True, timeout=600)
        return {"args": done.args, "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    first = demo()
    mails = sorted(str(p) for p in mail.glob("*.eml"))
    again = demo() if first["returncode"] == 0 else None
    return {"env": env, "prefix": prefix, "first": first, "again": again, "mails": mails,
            "mails_after_again": sorted(str(p) for p in mail.glob("*.eml"))}


def _delete_demo_indices(es_url: str, prefix: str) -> None:
    from elasticsearch import Elasticsearch

    with Elasticsearch(es_url) as client:
        delete_prefixed(client, prefix)


def pytest_sessionfinish(session, exitstatus):
    """Under pytest-xdist, the controller deletes the shared demo's indices once every worker is done."""
    if hasattr(session.config, "workerinput") or not os.environ.get("ELASTICSEARCH_URL"):
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    results = factory.getbasetemp() / "demo-run" / "results.json" if factory else None
    if results is not None and results.exists() and session.config.getoption("numprocesses", default=None):
        import json

        _delete_demo_indices(os.environ["ELASTICSEARCH_URL"], json.loads(results.read_text())["prefix"])


@pytest.fixture(scope="session")
def demo_enriched(tmp_path_factory) -> Path:
    """The demo corpus (73 documents) enriched once per session by the real pipeline (territory and its
    geo point included), shared by the digest and Kibana tests."""
    from datetime import UTC, datetime

    from vigie.nlp.enrich import enrich_file

    path = tmp_path_factory.mktemp("demo") / "lambersart.enriched.jsonl"
    enrich_file(ROOT / "vigie" / "demo" / "lambersart.jsonl", path, config=ROOT / "config" / "demo.yaml",
                watch_id="lambersart", processes=1, progress=False, enriched_at=datetime(2026, 11, 20, tzinfo=UTC))
    return path
