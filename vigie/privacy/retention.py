"""Retention per watch: documents (and author records, alerts) older than ``privacy.retention_days``
are deleted from Elasticsearch and from the stages' files.  A document shared with another watch only
loses this watch's id; it is deleted when no watch keeps it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from elasticsearch import Elasticsearch

from vigie.indexes.maintenance import rewrite_matching
from vigie.indexnames import IndexNames
from vigie.privacy.files import rewrite_tree


def cutoff(days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)


def _without_watch(watch_id: str):
    def decide(source: dict) -> bool | dict:
        remaining = [w for w in source.get("watch_ids") or [] if w != watch_id]
        return {"watch_ids": remaining} if remaining else False
    return decide


def _older(value: str | None, limit: datetime) -> bool:
    if not value:
        return False
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) < limit


def enforce_watch(client: Elasticsearch, watch_id: str, days: int, data_root: Path,
                  now: datetime | None = None, *, names: IndexNames) -> dict:
    limit = cutoff(days, now)
    older = {"lt": limit.isoformat()}
    docs = rewrite_matching(
        client, names.documents_alias(),
        {"bool": {"filter": [{"term": {"watch_ids": watch_id}}, {"range": {"published_at": older}}]}},
        ["watch_ids"], _without_watch(watch_id))
    authors = rewrite_matching(
        client, names.authors_index(),
        {"bool": {"filter": [{"term": {"watch_id": watch_id}}, {"range": {"last_seen": older}}]}},
        False, lambda _source: False)
    alerts = rewrite_matching(
        client, names.alerts_index(),
        {"bool": {"filter": [{"term": {"watch_id": watch_id}}, {"range": {"fired_at": older}}]}},
        False, lambda _source: False)
    decide_file = _without_watch(watch_id)

    def in_files(record: dict) -> bool | dict:
        if watch_id not in (record.get("watch_ids") or []) or not _older(record.get("published_at"), limit):
            return True
        decision = decide_file(record)
        return False if decision is False else {**record, **decision}

    files = rewrite_tree(data_root, in_files)
    return {
        "watch": watch_id, "cutoff": limit.isoformat(), "retention_days": days,
        "documents_deleted": docs["deleted"], "documents_unlinked": docs["updated"],
        "authors_deleted": authors["deleted"], "alerts_deleted": alerts["deleted"],
        "file_lines_removed": files["removed"], "file_lines_unlinked": files["changed"],
        "files_changed": files["files_changed"],
    }


def enforce(client: Elasticsearch, watches, data_root: Path, now: datetime | None = None, *,
            names: IndexNames) -> list[dict]:
    """Apply every watch's retention; watches without ``retention_days`` keep everything."""
    return [enforce_watch(client, w.id, w.privacy.retention_days, data_root, now, names=names)
            for w in watches if w.privacy.retention_days]
