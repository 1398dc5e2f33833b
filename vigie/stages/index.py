"""Index: an enriched file into Elasticsearch (by ``_id``: a re-run updates, never duplicates)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from vigie.settings import Settings
from vigie.stages import layout

log = logging.getLogger(__name__)


def index(settings: Settings, watch: str, path: str | Path, client: Any = None) -> dict[str, Any]:
    """Install the template and aliases (idempotent), then write the file's documents."""
    from vigie.indexes.client import connect
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file

    path = Path(path)
    names = settings.names
    client = client or connect(settings.es, wait=30)
    install(client, [w.id for w in settings.watches], names=names, shards=settings.index_shards)
    if not path.exists():
        return {"watch": watch, "path": str(path), "indexed": 0, "note": "no enriched file for this interval"}
    rejects = layout.rejects_dir(settings) / watch / path.name
    rejects.parent.mkdir(parents=True, exist_ok=True)
    report = index_file(client, path, rejects_path=rejects, watch_id=watch, names=names)
    client.indices.refresh(index=names.documents_pattern())
    answered = _mark_answered(settings, client, watch, path)
    summary = {"watch": watch, "path": str(path), "indexed": report.indexed, "created": report.created,
               "updated": report.updated, "rejected": len(report.rejects),
               "rejects": str(report.rejects_path) if report.rejects_path else None, "answered_requests": answered}
    log.info("index %s: %s", watch, summary)
    return summary



def _threads(path: Path) -> set[str]:
    """The threads the file's documents belong to (thread ids, and the doc ids of thread roots)."""
    from vigie.jsonl import read_lines
    from vigie.schema import make_doc_id

    threads = set()
    for line in read_lines(path):  # a bad line was rejected by the indexing (and counted there)
        doc = line.data
        if line.error or not isinstance(doc, dict):
            continue
        if isinstance(doc.get("thread_id"), str) and doc["thread_id"]:
            threads.add(doc["thread_id"])
        elif isinstance(doc.get("platform"), str) and isinstance(doc.get("item_id"), str) and doc["item_id"].strip():
            threads.add(doc.get("doc_id") or make_doc_id(doc["platform"], doc["item_id"]))
    return threads


def _mark_answered(settings: Settings, client: Any, watch_id: str, path: Path) -> int:
    """Requests in the threads the file brought documents to, now answered by the collectivité
    (``vigie.analytics.answers``)."""
    from vigie.analytics.answers import mark_answered

    watch = next((w for w in settings.watches if w.id == watch_id), None)
    if watch is None:
        return 0
    counts = mark_answered(client, settings.names, watch, threads=_threads(path))
    if counts["answered"]:
        client.indices.refresh(index=settings.names.documents_pattern())
    return counts["answered"]
