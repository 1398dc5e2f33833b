"""Shared by the API crawl tests: a watch file for one source, a crawl through the core runner,
and the Documents it wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from vigie.crawlers.run import crawl_source
from vigie.schema import Document

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ROOT / "tests" / "fixtures" / "sites" / "api"
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_AFTER_DEFAULT": 1, "LOG_LEVEL": "INFO"}
RUN1 = "2026-11-19T09:00:00Z/2026-11-19T10:00:00Z"
RUN2 = "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z"


def payload(kind: str, name: str) -> bytes:
    return (PAYLOADS / kind / name).read_bytes()


def json_answer(kind: str, name: str, status: int = 200, headers: dict[str, str] | None = None):
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, payload(kind, name)


def write_config(tmp: Path, sources: list[dict[str, Any]]) -> Path:
    for source in sources:
        source.setdefault("allow_private_networks", True)
    config = {"watches": [{"id": "lambersart", "name": "Ville de Lambersart",
                           "territory": {"communes": ["59328"]}, "sources": sources}]}
    path = tmp / "watch.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def crawl(config: Path, source_id: str, tmp: Path, interval: str = RUN1, env: dict[str, str] | None = None):
    """Crawl one source in its own process; returns (summary, documents written, log text)."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_TEST_SECRET")}
    child_env["PYTHONPATH"] = str(ROOT)
    child_env.update(env or {})
    summary = crawl_source(config, "lambersart", source_id, tmp / "out", FAST, interval=interval,
                           state_dir=tmp / "state", timeout=60, env=child_env)
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
        futures = {sid: pool.submit(crawl, config, sid, tmp, interval, env) for sid in source_ids}
    return {sid: future.result() for sid, future in futures.items()}
