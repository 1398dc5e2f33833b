"""Elasticsearch over HTTPS with a CA certificate and an API key (or a user and password), end to end,
against a secured local node; and secrets never show in what the commands print or log."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import requests

from vigie.indexes.local_node import LocalNode

from ..conftest import DEMO_SECRETS, ROOT, VIGIE

pytestmark = pytest.mark.skipif(bool(os.environ.get("VIGIE_EXTERNAL_ES")), reason="starts a local node")


@pytest.fixture(scope="module")
def secure_node(tmp_path_factory):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    node = LocalNode(port=port, state=tmp_path_factory.mktemp("secure"), secure=True)
    node.start(timeout=240)
    resp = requests.post(f"{node.url}/_security/api_key", json={"name": "vigie-test"}, auth=node.admin,
                         verify=str(node.ca_cert), timeout=30)
    resp.raise_for_status()
    yield node, resp.json()["encoded"]
    node.stop()


def env_for(node, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "VIGIE_", "KIBANA_"))}
    env.update({"ELASTICSEARCH_URL": node.url, "ELASTICSEARCH_CA_CERTS": str(node.ca_cert),
                "VIGIE_INDEX_PREFIX": "vigie-secure", **extra})
    return env


def vigie(env, *args):
    return subprocess.run([VIGIE, "-v", *args], env=env, capture_output=True, text=True, timeout=300)


def test_https_and_api_key(secure_node, tmp_path):
    node, api_key = secure_node
    env = env_for(node, ELASTICSEARCH_API_KEY=api_key)
    docs = tmp_path / "d.jsonl"
    docs.write_text('{"id": "1", "text": "Coupure d\'électricité à Lambersart", '
                    '"published_at": "2026-11-17T20:00:00+01:00", "watch_ids": ["lambersart"]}\n')
    done = vigie(env, "index", str(docs), "--watch", "lambersart")
    assert done.returncode == 0, done.stderr
    found = vigie(env, "search", "electricite", "--watch", "lambersart", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["item_id"] == "1"
    report = vigie(env, "privacy", "report", "--watch", "lambersart", "--json")
    assert report.returncode == 0 and json.loads(report.stdout)["elasticsearch"]["documents"] == 1
    for output in (done, found, report):
        assert api_key not in output.stdout + output.stderr


def test_user_and_password(secure_node):
    node, _key = secure_node
    user, password = node.admin
    env = env_for(node, ELASTICSEARCH_USERNAME=user, ELASTICSEARCH_PASSWORD=password)
    done = vigie(env, "setup")
    assert done.returncode == 0, done.stderr
    assert password not in done.stdout + done.stderr


def test_refused_credentials_are_a_clear_error_without_the_secret(secure_node):
    node, _key = secure_node
    bad = "d3JvbmctaWQ6d3Jvbmcta2V5LXNlY3JldA=="
    done = vigie(env_for(node, ELASTICSEARCH_API_KEY=bad), "search", "x")
    assert done.returncode == 3 and "refused the credentials" in done.stderr
    assert bad not in done.stdout + done.stderr


def test_unknown_ca_is_a_clear_error(secure_node):
    node, api_key = secure_node
    env = env_for(node, ELASTICSEARCH_API_KEY=api_key)
    env.pop("ELASTICSEARCH_CA_CERTS")
    done = vigie(env, "search", "x")
    assert done.returncode == 3 and "not reachable" in done.stderr and "certificate" in done.stderr.lower()
    assert api_key not in done.stdout + done.stderr


def test_secrets_never_show_in_outputs_or_logs(demo_run, unused_port):
    """Every secret Vigie reads from the environment, through commands that succeed and that fail
    (``vigie -v demo``: the session's ``demo_run``, run with these secrets)."""
    secrets = {k: v for k, v in DEMO_SECRETS.items() if k != "ELASTICSEARCH_USERNAME"}
    env = demo_run.env
    assert {k: env[k] for k in secrets} == secrets and env["ELASTICSEARCH_USERNAME"] == "elastic"
    bad_url = {**env, "ELASTICSEARCH_URL": f"http://elastic:S3cret-in-url-45@127.0.0.1:{unused_port}"}
    runs = [
        demo_run.first,
        vigie(env, "search", "inondation", "--json"),
        vigie(env, "privacy", "report", "--watch", "lambersart"),
        vigie(env, "config", "check", str(ROOT / "config" / "watch.example.yaml")),
        vigie(env, "kibana", "import", "--url", f"http://127.0.0.1:{unused_port}", "--watch", "lambersart"),
        vigie(bad_url, "search", "x"),
        vigie(bad_url, "index", str(ROOT / "vigie" / "demo" / "lambersart.jsonl")),
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[5].returncode == 3
    for run in runs:
        for secret in [*secrets.values(), "S3cret-in-url-45"]:
            assert secret not in run.stdout + run.stderr, (run.args, secret)
