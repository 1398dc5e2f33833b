"""Bulk writes with our own ``_id``: a re-run overwrites, never duplicates.

Each line that cannot be indexed, whether it fails to parse, fails validation or
is refused by Elasticsearch, is counted and written with its line number and the
reason to a rejects file, while the rest is indexed.
"""

from __future__ import annotations

import json
import logging
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
    rejects: list[Reject] = field(default_factory=list)
    indices: set[str] = field(default_factory=set)
    rejects_path: Path | None = None

    def to_dict(self) -> dict:
        return {
            "read": self.read, "indexed": self.indexed, "created": self.created,
            "updated": self.updated, "rejected": len(self.rejects),
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


def write_documents(client: Elasticsearch, items: Iterable[tuple[int, str, Document]],
                    report: IndexReport, chunk_size: int = 500, *, names: IndexNames) -> IndexReport:
    """Index (line, raw, Document) items; per-item refusals become rejects."""
    # A file may hold one doc_id twice (an item and its later update): results come back in order.
    pending: dict[str, list[tuple[int, str]]] = {}

    def actions():
        for number, raw, doc in items:
            index = names.documents_index(doc.published_at)
            if index not in report.indices:
                ensure_index(client, index)
                report.indices.add(index)
            pending.setdefault(doc.doc_id, []).append((number, raw))
            yield {"_op_type": "index", "_index": index, "_id": doc.doc_id, "_source": doc.to_json_dict()}

    for ok, item in streaming_bulk(client, actions(), chunk_size=chunk_size, max_retries=3,
                                   raise_on_error=False, raise_on_exception=True):
        result = item["index"]
        queue = pending.get(result["_id"]) or [(0, "")]
        number, raw = queue.pop(0)
        if not queue:
            pending.pop(result["_id"], None)
        if ok:
            report.indexed += 1
            if result.get("result") == "created":
                report.created += 1
            else:
                report.updated += 1
        else:
            error = result.get("error", {})
            reason = error.get("reason", str(error)) if isinstance(error, dict) else str(error)
            report.rejects.append(Reject(number, f"refused by Elasticsearch: {reason}", raw))
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
