"""Documents of a watch into a flat pandas DataFrame: from Elasticsearch (scroll) or from a JSONL file.

One row per document; nested fields are flattened (``author.handle`` → ``handle``,
``engagement.likes`` → ``likes``), lists stay lists (``topics``, ``mentions``, ``communes``, ``places``).
``published_at`` is a UTC timestamp; ``engagement`` is likes + shares + replies (views apart).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

SOURCE_FIELDS = [
    "doc_id", "platform", "source_kind", "kind", "thread_id", "parent_id", "watch_ids", "author",
    "engagement", "published_at", "topics", "territory.communes.insee", "territory.places", "mentions", "request",
    "text", "url",
]
COLUMNS = [
    "doc_id", "platform", "source_kind", "kind", "thread_id", "parent_id", "author_id", "handle", "name",
    "author_url", "followers", "pseudonymised", "likes", "shares", "replies", "views", "engagement",
    "published_at", "topics", "communes", "places", "mentions", "is_request", "request_kind", "service", "answered_at",
    "text", "url",
]


def _count(value) -> int:
    return int(value or 0)


def flatten(doc: dict) -> dict:
    author, eng, request = doc.get("author") or {}, doc.get("engagement") or {}, doc.get("request") or {}
    communes = (doc.get("territory") or {}).get("communes") or []
    return {
        "doc_id": doc.get("doc_id"),
        "platform": doc.get("platform"),
        "source_kind": doc.get("source_kind"),
        "kind": doc.get("kind") or "post",
        "thread_id": doc.get("thread_id"),
        "parent_id": doc.get("parent_id"),
        "author_id": author.get("id"),
        "handle": author.get("handle"),
        "name": author.get("name"),
        "author_url": author.get("url"),
        "followers": author.get("followers"),
        "pseudonymised": bool(author.get("pseudonymised")),
        "likes": _count(eng.get("likes")),
        "shares": _count(eng.get("shares")),
        "replies": _count(eng.get("replies")),
        "views": eng.get("views"),
        "engagement": _count(eng.get("likes")) + _count(eng.get("shares")) + _count(eng.get("replies")),
        "published_at": doc.get("published_at"),
        "topics": list(doc.get("topics") or []),
        "communes": [c["insee"] for c in communes if c.get("insee")],
        "places": list((doc.get("territory") or {}).get("places") or []),
        "mentions": list(doc.get("mentions") or []),
        "is_request": bool(request.get("is_request")),
        "request_kind": request.get("kind"),
        "service": request.get("service"),
        "answered_at": request.get("answered_at") if request.get("answered") is True else None,
        "text": doc.get("text") or "",
        "url": doc.get("url"),
    }


def frame(docs: Iterable[dict]) -> pd.DataFrame:
    """DataFrame of documents (dicts shaped like ``vigie.schema.Document``)."""
    df = pd.DataFrame([flatten(d) for d in docs], columns=COLUMNS)
    df["published_at"] = pd.to_datetime(df["published_at"], utc=True, format="ISO8601")
    df["answered_at"] = pd.to_datetime(df["answered_at"], utc=True, format="ISO8601")
    df["followers"] = df["followers"].astype("Float64")
    return df


def from_jsonl(path: str | Path, watch_id: str | None = None) -> pd.DataFrame:
    """Documents of a JSONL file (raw or enriched), only those of ``watch_id`` when given.

    A raw document has no ``doc_id`` yet: it is computed as the indexer would.  A line that is not
    JSON raises ``ValueError`` naming the file and the line.
    """
    from vigie.jsonl import read_objects
    from vigie.schema import make_doc_id

    docs = []
    for doc in read_objects(path):
        if watch_id and watch_id not in (doc.get("watch_ids") or [watch_id]):
            continue
        doc.setdefault("doc_id", make_doc_id(doc["platform"], doc["item_id"]))
        docs.append(doc)
    return frame(docs)


def from_elasticsearch(client, names, watch_id: str, days: int = 30, now: datetime | None = None) -> pd.DataFrame:
    """Documents of a watch published in the last ``days`` days, read by scroll through the watch alias."""
    from vigie.indexes.maintenance import matching

    since = (now or datetime.now(UTC)) - timedelta(days=days)
    query = {"range": {"published_at": {"gte": since.isoformat()}}}
    hits = matching(client, names.watch_alias(watch_id), query, source=SOURCE_FIELDS)
    return frame(hit["_source"] for hit in hits)
