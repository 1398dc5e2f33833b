"""The digests' sending log in Elasticsearch: ``<prefix>-digests``, one record per watch and day.

Why Elasticsearch rather than a file under ``$VIGIE_STATE_DIR``: the digest cannot be built without the
cluster anyway, Airflow may run the task on any worker (a local file would be on one machine only), and
the shared design keeps authors, alerts and digests in their own indices (Kibana can show the log).

The record's ``_id`` is ``<watch>:<YYYY-MM-DD>``.  A run *claims* the day by writing ``status: sending``
with optimistic concurrency (``op_type=create`` the first time, ``if_seq_no``/``if_primary_term`` after):
of two runs at the same time, one gets a conflict and sends nothing.  Then ``sent`` or ``failed``.
A ``sent`` record stops every later run unless forced; a ``failed`` one is sent by the next run; a
``sending`` record left by a run that died (older than ``STALE``) is taken over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from elasticsearch import ConflictError, NotFoundError

from indexes import names

STALE = timedelta(minutes=15)
KW = {"type": "keyword"}
MAPPING = {
    "dynamic": "strict",
    "properties": {
        "watch_id": KW, "date": {"type": "date", "format": "yyyy-MM-dd"},
        "status": KW,                     # sending | sent | failed
        "empty": {"type": "boolean"},     # the short notice of a day without documents
        "subject": {"type": "text"}, "recipients": KW, "accepted": KW, "message_id": KW,
        "attempts": {"type": "integer"}, "runs": {"type": "integer"}, "error": {"type": "text"},
        "forced": {"type": "boolean"}, "total": {"type": "long"},
        "html_path": {"type": "keyword", "index": False}, "text_path": {"type": "keyword", "index": False},
        "claimed_at": {"type": "date"}, "sent_at": {"type": "date"}, "updated_at": {"type": "date"},
    },
}


def record_id(watch_id: str, day) -> str:
    return f"{watch_id}:{day.isoformat()}"


@dataclass
class Claim:
    granted: bool
    record: dict | None      # the record found (None the first time)
    reason: str = ""         # why not granted: "sent" or "sending"


class DigestStore:
    def __init__(self, client):
        self.client = client
        self.index = names.digests_index()

    def ensure(self) -> None:
        if self.client.indices.exists(index=self.index):
            return
        try:
            self.client.indices.create(index=self.index, mappings=MAPPING,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})
        except Exception as exc:  # created meanwhile by another run
            if "resource_already_exists_exception" not in str(exc):
                raise

    def get(self, watch_id: str, day) -> dict | None:
        try:
            return self.client.get(index=self.index, id=record_id(watch_id, day))["_source"]
        except NotFoundError:
            return None

    def claim(self, watch_id: str, day, force: bool = False, now: datetime | None = None) -> Claim:
        """Take the day for sending, unless it was sent (and not ``force``) or another run is sending it."""
        self.ensure()
        now = now or datetime.now(UTC)
        rid = record_id(watch_id, day)
        try:
            found = self.client.get(index=self.index, id=rid)
        except NotFoundError:
            found = None
        record = found["_source"] if found else None
        if record and record["status"] == "sent" and not force:
            return Claim(False, record, "sent")
        if record and record["status"] == "sending":
            claimed = datetime.fromisoformat(record["claimed_at"].replace("Z", "+00:00"))
            if now - claimed < STALE:
                return Claim(False, record, "sending")
        body = {**(record or {}), "watch_id": watch_id, "date": day.isoformat(), "status": "sending",
                "claimed_at": now.isoformat(), "updated_at": now.isoformat(), "forced": bool(force),
                "runs": int((record or {}).get("runs") or 0) + 1}
        try:
            if found:
                self.client.index(index=self.index, id=rid, document=body, if_seq_no=found["_seq_no"],
                                  if_primary_term=found["_primary_term"], refresh="wait_for")
            else:
                self.client.index(index=self.index, id=rid, document=body, op_type="create", refresh="wait_for")
        except ConflictError:
            return Claim(False, self.get(watch_id, day), "sending")
        return Claim(True, record)

    def finish(self, watch_id: str, day, **fields) -> dict:
        """Write the outcome of a claimed send (``status`` sent or failed, and what was sent)."""
        now = datetime.now(UTC).isoformat()
        record = {**(self.get(watch_id, day) or {}), **fields, "watch_id": watch_id, "date": day.isoformat(),
                  "updated_at": now}
        if fields.get("status") == "sent":
            record["sent_at"] = now
            record["error"] = None
        self.client.index(index=self.index, id=record_id(watch_id, day), document=record, refresh="wait_for")
        return record
