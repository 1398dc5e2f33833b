"""One digest for one watch and one day: figures → chart → HTML and text files → (optionally) the email.

    from digest.runner import run_digest
    outcome = run_digest(watch, date(2026, 11, 17), send=True)

The HTML (``<day>.html``, chart beside it as ``<day>.png``), the text (``<day>.txt``) and the figures
(``<day>.json``) are always written, by default under ``$VIGIE_STATE_DIR/digests/<watch>/``.

With ``send=True``: at most one digest per watch and day (the sending log of ``digest/store.py``); a run
after a successful send sends nothing (``already_sent``) unless ``force``.  A send that fails is retried
``retries`` times with exponential backoff, then recorded ``failed`` (the outcome says why) and the next run
sends it.  A day without any document gives the short French notice instead of the digest, and that
notice is sent too (status ``empty``, ``sent=True``): silence would not tell the team that the sources may
be down.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from digest.chart import sentiment_chart
from digest.figures import collect
from digest.message import build_message
from digest.render import render
from digest.store import DigestStore
from vigie.settings import state_dir

log = logging.getLogger(__name__)
STATUSES = ("sent", "already_sent", "written", "empty", "failed")


@dataclass
class DigestOutcome:
    status: str                       # sent | already_sent | written | empty | failed
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
        chart_path.write_bytes(chart)
    rendered = render(figures, chart_path.name if chart_path else None, prefix)
    text_path = out.with_suffix(".txt")
    _atomic_write(out, rendered.html)
    _atomic_write(text_path, rendered.text)
    _atomic_write(out.with_suffix(".json"), json.dumps(figures, ensure_ascii=False, indent=1))
    return out, text_path, chart_path


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run_digest(watch, day: date, *, client=None, out: str | Path | None = None, send: bool = False,
               force: bool = False, smtp=None, now: datetime | None = None, retries: int = 3,
               backoff: float = 2.0, sleep=None) -> DigestOutcome:
    """Build the digest of ``watch`` for ``day`` (a date in the watch's timezone), write it, send it if asked."""
    if client is None:
        from indexes.client import connect

        client = connect()
    now = now or datetime.now(UTC)
    sleep = sleep or time.sleep
    prefix = watch.digest.subject_prefix
    figures = collect(client, watch, day, top_n=watch.digest.top_n)
    chart = sentiment_chart(figures["daily"]) if figures["total"] else None
    html_path, text_path, chart_path = write_files(figures, chart, Path(out) if out else default_path(watch.id, day),
                                                   prefix)
    recipients = list(watch.digest.recipients)
    empty = not figures["total"]
    outcome = DigestOutcome("empty" if empty else "written", html_path, text_path,
                            render(figures, None, prefix).subject, recipients, figures=figures, chart_path=chart_path)
    if not send:
        return outcome
    if not recipients:
        outcome.status, outcome.error = "failed", f"watch {watch.id} has no digest.recipients in its watch file"
        return outcome
    if smtp is None:
        from vigie.mail import MailNotConfigured, SmtpSettings

        try:
            smtp = SmtpSettings.from_env()
        except MailNotConfigured as exc:
            outcome.status, outcome.error = "failed", str(exc)
            return outcome
    store = DigestStore(client)
    claim = store.claim(watch.id, day, force=force, now=now)
    if not claim.granted:
        outcome.status = "already_sent"
        if claim.reason == "sending":
            outcome.error = "another run is sending this digest right now"
        log.info("digest %s %s already %s; nothing sent (use force to send again)", watch.id, day, claim.reason)
        return outcome
    from vigie.mail import send as smtp_send

    message, rendered = build_message(figures, recipients, chart, sender=smtp.sender, prefix=prefix)
    error = None
    accepted: list[str] = []
    attempt = 0
    for attempt in range(1, retries + 1):
        try:
            accepted = smtp_send(message, smtp)
            error = None
            break
        except Exception as exc:  # any failure is retried, then recorded for the next run
            error = f"{type(exc).__name__}: {exc}"
            log.warning("digest %s %s: sending failed (attempt %d/%d): %s", watch.id, day, attempt, retries, error)
            if attempt < retries:
                sleep(backoff * 2 ** (attempt - 1))
    outcome.attempts = attempt
    common = {"subject": rendered.subject, "recipients": recipients, "attempts": attempt, "empty": empty,
              "message_id": message["Message-ID"], "total": figures["total"], "forced": bool(force),
              "html_path": str(html_path), "text_path": str(text_path)}
    if error is None:
        store.finish(watch.id, day, status="sent", accepted=accepted, **common)
        outcome.sent = True
        outcome.status = "empty" if empty else "sent"
    else:
        store.finish(watch.id, day, status="failed", error=error, **common)
        outcome.status, outcome.error = "failed", error
    return outcome
