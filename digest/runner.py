"""One digest for one watch and one day: figures → chart → HTML and text files → (optionally) the email.

    from vigie.digest.runner import run_digest
    from vigie.settings import Settings
    outcome = run_digest(Settings.resolve(), watch, date(2026, 11, 17), send=True)

The HTML (``<day>.html``, chart beside it as ``<day>.png``), the text (``<day>.txt``) and the figures
(``<day>.json``) are written, by default under ``$VIGIE_STATE_DIR/digests/<watch>/`` (the archive, pruned by
``vigie.digest.archive.prune``), except over the archive of a day already sent: those files show what was sent
and a later run (without ``force``) leaves them as they are (status ``already_sent``).

With ``send=True``: at most one digest per watch and day (the sending log of ``digest/store.py``).  Statuses:

- ``sent`` (``empty`` for the short notice of a day without documents, also sent: silence would not tell
  the team that the sources may be down);
- ``already_sent``: the day was sent before; nothing sent, unless ``force``;
- ``in_progress``: another run claimed the day less than 15 minutes ago and may be sending it; nothing
  sent.  Not a success: the caller should try again later (the Airflow task fails so that it is retried);
- ``failed``: the email could not be sent (retried ``retries`` times with exponential backoff), or anything
  else went wrong after the day was claimed (the error is recorded, then re-raised).  The record says
  ``failed`` and the next run *for the same day* sends it: ``vigie digest --date D --send``, or clearing
  the Airflow task of that day.  A later *scheduled* Airflow run covers the next day, not this one.

Once the server accepted the message, the ``sent`` record is written with ``finish_retries`` attempts; if
Elasticsearch still refuses it, it goes to a local fallback file that the next claim reads (no resend).
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from elasticsearch import ConflictError

from vigie.digest.chart import sentiment_chart
from vigie.digest.figures import collect
from vigie.digest.message import build_message
from vigie.digest.render import render, subject
from vigie.digest.store import STALE, DigestStore, write_fallback
from vigie.settings import state_dir

log = logging.getLogger(__name__)
STATUSES = ("sent", "already_sent", "in_progress", "written", "empty", "failed")


@dataclass
class DigestOutcome:
    status: str                       # sent | already_sent | in_progress | written | empty | failed
    html_path: Path
    text_path: Path
    subject: str
    recipients: list[str]
    error: str | None = None
    figures: dict = field(default_factory=dict)
    sent: bool = False                # a message was accepted by the SMTP server during this run
    attempts: int = 0
    chart_path: Path | None = None

    def to_dict(self, with_figures: bool = True) -> dict:
        data = asdict(self)
        for key in ("html_path", "text_path", "chart_path"):
            data[key] = str(data[key]) if data[key] else None
        if not with_figures:
            data.pop("figures")
        return data

    def summary(self) -> str:
        """One line in English, for the CLI and the Airflow log."""
        figures = self.figures
        line = (f"{figures.get('watch_id')} {figures.get('date')}: {self.status}"
                f" ({figures.get('total', 0)} documents) -> {self.html_path}")
        if self.sent or self.status in ("sent", "already_sent"):
            line += f"; recipients: {', '.join(self.recipients) or 'none'}"
        if self.error:
            line += f"; error: {self.error}"
        return line


def default_path(watch_id: str, day: date) -> Path:
    return state_dir() / "digests" / watch_id / f"{day.isoformat()}.html"


def write_files(figures: dict, chart: bytes | None, out: Path, prefix: str) -> tuple[Path, Path, Path | None]:
    """The HTML (with the chart as a file beside it), the text and the figures as JSON."""
    out.parent.mkdir(parents=True, exist_ok=True)
    chart_path = out.with_suffix(".png") if chart and figures["total"] else None
    if chart_path:
        _atomic_write(chart_path, chart)
    rendered = render(figures, chart_path.name if chart_path else None, prefix)
    text_path = out.with_suffix(".txt")
    _atomic_write(out, rendered.html)
    _atomic_write(text_path, rendered.text)
    _atomic_write(out.with_suffix(".json"), json.dumps(figures, ensure_ascii=False, indent=1))
    return out, text_path, chart_path


def _atomic_write(path: Path, content: str | bytes) -> None:
    """Through a temporary file of this run only (two runs at once never share one), then renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _is_archive_of(record: dict | None, html_path: Path, watch_id: str, day: date) -> bool:
    """Whether ``html_path`` is where the digest recorded ``sent`` in ``record`` was archived."""
    if not record or record.get("status") != "sent":
        return False
    sent_to = {default_path(watch_id, day).resolve()}
    if record.get("html_path"):
        sent_to.add(Path(record["html_path"]).resolve())
    return html_path.resolve() in sent_to


def run_digest(settings, watch, day: date, *, client=None, out: str | Path | None = None, send: bool = False,
               force: bool = False, smtp=None, now: datetime | None = None, retries: int = 3,
               backoff: float = 2.0, sleep=None, finish_retries: int = 3) -> DigestOutcome:
    """Build the digest of ``watch`` for ``day`` (a date in the watch's timezone), write it, send it if asked."""
    if client is None:
        from vigie.indexes.client import connect

        client = connect(settings.es)
    now = now or datetime.now(UTC)
    sleep = sleep or time.sleep
    prefix = watch.digest.subject_prefix
    target = Path(out) if out else default_path(watch.id, day)
    figures = collect(client, settings.names, watch, day, top_n=watch.digest.top_n)
    chart = sentiment_chart(figures["daily"]) if figures["total"] else None
    recipients = list(watch.digest.recipients)
    empty = not figures["total"]
    outcome = DigestOutcome("empty" if empty else "written", target, target.with_suffix(".txt"),
                            subject(figures, prefix), recipients, figures=figures)
    store = DigestStore(client, settings.names)

    def write() -> None:
        outcome.html_path, outcome.text_path, outcome.chart_path = write_files(figures, chart, target, prefix)

    def already_sent(record: dict) -> DigestOutcome:
        outcome.status = "already_sent"
        outcome.subject = record.get("subject") or outcome.subject
        chart_path = target.with_suffix(".png")
        outcome.chart_path = chart_path if chart_path.exists() else None
        return outcome

    if not send or not recipients:
        sent = store.get(watch.id, day) if not force else None
        if _is_archive_of(sent, target, watch.id, day):
            # the archive shows what was sent: a later run does not rewrite it (--out writes a copy elsewhere)
            log.info("digest %s %s was sent; %s is kept as sent", watch.id, day, target)
            return already_sent(sent)
        write()
    if not send:
        return outcome
    if not recipients:
        outcome.status, outcome.error = "failed", f"watch {watch.id} has no digest.recipients in its watch file"
        return outcome
    if smtp is None:
        from vigie.mail import MailNotConfigured, SmtpSettings

        try:
            smtp = SmtpSettings.from_env(settings.env)
        except MailNotConfigured as exc:
            outcome.status, outcome.error = "failed", str(exc)
            if not _is_archive_of(store.get(watch.id, day), target, watch.id, day):
                write()
            return outcome
    claim = store.claim(watch.id, day, force=force, now=now)
    if not claim.granted:
        record = claim.record or {}
        if claim.reason == "sent":
            log.info("digest %s %s already sent; nothing sent (use force to send again)", watch.id, day)
            return already_sent(record)
        outcome.status = "in_progress"
        outcome.error = (f"another run is sending this digest right now (claimed at {record.get('claimed_at')}); "
                         f"a claim older than {int(STALE.total_seconds() // 60)} minutes is taken over")
        log.warning("digest %s %s: %s", watch.id, day, outcome.error)
        return outcome
    from vigie.mail import send as smtp_send

    # from here the day is marked ``sending``: whatever happens, the record must not stay so
    common: dict = {"recipients": recipients, "empty": empty, "total": figures["total"], "forced": bool(force)}
    error = None
    accepted: list[str] = []
    attempt = 0
    try:
        write()
        common.update(html_path=str(outcome.html_path), text_path=str(outcome.text_path))
        message, rendered = build_message(figures, recipients, chart, sender=smtp.sender, prefix=prefix)
        common.update(subject=rendered.subject, message_id=message["Message-ID"])
        outcome.subject = rendered.subject
        store.note(claim, watch.id, day, **common)
        for attempt in range(1, retries + 1):
            try:
                accepted = smtp_send(message, smtp)
                error = None
                break
            except Exception as exc:  # any failure is retried, then recorded for the next run
                error = f"{type(exc).__name__}: {exc}"
                log.warning("digest %s %s: sending failed (attempt %d/%d): %s", watch.id, day, attempt, retries,
                            error)
                if attempt < retries:
                    sleep(backoff * 2 ** (attempt - 1))
    except BaseException as exc:
        # build, write, note or an interruption (worker stopped, task timeout): nothing was sent
        error = f"{type(exc).__name__}: {exc}"
        _record_failed(store, claim, watch.id, day, error, {**common, "attempts": attempt})
        raise
    outcome.attempts = attempt
    common["attempts"] = attempt
    if error is not None:
        _record_failed(store, claim, watch.id, day, error, common)
        outcome.status, outcome.error = "failed", error
        return outcome
    outcome.sent = True
    outcome.status = "empty" if empty else "sent"
    _record_sent(store, claim, watch.id, day, {**common, "accepted": accepted}, finish_retries, sleep, backoff)
    return outcome


def _record_failed(store: DigestStore, claim, watch_id: str, day: date, error: str, fields: dict) -> None:
    """``failed`` so that the next run sends it; if even that cannot be written, the claim goes stale."""
    try:
        store.finish(claim, watch_id, day, status="failed", error=error, **fields)
    except Exception as exc:  # the original error is what matters
        log.error("digest %s %s: could not record the failure (%s); the claim is taken over after %s",
                  watch_id, day, exc, STALE)


def _record_sent(store: DigestStore, claim, watch_id: str, day: date, fields: dict, retries: int, sleep,
                 backoff: float) -> None:
    """``sent``, retried; if Elasticsearch keeps refusing it, in the local fallback file that the next claim
    reads, so that the day is not sent twice."""
    error = None
    for attempt in range(1, max(1, retries) + 1):
        try:
            store.finish(claim, watch_id, day, status="sent", **fields)
            return
        except ConflictError as exc:   # the claim was taken over: retrying cannot succeed
            error = exc
            break
        except Exception as exc:
            error = exc
            log.warning("digest %s %s: sent, but recording it failed (attempt %d/%d): %s", watch_id, day, attempt,
                        retries, exc)
            if attempt < retries:
                sleep(backoff * 2 ** (attempt - 1))
    now = datetime.now(UTC).isoformat()
    record = {**(claim.record or {}), **fields, "watch_id": watch_id, "date": day.isoformat(), "status": "sent",
              "error": None, "sent_at": now, "updated_at": now}
    path = write_fallback(watch_id, day, record)
    log.error("digest %s %s: sent, but the sending log could not record it (%s); kept in %s until the next run "
              "writes it back", watch_id, day, error, path)
