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


def pytest_sessionstart(session):
    """The suite starts many Python processes (the ``vigie`` CLI, Airflow's DAG runs, a few crawls,
    the crawl worker). Where PYTHONDONTWRITEBYTECODE is set (some CI and sandbox images), each one
    would compile Scrapy, spaCy, Airflow and Elasticsearch's client from source again: often
    longer than what the process then does. The processes started by the tests cache their
    bytecode under .vigie/pycache instead; nothing is written into the virtualenv."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        _SAVED_ENV.update({name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")})
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ.setdefault("PYTHONPYCACHEPREFIX", str(ROOT / ".vigie" / "pycache"))


def pytest_sessionfinish(session, exitstatus):
    for name, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_collection_finish(session):
    """When the session crawls (crawler or demo tests), the crawl worker starts loading Scrapy now."""
    if any("/tests/crawlers/" in str(item.path) or "/tests/demo/" in str(item.path) for item in session.items):
        from tests.crawlers.worker import warm_up

        warm_up()


@pytest.fixture(scope="session")
def es_url():
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    from vigie.indexes.local_node import LocalNode
    from vigie.settings import state_dir

    node = LocalNode(port=int(os.environ.get("VIGIE_TEST_ES_PORT", "9250")), state=state_dir() / "test")
    already = bool(node.pid() and node.health())
    node.start()
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
    in outputs; the first two runs' results are kept before any test changes the indices.

    Returns a namespace: ``env`` (to run more commands on the same indices), ``first`` and
    ``again`` (the ``CompletedProcess`` of each run), ``state`` (VIGIE_STATE_DIR) and ``mails``
    (the .eml files in the demo's mail folder after the first run) and ``mails_after_again``."""
    import socket
    import subprocess
    from types import SimpleNamespace

    root = tmp_path_factory.mktemp("demo-run")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix = f"vigie-test-demo-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "VIGIE_", "KIBANA_"))}
    env.update({"ELASTICSEARCH_URL": es_url, "VIGIE_INDEX_PREFIX": prefix, "COLUMNS": "120",
                "VIGIE_STATE_DIR": str(root / "state"), "VIGIE_DEMO_PORT": str(port), **DEMO_SECRETS})
    mail = root / "state" / "demo" / "mail"

    def demo():
        return subprocess.run([VIGIE, "-v", "demo"], env=env, capture_output=True, text=True, timeout=600)

    first = demo()
    mails = sorted(mail.glob("*.eml"))
    again = demo() if first.returncode == 0 else None
    yield SimpleNamespace(env=env, first=first, again=again, state=root / "state", mails=mails,
                          mails_after_again=sorted(mail.glob("*.eml")), prefix=prefix)
    from elasticsearch import Elasticsearch

    with Elasticsearch(es_url) as client:
        delete_prefixed(client, prefix)
