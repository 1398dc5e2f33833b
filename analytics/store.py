"""Author records of a watch into ``<prefix>-authors``, idempotently.

Each record's ``_id`` is watch + platform + handle, so a re-run overwrites it; the watch's records
that the run did not write (accounts gone from the window) are deleted, so the index always holds
the last ranking.  Pseudonymised authors keep their token as handle and ``author_key``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
from elasticsearch.helpers import streaming_bulk

RECORD_FIELDS = [
    "platform", "handle", "name", "url", "followers", "own_account", "documents", "engagement_received",
    "replies_received", "mentions_received", "quotes_received", "local_share", "local_documents",
    "local_replies", "local_mentions", "local_interactions", "days_active", "window_days", "main_topics",
    "first_seen", "last_seen", "pagerank", "account_kind", "group", "confidence", "influence_score", "reasons",
]


def record_id(watch_id: str, author_key: str) -> str:
    return f"{watch_id}:{author_key}"  # author_key is platform:handle


def _clean(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(watch_id: str, table: pd.DataFrame, computed_at: datetime) -> list[dict]:
    out = []
    for key, row in table.iterrows():
        record = {field: _clean(row[field]) for field in RECORD_FIELDS}
        record["followers"] = None if record["followers"] is None else int(record["followers"])
        record.update(author_key=key, watch_id=watch_id, computed_at=computed_at.isoformat())
        out.append(record)
    return out


def write_authors(client, names, watch_id: str, table: pd.DataFrame, computed_at: datetime | None = None) -> dict:
    """Write the ranking of ``score()``; returns written and deleted counts."""
    from vigie.indexes.maintenance import rewrite_matching

    index = names.authors_index()
    computed_at = computed_at or datetime.now(UTC)
    batch = records(watch_id, table, computed_at)
    actions = ({"_op_type": "index", "_index": index, "_id": record_id(watch_id, r["author_key"]), "_source": r}
               for r in batch)
    written = 0
    for ok, item in streaming_bulk(client, actions, chunk_size=500, raise_on_error=False, max_retries=3):
        if not ok:
            result = item.get("index", {})
            raise RuntimeError(f"author record {result.get('_id')} not written: {result.get('error')}")
        written += 1
    client.indices.refresh(index=index)
    keep = {record_id(watch_id, r["author_key"]) for r in batch}
    stale = rewrite_matching(client, index, {"term": {"watch_id": watch_id}}, ["watch_id", "author_key"],
                             lambda src: record_id(watch_id, src.get("author_key", "")) in keep)
    return {"written": written, "deleted": stale["deleted"]}
