"""Influence: score the territory's accounts over the last days and refresh the authors index."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from vigie.settings import Settings

log = logging.getLogger(__name__)


def influence(settings: Settings, watch: Any, days: int = 30, now: datetime | None = None,
              client: Any = None) -> dict[str, Any]:
    """``watch`` is a ``vigie.config.Watch``.  Writing by ``_id`` (watch:platform:handle) is idempotent."""
    from vigie.analytics import influence as scoring
    from vigie.analytics.load import from_elasticsearch
    from vigie.analytics.store import write_authors
    from vigie.indexes.client import connect

    client = client or connect(settings.es, wait=30)
    docs = from_elasticsearch(client, settings.names, watch.id, days, now=now)
    table = scoring.score(docs, list(watch.territory.communes), watch.own_accounts, days=days)
    stored = write_authors(client, settings.names, watch.id, table, computed_at=now)
    top = table[~table["own_account"].astype(bool)].head(5)  # by group (local media and institutions first), then score
    summary = {"watch": watch.id, "documents": len(docs), "accounts": len(table),
               "top": [{"author": key, "score": round(float(row["influence_score"]), 1)}
                       for key, row in top.iterrows()],
               **{k: stored[k] for k in ("written", "deleted") if k in stored}}
    log.info("influence %s: %s", watch.id, summary)
    return summary
