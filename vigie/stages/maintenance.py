"""Maintenance: retention per watch, queued erasure requests, index housekeeping."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from vigie.settings import Settings

log = logging.getLogger(__name__)


def retention(settings: Settings, watch: Any, now: datetime | None = None, client: Any = None) -> dict[str, Any]:
    """What is older than ``privacy.retention_days`` leaves Elasticsearch and the data files, and archived
    digests older than that (90 days when no retention is set) are deleted."""
    from vigie.digest.archive import prune
    from vigie.indexes.client import connect
    from vigie.privacy.retention import enforce

    pruned = len(prune(watch.id, watch.privacy.retention_days, now))
    if not watch.privacy.retention_days:
        return {"watch": watch.id, "note": "no retention_days: no document deleted", "digest_files_deleted": pruned}
    client = client or connect(settings.es, wait=30)
    results = enforce(client, [watch], settings.data_dir, now=now, names=settings.names)
    return {**(results[0] if results else {"watch": watch.id}), "digest_files_deleted": pruned}


def erasures(settings: Settings, client: Any = None) -> dict[str, Any]:
    from vigie.indexes.client import connect
    from vigie.privacy import requests

    if not requests.pending():
        return {"done": 0, "failed": 0, "invalid": 0}
    result = requests.process(client or connect(settings.es, wait=30), settings.watches, settings.data_dir,
                              names=settings.names)
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} erasure request(s) failed and stay queued: "
                           + "; ".join(result["errors"][:3]))
    return result


def housekeeping(settings: Settings, now: datetime | None = None, client: Any = None) -> dict[str, Any]:
    """Template and aliases for every watch (a new watch gets its alias), empty past monthly indices
    dropped (retention and erasure leave them behind), every index refreshed."""
    from vigie.indexes.client import connect
    from vigie.indexes.setup import install

    names, watch_ids = settings.names, [w.id for w in settings.watches]
    client = client or connect(settings.es, wait=30)
    install(client, watch_ids, names=names, shards=settings.index_shards)
    current = names.documents_index(now or datetime.now(UTC))
    dropped = []
    stats = client.indices.stats(index=names.documents_pattern(), metric="docs")
    for index, data in sorted(stats.get("indices", {}).items()):
        if index < current and data["primaries"]["docs"]["count"] == 0:
            client.indices.delete(index=index)
            dropped.append(index)
    client.indices.refresh(index=names.documents_pattern())
    counts = {i: d["primaries"]["docs"]["count"] for i, d in stats.get("indices", {}).items() if i not in dropped}
    summary = {"watches": watch_ids, "dropped_empty_indices": dropped, "documents_per_index": counts}
    log.info("housekeeping: %s", summary)
    return summary
