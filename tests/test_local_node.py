"""The local node: provisioning, French analysis plugin, clear errors, the `vigie es` commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.support import names
from vigie.indexes import local_node
from vigie.indexes.local_node import ES_VERSION, LocalNode, LocalNodeError, find_java

from .conftest import VIGIE


def test_the_node_is_the_version_we_claim(es):
    info = es.nodes.info(metric="plugins")
    node = next(iter(info["nodes"].values()))
    if not os.environ.get("VIGIE_EXTERNAL_ES"):
        assert node["version"] == ES_VERSION
        assert "vigie-analysis-fr" in {p["name"] for p in node["plugins"]}


def test_vigie_french_analyzer(es):
    from vigie.indexes.setup import ensure_index, install

    install(es, names=names)
    ensure_index(es, f"{os.environ['VIGIE_INDEX_PREFIX']}-documents-2026.11")
    tokens = es.indices.analyze(index=f"{os.environ['VIGIE_INDEX_PREFIX']}-documents-2026.11",
                                analyzer="vigie_french",
                                text="L’école et les Écoles qu'il a vues, inondations à Lambersart")
    assert [t["token"] for t in tokens["tokens"]] == ["ecol", "ecol", "a", "vue", "inond", "lambersart"]


def test_no_java_says_what_to_install(monkeypatch, tmp_path):
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(local_node, "JVM_DIRS", [tmp_path])
    with pytest.raises(LocalNodeError, match=r"No Java Development Kit 17-24 found.*openjdk-17-jdk-headless"):
        find_java()


def test_unsupported_es_java_home_is_named(monkeypatch):
    newer = [p for d in local_node.JVM_DIRS if d.is_dir() for p in d.iterdir()
             if (p / "bin" / "java").exists() and (local_node._java_major(p / "bin" / "java") or 0) > 24]
    if not newer:
        pytest.skip("no Java newer than 24 on this machine")
    monkeypatch.setenv("ES_JAVA_HOME", str(newer[0]))
    with pytest.raises(LocalNodeError, match=rf"ES_JAVA_HOME={newer[0]} is Java \d+"):
        find_java()


def test_missing_maven_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    node = LocalNode(cache=tmp_path / "cache", state=tmp_path / "state")
    with pytest.raises(LocalNodeError, match=r"Maven \(mvn\) is needed.*apt-get install maven") as caught:
        node.download()
    assert str(node.zip_path) in str(caught.value)


def test_port_in_use_is_refused(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        node = LocalNode(port=port, state=tmp_path)
        with pytest.raises(LocalNodeError, match=f"Port {port} on 127.0.0.1 is already used"):
            node.start()


@pytest.mark.skipif(bool(os.environ.get("VIGIE_EXTERNAL_ES")), reason="uses the local distribution")
def test_es_commands_start_status_stop(tmp_path, unused_port, es_url):
    """A second node through the real CLI: start, status, stop, with its data where we said."""
    env = {**os.environ, "VIGIE_ES_PORT": str(unused_port), "VIGIE_STATE_DIR": str(tmp_path)}
    env.pop("ELASTICSEARCH_URL", None)

    def vigie(*args):
        return subprocess.run([VIGIE, "es", *args], env=env, capture_output=True, text=True, timeout=300)

    try:
        started = vigie("start")
        assert started.returncode == 0, started.stderr
        assert f"is up at http://127.0.0.1:{unused_port}" in started.stdout
        status = vigie("status", "--json")
        assert status.returncode == 0
        info = json.loads(status.stdout)
        assert info["running"] and info["cluster_status"] in {"green", "yellow"}
        assert Path(info["data"]) == tmp_path / "es" / "data" and any((tmp_path / "es" / "data").iterdir())
        assert "already running" in vigie("start").stdout
    finally:
        stopped = vigie("stop")
    assert "stopped" in stopped.stdout
    after = vigie("status")
    assert after.returncode == 1 and "not running" in after.stdout
