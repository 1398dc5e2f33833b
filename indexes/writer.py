"""Bulk writes with our own ``_id``: a re-run overwrites, never duplicates.

A document already in the index is *merged*, not replaced: two watches may collect the same item
(a regional feed shared by neighbouring communes), and the second write must not take it from the
first.  The stored document's ``watch_ids`` and the new one's are united, and a pseudonymised
document is never replaced by a clear copy of the same item (the pseudonymised form wins: a clear
write only adds its watch ids; a pseudonymised write replaces a clear copy).  A write that changes
nothing is skipped, so re-indexing the same file leaves versions as they are.

The merge is a read-then-conditional-write (``mget``, then ``index`` with ``if_seq_no`` /
``if_primary_term``, or ``create`` for a new document) retried on version conflicts, rather than a
painless scripted upsert: the local distribution (integ-test-zip) has no ``lang-painless`` module,
and this works on any cluster.

Each line that cannot be indexed, whether it fails to parse, fails validation or
is refused by Elasticsearch, is counted and written with its line number and the
reason to a rejects file, while the rest is indexed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk
from pydantic import ValidationError

from vigie.indexes.setup import ensure_index
from vigie.indexnames import IndexNames
from vigie.jsonl import read_lines
from vigie.schema import Document, from_record

log = logging.getLogger(__name__)
MAX_RAW = 10_000


@dataclass
class Reject:
    line: int
    reason: str
    raw: str

    def to_dict(self) -> dict:
        return {"line": self.line, "reason": self.reason, "raw": self.raw[:MAX_RAW]}


@dataclass
class IndexReport:
    read: int = 0
    indexed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # among ``updated``: already stored as they are, not written again
    rejects: list[Reject] = field(default_factory=list)
    indices: set[str] = field(default_factory=set)
    rejects_path: Path | None = None

    def to_dict(self) -> dict:
        return {
            "read": self.read, "indexed": self.indexed, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "rejected": len(self.rejects),
            "indices": sorted(self.indices),
            "rejects_file": str(self.rejects_path) if self.rejects_path else None,
        }


def _validation_reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_file(path: Path, report: IndexReport, watch_id: str | None = None) -> Iterator[tuple[int, str, Document]]:
    for line in read_lines(path):
        report.read += 1
        if line.error:
            report.rejects.append(Reject(line.number, line.error, line.raw))
            continue
        try:
            doc = from_record(line.data)
        except ValidationError as exc:
            report.rejects.append(Reject(line.number, _validation_reason(exc), line.raw))
            continue
        except ValueError as exc:
            report.rejects.append(Reject(line.number, str(exc), line.raw))
            continue
        if watch_id and watch_id not in doc.watch_ids:
            doc.watch_ids = [*doc.watch_ids, watch_id]
        yield line.number, line.raw, doc


PSEUDONYMISED_FLAG = "pseudonymised"  # set by vigie.privacy on every document of a pseudonymising watch
MAX_CONFLICT_RETRIES = 5


def is_pseudonymised(source: dict) -> bool:
    author = source.get("author") if isinstance(source.get("author"), dict) else {}
    return PSEUDONYMISED_FLAG in (source.get("flags") or []) or bool(author.get("pseudonymised"))


def merge_sources(stored: dict | None, incoming: dict) -> dict | None:
    """The source to write over ``stored`` (None when nothing would change).

    ``watch_ids`` are united (stored ones first); a clear ``incoming`` never replaces a
    pseudonymised ``stored`` document, it only adds its watch ids.
    """
    if stored is None:
        return incoming
    watch_ids = list(dict.fromkeys([*(stored.get("watch_ids") or []), *(incoming.get("watch_ids") or [])]))
    base = stored if is_pseudonymised(stored) and not is_pseudonymised(incoming) else incoming
    merged = {**base, "watch_ids": watch_ids}
    return None if merged == stored else merged


@dataclass
class _Pending:
    number: int
    raw: str
    index: str
    doc_id: str
    source: dict


def _chunks(items: Iterable[tuple[int, str, Document]], report: IndexReport, client: Elasticsearch,
            size: int, names: IndexNames) -> Iterator[list[_Pending]]:
    """Chunks of at most ``size`` documents, a doc_id at most once per chunk (a file may hold an item
    and its later update: the second goes to the next chunk, so it merges over the first)."""
    chunk: list[_Pending] = []
    ids: set[str] = set()
    for number, raw, doc in items:
        index = names.documents_index(doc.published_at)
        if index not in report.indices:
            ensure_index(client, index)
            # Created a moment ago (maybe by another run): reads are refused until its shard is up.
            client.cluster.health(index=index, wait_for_status="yellow", wait_for_active_shards="1", timeout="30s")
            report.indices.add(index)
        if len(chunk) >= size or doc.doc_id in ids:
            yield chunk
            chunk, ids = [], set()
        chunk.append(_Pending(number, raw, index, doc.doc_id, doc.to_json_dict()))
        ids.add(doc.doc_id)
    if chunk:
        yield chunk


def _reason(result: dict) -> str:
    error = result.get("error", {})
    return error.get("reason", str(error)) if isinstance(error, dict) else str(error)


def _write_chunk(client: Elasticsearch, chunk: list[_Pending], report: IndexReport) -> None:
    todo = chunk
    for attempt in range(MAX_CONFLICT_RETRIES + 1):
        if attempt:
            time.sleep(0.2 * attempt)
        found = client.mget(docs=[{"_index": p.index, "_id": p.doc_id} for p in todo])["docs"]
        actions, by_id, conflicts = [], {}, []
        for pending, stored in zip(todo, found, strict=True):
            if stored.get("error"):
                if "no_shard_available" in str(stored["error"]) and attempt < MAX_CONFLICT_RETRIES:
                    conflicts.append(pending)   # an index created a moment ago by another run
                    continue
                report.rejects.append(Reject(pending.number, f"refused by Elasticsearch: {_reason(stored)}",
                                             pending.raw))
                continue
            if not stored.get("found"):
                by_id[pending.doc_id] = pending
                actions.append({"_op_type": "create", "_index": pending.index, "_id": pending.doc_id,
                                "_source": pending.source})
                continue
            merged = merge_sources(stored["_source"], pending.source)
            if merged is None:
                report.indexed += 1
                report.updated += 1
                report.unchanged += 1
                continue
            by_id[pending.doc_id] = pending
            actions.append({"_op_type": "index", "_index": pending.index, "_id": pending.doc_id,
                            "if_seq_no": stored["_seq_no"], "if_primary_term": stored["_primary_term"],
                            "_source": merged})
        for ok, item in streaming_bulk(client, actions, chunk_size=max(len(actions), 1), max_retries=3,
                                       raise_on_error=False, raise_on_exception=True):
            result = next(iter(item.values()))
            pending = by_id[result["_id"]]
            if ok:
                report.indexed += 1
                if result.get("result") == "created":
                    report.created += 1
                else:
                    report.updated += 1
            elif result.get("status") == 409 and attempt < MAX_CONFLICT_RETRIES:
                conflicts.append(pending)  # written meanwhile by another run: read and merge again
            else:
                report.rejects.append(Reject(pending.number, f"refused by Elasticsearch: {_reason(result)}",
                                             pending.raw))
        if not conflicts:
            return
        todo = conflicts


def write_documents(client: Elasticsearch, items: Iterable[tuple[int, str, Document]],
                    report: IndexReport, chunk_size: int = 500, *, names: IndexNames) -> IndexReport:
    """Index (line, raw, Document) items, merged over what is stored; per-item refusals become rejects."""
    for chunk in _chunks(items, report, client, chunk_size, names):
        _write_chunk(client, chunk, report)
    if report.indices:
        client.indices.refresh(index=names.documents_alias())
    return report


def index_file(client: Elasticsearch, path: str | Path, rejects_path: str | Path | None = None,
               watch_id: str | None = None, chunk_size: int = 500, *, names: IndexNames) -> IndexReport:
    path = Path(path)
    report = IndexReport()
    report.rejects_path = Path(rejects_path) if rejects_path else path.with_name(path.name + ".rejects.jsonl")
    report.rejects_path.unlink(missing_ok=True)  # a stale file would describe another run
    try:
        write_documents(client, parse_file(path, report, watch_id), report, chunk_size=chunk_size, names=names)
    finally:
        if report.rejects:
            report.rejects.sort(key=lambda r: r.line)
            with open(report.rejects_path, "w", encoding="utf-8") as handle:
                for reject in report.rejects:
                    handle.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
            for reject in report.rejects:
                log.warning("%s:%d rejected: %s", path, reject.line, reject.reason)
        else:
            report.rejects_path = None
    return report
