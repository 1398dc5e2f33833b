"""Helpers shared by the crawler tests (this file's and the API kinds').

- ``fixture_site(kind)``: a started ``FixtureServer`` on ``tests/fixtures/sites/<kind>``;
- ``watch_file``: writes a watch file whose sources you give as dicts (``allow_private_networks``
  is set for you, the fixture server being on 127.0.0.1);
- ``run_crawl``: ``crawl_source`` with fast test settings, returning ``(summary, documents)``;
- ``VIGIE_STATE_DIR`` points into the test's own temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.crawlers.server import FixtureServer

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"

# Fast and deterministic: no delays, no AutoThrottle, short timeouts, one retry.
TEST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 1,
    "VIGIE_STATE_CHECKPOINT_SECONDS": 1,
}


@pytest.fixture(scope="session", autouse=True)
def _bytecode_cache_for_crawl_processes():
    """Every crawl is a new Python process. Where PYTHONDONTWRITEBYTECODE is set (some CI and
    sandbox images), each one would compile Scrapy, trafilatura and scipy from source again:
    twice the start-up time. Crawl processes started by the tests cache their bytecode under
    .vigie/pycache instead; nothing is written into the virtualenv."""
    import os

    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        yield
        return
    from vigie.settings import project_root

    saved = os.environ.pop("PYTHONDONTWRITEBYTECODE")
    prefix_was_set = "PYTHONPYCACHEPREFIX" in os.environ
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(project_root() / ".vigie" / "pycache"))
    yield
    os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    if not prefix_was_set:
        os.environ.pop("PYTHONPYCACHEPREFIX", None)


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The complete lines of a JSONL file (a torn last line, cut by a crash, is left out)."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


@pytest.fixture
def state_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("VIGIE_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def fixture_site():
    """``fixture_site("feed")`` starts a server on tests/fixtures/sites/feed (stopped after the test)."""
    servers: list[FixtureServer] = []

    def start(kind: str | Path | None = None) -> FixtureServer:
        root = None if kind is None else (kind if isinstance(kind, Path) else SITES / kind)
        server = FixtureServer(root).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def watch_file(tmp_path):
    """``watch_file([{"id": "news", "kind": "feed", "url": ...}])`` -> path of a valid watch file."""

    def write(sources: list[dict[str, Any]], watch_id: str = "test", name: str = "watch.yaml",
              folder: Path | None = None, **watch: Any) -> Path:
        prepared = []
        for source in sources:
            source = dict(source)
            source.setdefault("allow_private_networks", True)
            prepared.append(source)
        data = {"watches": [{"id": watch_id, "name": "Ville de Lambersart (tests)",
                             "territory": {"communes": ["59328"]}, "sources": prepared, **watch}]}
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_crawl(tmp_path, state_dir):
    """``run_crawl(config, source_id)`` -> (summary, Documents this run added to its output file)."""

    def run(config: Path, source_id: str, *, watch_id: str = "test", out: Path | None = None,
            settings: dict[str, Any] | None = None, interval: str | None = None,
            timeout: float = 120, expect_ok: bool = True,
            ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        from vigie.crawlers.run import crawl_source, output_paths

        out = out or tmp_path / "out"
        before = len(read_jsonl(output_paths(out, watch_id, source_id, interval)["output"]))
        merged = {**TEST_SETTINGS, **(settings or {})}
        summary = crawl_source(config, watch_id, source_id, out, merged, interval=interval, timeout=timeout)
        assert summary["status"] == "ok" or not expect_ok, \
            f"crawl failed: {summary.get('error')}\nlog: {summary.get('log')}"
        return summary, read_jsonl(summary["output"])[before:]

    return run
