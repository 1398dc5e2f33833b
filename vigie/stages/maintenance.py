"""Maintenance: retention per watch, queued erasure requests, index housekeeping."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)


def retention(watch: Any, now: datetime | None = None, client: Any = None) -> dict[str, Any]:
    """What is older than ``privacy.retention_days`` leaves Elasticsearch and the data files, and archived
    digests older than that (90 days when no retention is set) are deleted."""
    from vigie.digest.archive import prune
    from vigie.indexes.client import connect
    from vigie.privacy.retention import enforce
    from vigie.settings import data_dir

    pruned = len(prune(watch.id, watch.privacy.retention_days, now))
    if not watch.privacy.retention_days:
        return {"watch": watch.id, "note": "no retention_days: no document deleted", "digest_files_deleted": pruned}
    client = client or connect(wait=30)
    results = enforce(client, [watch], data_dir(), now=now)
    return {**(results[0] if results else {"watch": watch.id}), "digest_files_deleted": pruned}


def erasures(config_watches: list[Any], client: Any = None) -> dict[str, Any]:
    from vigie.indexes.client import connect
    from vigie.privacy import requests
    from vigie.settings import data_dir

    if not requests.pending():
        return {"done": 0, "failed": 0, "invalid": 0}
    result = requests.process(client or connect(wait=30), config_watches, data_dir())
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} erasure request(s) failed and stay queued: "
                           + "; ".join(result["errors"][:3]))
    return result


def housekeeping(watch_ids: list[str], now: datetime | None = None, client: Any = None) -> dict[str, Any]:
    """Template and aliases for every watch (a new watch gets its alias), empty past monthly indices
    dropped (retention and erasure leave them behind), every index refreshed."""
    from vigie.indexes import names
    from vigie.indexes.client import connect
    from vigie.indexes.setup import install

    client = client or connect(wait=30)
    install(client, watch_ids)
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
