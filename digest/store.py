"""The digests' sending log in Elasticsearch: ``<prefix>-digests``, one record per watch and day.

Why Elasticsearch rather than a file under ``$VIGIE_STATE_DIR``: the digest cannot be built without the
cluster anyway, Airflow may run the task on any worker (a local file would be on one machine only), and
the shared design keeps authors, alerts and digests in their own indices (Kibana can show the log).

The record's ``_id`` is ``<watch>:<YYYY-MM-DD>``.  A run *claims* the day by writing ``status: sending``
with optimistic concurrency (``op_type=create`` the first time, ``if_seq_no``/``if_primary_term`` after):
of two runs at the same time, one gets a conflict and sends nothing.  The claim keeps the version it
wrote; every later write of that run (the Message-ID noted before sending, then ``sent`` or ``failed``)
is checked against it, so a run whose claim was taken over never overwrites the other run's record.

- ``sent`` stops every later run unless forced;
- ``failed`` is taken by the next run for the same day (``vigie digest --date D --send``, or clearing the
  Airflow task);
- ``sending`` younger than ``STALE`` means another run is at work: the claim is refused with reason
  ``sending`` (the runner reports ``in_progress``); older, it was left by a run that died and is taken
  over (the Message-ID noted in it tells which message may already have gone out).

When the email went out but the ``sent`` record could not be written (Elasticsearch unavailable), the
runner writes it to a local fallback file, ``$VIGIE_STATE_DIR/digests/<watch>/<day>.sent.json``
(:func:`fallback_path`); every claim reads that file first, writes it back to Elasticsearch and removes
it, so the day is not sent twice.  The file is on the machine of the run that sent: another Airflow
worker does not see it until the record reaches Elasticsearch.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from elasticsearch import ConflictError, NotFoundError

from vigie.indexes.setup import REPLICAS
from vigie.indexnames import IndexNames

log = logging.getLogger(__name__)
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


def archive_dir(watch_id: str) -> Path:
    from vigie.settings import state_dir

    return state_dir() / "digests" / watch_id


def fallback_path(watch_id: str, day) -> Path:
    """Where a ``sent`` record waits when Elasticsearch could not take it."""
    return archive_dir(watch_id) / f"{day.isoformat()}.sent.json"


def write_fallback(watch_id: str, day, record: dict) -> Path:
    path = fallback_path(watch_id, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def read_fallback(watch_id: str, day) -> dict | None:
    try:
        return json.loads(fallback_path(watch_id, day).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


@dataclass
class Claim:
    granted: bool
    record: dict | None      # the record found (None the first time)
    reason: str = ""         # why not granted: "sent" or "sending"
    seq_no: int | None = None         # the version this run wrote (granted claims)
    primary_term: int | None = None


class DigestStore:
    def __init__(self, client, names: IndexNames):
        self.client = client
        self.index = names.digests_index()

    def ensure(self) -> None:
        if self.client.indices.exists(index=self.index):
            return
        try:
            # One replica once a second data node joins (as the documents' template), and the send
            # records are only trusted once every copy is started: a lost node loses no record.
            self.client.indices.create(index=self.index, mappings=MAPPING, wait_for_active_shards="all",
                                       settings={"number_of_shards": 1, "auto_expand_replicas": REPLICAS})
        except Exception as exc:  # created meanwhile by another run
            if "resource_already_exists_exception" not in str(exc):
                raise

    def _get(self, watch_id: str, day) -> dict | None:
        try:
            return self.client.get(index=self.index, id=record_id(watch_id, day))
        except NotFoundError:
            return None

    def get(self, watch_id: str, day) -> dict | None:
        """The record of the day (a ``sent`` record waiting in the local fallback file wins)."""
        waiting = read_fallback(watch_id, day)
        if waiting:
            return waiting
        found = self._get(watch_id, day)
        return found["_source"] if found else None

    def reconcile(self, watch_id: str, day) -> bool:
        """Write a ``sent`` record left in the fallback file to Elasticsearch and remove the file."""
        waiting = read_fallback(watch_id, day)
        if not waiting:
            return True
        self.ensure()
        found = self._get(watch_id, day)
        version = {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]} if found \
            else {"op_type": "create"}
        try:
            self.client.index(index=self.index, id=record_id(watch_id, day), document=waiting,
                              refresh="wait_for", **version)
        except Exception as exc:  # the file stays: the day is still known as sent
            log.warning("digest %s %s: the sent record in %s could not be written back: %s", watch_id, day,
                        fallback_path(watch_id, day), exc)
            return False
        fallback_path(watch_id, day).unlink(missing_ok=True)
        return True

    def claim(self, watch_id: str, day, force: bool = False, now: datetime | None = None) -> Claim:
        """Take the day for sending, unless it was sent (and not ``force``) or another run is sending it."""
        self.ensure()
        now = now or datetime.now(UTC)
        waiting = read_fallback(watch_id, day)
        if waiting and not self.reconcile(watch_id, day) and not force:
            return Claim(False, waiting, "sent")
        rid = record_id(watch_id, day)
        found = self._get(watch_id, day)
        record = found["_source"] if found else None
        if record and record["status"] == "sent" and not force:
            return Claim(False, record, "sent")
        if record and record["status"] == "sending":
            claimed = datetime.fromisoformat(record["claimed_at"].replace("Z", "+00:00"))
            if now - claimed < STALE:
                return Claim(False, record, "sending")
            log.warning("digest %s %s: taking over the claim of %s left by a run that died; message %s may "
                        "have gone out already", watch_id, day, record["claimed_at"], record.get("message_id"))
        body = {**(record or {}), "watch_id": watch_id, "date": day.isoformat(), "status": "sending",
                "claimed_at": now.isoformat(), "updated_at": now.isoformat(), "forced": bool(force),
                "message_id": None, "runs": int((record or {}).get("runs") or 0) + 1}
        try:
            if found:
                res = self.client.index(index=self.index, id=rid, document=body, if_seq_no=found["_seq_no"],
                                        if_primary_term=found["_primary_term"], refresh="wait_for")
            else:
                res = self.client.index(index=self.index, id=rid, document=body, op_type="create",
                                        refresh="wait_for")
        except ConflictError:
            return Claim(False, self.get(watch_id, day), "sending")
        return Claim(True, record, seq_no=res["_seq_no"], primary_term=res["_primary_term"])

    def _write(self, claim: Claim, watch_id: str, day, fields: dict) -> dict:
        """Update the claimed record, checked against the version of the claim (``ConflictError`` if another
        run took it over); the claim then holds the new version."""
        found = self._get(watch_id, day)
        current = found["_source"] if found else {}
        record = {**current, **fields, "watch_id": watch_id, "date": day.isoformat(),
                  "updated_at": datetime.now(UTC).isoformat()}
        res = self.client.index(index=self.index, id=record_id(watch_id, day), document=record,
                                if_seq_no=claim.seq_no, if_primary_term=claim.primary_term, refresh="wait_for")
        claim.seq_no, claim.primary_term = res["_seq_no"], res["_primary_term"]
        return record

    def note(self, claim: Claim, watch_id: str, day, **fields) -> dict:
        """Record what is about to be sent (Message-ID, subject, recipients) in the claim, before sending."""
        return self._write(claim, watch_id, day, {**fields, "status": "sending"})

    def finish(self, claim: Claim, watch_id: str, day, **fields) -> dict:
        """Write the outcome of a claimed send (``status`` sent or failed, and what was sent)."""
        fields = dict(fields)
        if fields.get("status") == "sent":
            fields["sent_at"] = datetime.now(UTC).isoformat()
            fields["error"] = None
        return self._write(claim, watch_id, day, fields)
