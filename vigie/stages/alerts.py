"""Alerts: detection over the index at the end of a slice, storage, then delivery (email, webhooks).

Stable alert ids, stored levels and the delivery log make a re-run for the same slice idempotent.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from vigie.settings import Settings

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """Some sends failed; they are kept in the delivery log and sent by the next run."""


def alerts(settings: Settings, watch: Any, now: datetime, client: Any = None, deliver: bool = True) -> dict[str, Any]:
    from vigie.alerts.deliver.log import Dispatcher, channels_for
    from vigie.alerts.runner import run_online
    from vigie.indexes.client import connect

    if not watch.alerts.enabled:
        return {"watch": watch.id, "note": "alerts disabled"}
    client = client or connect(settings.es, wait=30)
    outcome = run_online(client, settings.names, watch, now)
    summary: dict[str, Any] = {"watch": watch.id, "now": now.isoformat(), "documents": outcome.docs,
                               "events": len(outcome.events),
                               "alerts": sorted({e["alert_id"] for e in outcome.events})}
    channels = channels_for(watch, settings.env) if deliver else []
    if channels:
        report = Dispatcher(channels).deliver(outcome.events)
        summary["delivery"] = {k: report[k] for k in ("sent", "already_sent", "failed", "held")}
        if report["failed"]:
            raise DeliveryFailed(f"alerts of {watch.id}: {report['failed']} send(s) failed and are kept for the "
                                 f"next run: {'; '.join(report['errors'][:3])}")
    log.info("alerts %s: %s", watch.id, summary)
    return summary
