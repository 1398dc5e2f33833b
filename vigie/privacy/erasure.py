"""Erasure and objection: `vigie forget` removes an author's documents everywhere, records the request,
and puts the author on the objection list that the crawlers read so they are not collected again.

Neither the erasure log nor the objection list keeps the handle in clear: both hold a hash of
(platform, handle), enough to recognise the author again, not to read who it was.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch

from vigie.indexes.maintenance import rewrite_matching
from vigie.indexnames import IndexNames
from vigie.privacy.files import rewrite_tree
from vigie.privacy.objections import (  # noqa: F401  (author_hash, is_objected: the names callers used)
    add_objection,
    author_hash,
    is_objected,
    load_objections,
    objection_path,
    privacy_dir,
)
from vigie.privacy.pseudonym import Pseudonymiser, normalise_handle


def forget(client: Elasticsearch, platform: str, handle: str, watches, data_root: Path,
           pseudonymisers: dict[str, Pseudonymiser | None], scope: str | None = None,
           now: datetime | None = None, *, names: IndexNames) -> dict:
    """Remove an author's documents, author records and alert samples; log the request; object."""
    platform = platform.lower()
    handles = {normalise_handle(handle)}
    for watch in watches:
        pseudo = pseudonymisers.get(watch.id)
        if pseudo is not None and (scope is None or watch.id == scope):
            handles.add(pseudo.token(platform, handle))
    handles_list = sorted(handles)
    scope_filter = [{"term": {"watch_ids": scope}}] if scope else []

    def drop_or_unlink(source: dict) -> bool | dict:
        if scope is None:
            return False
        remaining = [w for w in source.get("watch_ids") or [] if w != scope]
        return {"watch_ids": remaining} if remaining else False

    docs = rewrite_matching(
        client, names.documents_alias(),
        {"bool": {"filter": [{"term": {"platform": platform}}, {"terms": {"author.handle": handles_list}},
                             *scope_filter]}},
        ["watch_ids"], drop_or_unlink)
    authors = rewrite_matching(
        client, names.authors_index(),
        {"bool": {"filter": [{"term": {"platform": platform}}, {"terms": {"handle": handles_list}},
                             *([{"term": {"watch_id": scope}}] if scope else [])]}},
        False, lambda _source: False)
    removed_ids = set(docs["deleted_ids"])
    samples = {"updated": 0}
    if removed_ids:
        samples = rewrite_matching(
            client, names.alerts_index(), {"terms": {"sample_doc_ids": sorted(removed_ids)}},
            ["sample_doc_ids"],
            lambda source: {"sample_doc_ids": [i for i in source.get("sample_doc_ids") or [] if i not in removed_ids]})

    def in_files(record: dict) -> bool | dict:
        author = record.get("author") or {}
        if str(record.get("platform", "")).lower() != platform:
            return True
        if normalise_handle(str(author.get("handle") or "")) not in handles:
            return True
        if scope and scope not in (record.get("watch_ids") or []):
            return True
        decision = drop_or_unlink(record)
        return False if decision is False else {**record, **decision}

    files = rewrite_tree(data_root, in_files)
    digest = author_hash(platform, handle)
    add_objection(f"{scope}:{digest}" if scope else digest, objection_path())
    entry = {
        "date": (now or datetime.now(UTC)).isoformat(),
        "request": "erasure" if scope is None else "erasure (one watch)",
        "platform": platform,
        "author_hash": digest,
        "scope": scope or "all watches",
        "counts": {"documents_deleted": docs["deleted"], "documents_unlinked": docs["updated"],
                   "author_records_deleted": authors["deleted"], "alert_samples_updated": samples["updated"],
                   "file_lines_removed": files["removed"], "file_lines_unlinked": files["changed"]},
        "objection_recorded": True,
    }
    log = privacy_dir() / "erasures.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as handle_out:
        handle_out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def erasure_log() -> list[dict]:
    path = privacy_dir() / "erasures.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
