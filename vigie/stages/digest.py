"""Digest: the daily email of one watch, for the day before the run in the watch's timezone."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from vigie.settings import Settings

log = logging.getLogger(__name__)


class DigestFailed(RuntimeError):
    pass


def day_covered(watch: Any, run_at: datetime) -> date:
    """A digest that goes out on the morning of day D covers day D-1 (in the watch's timezone)."""
    return (run_at.astimezone(ZoneInfo(watch.timezone)) - timedelta(days=1)).date()


def digest(settings: Settings, watch: Any, day: date, *, send: bool = True, force: bool = False,
           client: Any = None) -> dict[str, Any]:
    from vigie.digest.runner import run_digest
    from vigie.indexes.client import connect

    outcome = run_digest(settings, watch, day, client=client or connect(settings.es, wait=30), send=send,
                         force=force)
    summary = {"watch": watch.id, "day": day.isoformat(), "status": outcome.status,
               "html": str(outcome.html_path), "subject": outcome.subject,
               "recipients": list(outcome.recipients or [])}
    log.info("digest %s %s: %s", watch.id, day, summary)
    if outcome.status in {"failed", "in_progress"}:   # retried by Airflow; in_progress: another run holds the day
        raise DigestFailed(f"digest of {watch.id} for {day}: {outcome.status}: {outcome.error or ''}")
    return summary
