"""The crawl-test harness: fixture sites, watch files, crawls and what they wrote.

Every crawl test goes through here.  The fixtures are registered for the whole suite (imported by
``tests/conftest.py``):

- ``state_dir``: ``VIGIE_STATE_DIR`` in the test's own temporary folder;
- ``fixture_site(kind)``: a started ``FixtureServer`` on ``tests/fixtures/sites/<kind>`` (or any
  folder, or none: routes only), stopped after the test;
- ``watch_file(sources)``: a valid watch file whose sources you give as dicts
  (``allow_private_networks`` is set for you, the fixture servers being on 127.0.0.1);
- ``run_crawl(config, source_id)``: one crawl with ``TEST_SETTINGS``, returning
  ``(summary, documents this run added to its output file)``;
- ``crawls_in_worker``: ``vigie.crawlers.run.crawl_watch`` forks its crawls from the worker too.

The same without fixtures (the API kinds' tests, the demo sites' test): ``write_watch``,
``crawl_documents`` (``(summary, Documents, log)``), ``crawl_together``.  ``tests/crawlers/api_support.py``
keeps the names those tests were written with.

Each crawl runs in its own process forked from the session's crawl worker (``worker.py``), with
``vigie.crawlers.run.main`` as in production; ``crawl_source`` itself (a new interpreter per crawl)
is tested by the kill-and-resume test and through the CLI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.crawlers.server import FixtureServer
from tests.crawlers.worker import crawl as crawl_source
from vigie.schema import Document

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "tests" / "fixtures" / "sites"
PAYLOADS = SITES / "api"
RUN1 = "2026-11-19T09:00:00Z/2026-11-19T10:00:00Z"
RUN2 = "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z"

# Fast and deterministic: no delays, no AutoThrottle, short timeouts, one retry.
TEST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 1,
    "VIGIE_STATE_CHECKPOINT_SECONDS": 1,
}
# The API kinds keep the project's retries and concurrency (their tests count retries and pages).
API_SETTINGS: dict[str, Any] = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_AFTER_DEFAULT": 1,
                                "LOG_LEVEL": "INFO"}


# ------------------------------------------------------------------- files
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


def payload(kind: str, name: str) -> bytes:
    return (PAYLOADS / kind / name).read_bytes()


def json_answer(kind: str, name: str, status: int = 200, headers: dict[str, str] | None = None):
    """A ``FixtureServer`` handler answer: the saved API payload ``tests/fixtures/sites/api/<kind>/<name>``."""
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, payload(kind, name)


def write_watch(folder: Path, sources: list[dict[str, Any]], *, watch_id: str = "test",
                name: str = "Ville de Lambersart (tests)", file_name: str = "watch.yaml",
                sort_keys: bool = False, **watch: Any) -> Path:
    """A watch file of one watch on Lambersart; ``allow_private_networks`` defaults to true."""
    prepared = []
    for source in sources:
        source = dict(source)
        source.setdefault("allow_private_networks", True)
        prepared.append(source)
    data = {"watches": [{"id": watch_id, "name": name, "territory": {"communes": ["59328"]},
                         "sources": prepared, **watch}]}
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=sort_keys), encoding="utf-8")
    return path


# ------------------------------------------------------------------ crawls
def crawl_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment for a crawl, without the ``VIGIE_TEST_SECRET*`` other tests set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_TEST_SECRET")}
    env.update(extra or {})
    return env


def crawl_documents(config: Path, source_id: str, tmp: Path, interval: str = RUN1,
                    env: dict[str, str] | None = None, *, watch_id: str = "lambersart",
                    settings: dict[str, Any] | None = None, timeout: float = 60):
    """Crawl one source (state in ``tmp/state``, output in ``tmp/out``); returns
    (summary, Documents of the run's output file, log text)."""
    summary = crawl_source(config, watch_id, source_id, tmp / "out", API_SETTINGS if settings is None else settings,
                           interval=interval, state_dir=tmp / "state", timeout=timeout, env=crawl_env(env))
    output = Path(summary["output"])
    docs = [Document.model_validate(json.loads(line)) for line in output.read_text(encoding="utf-8").splitlines()
            if line.strip()] if output.exists() else []
    log = Path(summary["log"]).read_text(encoding="utf-8", errors="replace")
    return summary, docs, log


def crawl_together(config: Path, source_ids: list[str], tmp: Path, interval: str = RUN1,
                   env: dict[str, str] | None = None) -> dict[str, tuple[Any, list[Document], str]]:
    """Crawl several sources at once (each in its own process): {source id: (summary, documents, log)}."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(source_ids)) as pool:
        futures = {sid: pool.submit(crawl_documents, config, sid, tmp, interval, env) for sid in source_ids}
    return {sid: future.result() for sid, future in futures.items()}


# ---------------------------------------------------------------- fixtures
@pytest.fixture
def crawls_in_worker(monkeypatch):
    """``vigie.crawlers.run.crawl_watch`` (and whatever calls ``crawl_source``) forks its crawls from
    the session's crawl worker for the rest of the test, instead of starting an interpreter per crawl."""
    from vigie.crawlers import run

    monkeypatch.setattr(run, "crawl_source", crawl_source)
    return crawl_source


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
        return write_watch(folder or tmp_path, sources, watch_id=watch_id, file_name=name, **watch)

    return write


@pytest.fixture
def run_crawl(tmp_path, state_dir):
    """``run_crawl(config, source_id)`` -> (summary, Documents this run added to its output file)."""

    def run(config: Path, source_id: str, *, watch_id: str = "test", out: Path | None = None,
            settings: dict[str, Any] | None = None, interval: str | None = None,
            timeout: float = 120, expect_ok: bool = True,
            ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        from vigie.crawlers.run import output_paths

        out = out or tmp_path / "out"
        before = len(read_jsonl(output_paths(out, watch_id, source_id, interval)["output"]))
        merged = {**TEST_SETTINGS, **(settings or {})}
        summary = crawl_source(config, watch_id, source_id, out, merged, interval=interval, timeout=timeout)
        assert summary["status"] == "ok" or not expect_ok, \
            f"crawl failed: {summary.get('error')}\nlog: {summary.get('log')}"
        return summary, read_jsonl(summary["output"])[before:]

    return run
