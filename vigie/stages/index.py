"""Index: an enriched file into Elasticsearch (by ``_id``: a re-run updates, never duplicates)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from vigie.stages import layout

log = logging.getLogger(__name__)


def index(config: str | Path, watch: str, path: str | Path, client: Any = None) -> dict[str, Any]:
    """Install the template and aliases (idempotent), then write the file's documents."""
    from vigie.config import load_config
    from vigie.indexes import names
    from vigie.indexes.client import connect
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file

    path = Path(path)
    client = client or connect(wait=30)
    install(client, [w.id for w in load_config(config).watches])
    if not path.exists():
        return {"watch": watch, "path": str(path), "indexed": 0, "note": "no enriched file for this interval"}
    rejects = layout.rejects_dir() / watch / path.name
    rejects.parent.mkdir(parents=True, exist_ok=True)
    report = index_file(client, path, rejects_path=rejects, watch_id=watch)
    client.indices.refresh(index=names.documents_pattern())
    summary = {"watch": watch, "path": str(path), "indexed": report.indexed, "created": report.created,
               "updated": report.updated, "rejected": len(report.rejects),
               "rejects": str(report.rejects_path) if report.rejects_path else None}
    log.info("index %s: %s", watch, summary)
    return summary

