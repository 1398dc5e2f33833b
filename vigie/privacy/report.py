"""What Vigie keeps about a watch: where, how much, since when, for how long, in what form."""

from __future__ import annotations

import json
from pathlib import Path

from elasticsearch import Elasticsearch, NotFoundError

from vigie.indexes.maintenance import matching
from vigie.indexnames import IndexNames
from vigie.privacy.erasure import erasure_log
from vigie.privacy.leaks import PublicAccounts, leaks
from vigie.privacy.objections import load_objections


def _count(client: Elasticsearch, index: str) -> int:
    try:
        return client.count(index=index)["count"]
    except NotFoundError:
        return 0


MAX_EXAMPLES = 10


class _Check:
    """Documents scanned for handles left in clear; examples name the document and the fields only."""

    def __init__(self, public: PublicAccounts | None):
        self.public = public
        self.scanned = 0
        self.failing = 0
        self.fields: dict[str, int] = {}
        self.examples: list[dict] = []

    def see(self, source: dict, where: str) -> None:
        if self.public is None:
            return
        self.scanned += 1
        found = leaks(source, self.public)
        if not found:
            return
        self.failing += 1
        for field in found:
            self.fields[field] = self.fields.get(field, 0) + 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append({"where": where, "doc_id": source.get("doc_id"), "fields": found})

    def result(self) -> dict:
        return {"scanned": self.scanned, "documents_with_clear_handles": self.failing,
                "fields": dict(sorted(self.fields.items())), "examples": self.examples}


def _files(root: Path, watch_id: str, check: _Check) -> dict:
    files, lines, size = 0, 0, 0
    if root.exists():
        for path in root.rglob("*.jsonl"):
            text = path.read_text(encoding="utf-8", errors="replace")
            mine = [line for line in text.splitlines() if f'"{watch_id}"' in line]
            if mine:
                files += 1
                lines += len(mine)
                size += path.stat().st_size
            for line in mine:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and "item_id" in record and watch_id in (record.get("watch_ids") or []):
                    check.see(record, str(path.relative_to(root)))
    return {"folder": str(root), "files": files, "lines": lines, "bytes": size}


def _scan_index(client: Elasticsearch, alias: str, check: _Check) -> None:
    if check.public is None:
        return
    for hit in matching(client, alias, {"match_all": {}}, True):
        check.see(hit.get("_source") or {}, "elasticsearch")


def _checks(watch) -> tuple[_Check, _Check]:
    public = PublicAccounts([*watch.privacy.public_accounts, *watch.own_accounts]) \
        if watch.privacy.pseudonymise_authors else None
    return _Check(public), _Check(public)


def _verdict(index: _Check, files: _Check) -> dict:
    if index.public is None:
        return {"status": "not applicable"}
    failing = index.failing + files.failing
    return {"status": "failed" if failing else "ok", "elasticsearch": index.result(), "files": files.result()}


def pseudonymisation_check(client: Elasticsearch, watch, data_root: Path, *, names: IndexNames) -> dict:
    """Scan the watch's indexed documents and its data files for handles left in clear."""
    index, files = _checks(watch)
    _scan_index(client, names.watch_alias(watch.id), index)
    _files(data_root, watch.id, files)
    return _verdict(index, files)


def privacy_report(client: Elasticsearch, watch, data_root: Path, *, names: IndexNames) -> dict:
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
    index_check, files_check = _checks(watch)
    _scan_index(client, alias, index_check)
    files = _files(data_root, watch.id, files_check)
    return {
        "watch": watch.id,
        "name": watch.name,
        "elasticsearch": {"alias": alias, "indices": indices,
                          "author_records": _count(client, names.watch_authors_alias(watch.id)),
                          "alerts": _count(client, names.watch_alerts_alias(watch.id)), **stats},
        "files": files,
        "retention_days": watch.privacy.retention_days,
        "pseudonymise_authors": watch.privacy.pseudonymise_authors,
        "pseudonymisation_check": _verdict(index_check, files_check),
        "public_accounts": sorted({*watch.privacy.public_accounts, *watch.own_accounts}),
        "erasure_requests": len(erasures),
        "objections": len(load_objections()),
        "political_opinions": "not inferred, not stored (no per-person political profiling)",
    }
