"""What Vigie keeps about a watch: where, how much, since when, for how long, in what form."""

from __future__ import annotations

from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError

from vigie.indexes import names
from vigie.privacy.erasure import erasure_log
from vigie.privacy.objections import load_objections


def _count(client: Elasticsearch, index: str) -> int:
    try:
        return client.count(index=index)["count"]
    except NotFoundError:
        return 0


def _files(root: Path, watch_id: str) -> dict:
    files, lines, size = 0, 0, 0
    if root.exists():
        for path in root.rglob("*.jsonl"):
            text = path.read_text(encoding="utf-8", errors="replace")
            mine = sum(1 for line in text.splitlines() if f'"{watch_id}"' in line)
            if mine:
                files += 1
                lines += mine
                size += path.stat().st_size
    return {"folder": str(root), "files": files, "lines": lines, "bytes": size}


def privacy_report(client: Elasticsearch, watch, data_root: Path) -> dict:
    alias = names.watch_alias(watch.id)
    stats = {"documents": 0, "authors": 0, "oldest": None, "newest": None, "pseudonymised_documents": 0,
             "by_platform": {}}
    try:
        resp = client.search(index=alias, size=0, aggs={
            "authors": {"cardinality": {"field": "author.handle"}},
            "oldest": {"min": {"field": "published_at"}},
            "newest": {"max": {"field": "published_at"}},
            "pseudo": {"filter": {"term": {"author.pseudonymised": True}}},
            "platforms": {"terms": {"field": "platform", "size": 50}},
        }, track_total_hits=True)
        aggs = resp["aggregations"]
        stats = {
            "documents": resp["hits"]["total"]["value"],
            "authors": aggs["authors"]["value"],
            "oldest": aggs["oldest"].get("value_as_string"),
            "newest": aggs["newest"].get("value_as_string"),
            "pseudonymised_documents": aggs["pseudo"]["doc_count"],
            "by_platform": {b["key"]: b["doc_count"] for b in aggs["platforms"]["buckets"]},
        }
        indices = sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        indices = []
    erasures = [e for e in erasure_log() if e["scope"] in ("all watches", watch.id)]
    return {
        "watch": watch.id,
        "name": watch.name,
        "elasticsearch": {"alias": alias, "indices": indices,
                          "author_records": _count(client, names.watch_authors_alias(watch.id)),
                          "alerts": _count(client, names.watch_alerts_alias(watch.id)), **stats},
        "files": _files(data_root, watch.id),
        "retention_days": watch.privacy.retention_days,
        "pseudonymise_authors": watch.privacy.pseudonymise_authors,
        "public_accounts": sorted({*watch.privacy.public_accounts, *watch.own_accounts}),
        "erasure_requests": len(erasures),
        "objections": len(load_objections()),
        "political_opinions": "not inferred, not stored (no per-person political profiling)",
    }
