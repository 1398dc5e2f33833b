"""The delivery log: nothing is sent twice, nothing failed is forgotten.

``$VIGIE_STATE_DIR/alerts/deliveries.jsonl`` gets one line per attempt outcome, keyed by
``alert_id:level:channel``.  A key with a ``sent`` line is never sent again, whatever run sees the
event.  A failed send is retried with exponential backoff; if it still fails, the line keeps the
whole event, and the next run sends it first (so an SMTP server that was down gets it once it is
back).  A file lock serialises concurrent runs.
"""

from __future__ import annotations

import fcntl
import json
import logging
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from vigie.settings import state_dir

log = logging.getLogger(__name__)


def default_path() -> Path:
    return state_dir() / "alerts" / "deliveries.jsonl"


def key_of(event: dict, channel: str) -> str:
    return f"{event['alert_id']}:{event['level']}:{channel}"


class DeliveryLog:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or default_path())
        self.path.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self):
        with open(self.path.with_suffix(".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def state(self) -> tuple[set[str], dict[str, dict]]:
        """(keys sent, pending entries by key: the last failure of keys never sent)."""
        sent: set[str] = set()
        pending: dict[str, dict] = {}
        if self.path.exists():
            with open(self.path, encoding="utf-8") as handle:
                for line in handle:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line cut by a crash
                    if entry["status"] == "sent":
                        sent.add(entry["key"])
                        pending.pop(entry["key"], None)
                    elif entry["key"] not in sent:
                        pending[entry["key"]] = entry
        return sent, pending

    def record(self, key: str, event: dict, channel: str, status: str, attempts: int, error: str | None = None):
        entry = {"key": key, "alert_id": event["alert_id"], "level": event["level"], "channel": channel,
                 "status": status, "attempts": attempts, "at": datetime.now(UTC).isoformat()}
        if status != "sent":
            entry["error"] = error
            entry["event"] = event
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()


class Dispatcher:
    """Send events to channels (``name``, ``send(event)``, optional ``wants(event)``) exactly once."""

    def __init__(self, channels, delivery_log: DeliveryLog | None = None, retries: int = 3, backoff: float = 0.5,
                 sleep=time.sleep):
        self.channels = {c.name: c for c in channels}
        self.log = delivery_log or DeliveryLog()
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def deliver(self, events: list[dict]) -> dict:
        report = {"sent": 0, "already_sent": 0, "failed": 0, "held": 0, "errors": []}
        with self.log.locked():
            sent, pending = self.log.state()
            todo: list[tuple[str, dict, str]] = []
            for key, entry in pending.items():   # left over by an earlier run: first
                if entry["channel"] in self.channels:
                    todo.append((key, entry["event"], entry["channel"]))
            queued = {k for k, _, _ in todo}
            for event in events:
                if not event.get("deliver", True):
                    report["held"] += 1
                    continue
                for name, channel in self.channels.items():
                    if hasattr(channel, "wants") and not channel.wants(event):
                        continue
                    key = key_of(event, name)
                    if key in sent:
                        report["already_sent"] += 1
                    elif key not in queued:
                        todo.append((key, event, name))
                        queued.add(key)
            for key, event, name in todo:
                error = None
                for attempt in range(1, self.retries + 1):
                    try:
                        self.channels[name].send(event)
                        error = None
                        break
                    except Exception as exc:  # any failure: retried, then kept for the next run
                        error = f"{type(exc).__name__}: {exc}"
                        log.warning("delivery %s failed (attempt %d/%d): %s", key, attempt, self.retries, error)
                        if attempt < self.retries:
                            self.sleep(self.backoff * 2 ** (attempt - 1))
                if error is None:
                    self.log.record(key, event, name, "sent", attempt)
                    report["sent"] += 1
                else:
                    self.log.record(key, event, name, "failed", attempt, error)
                    report["failed"] += 1
                    report["errors"].append(f"{key}: {error}")
        return report


def channels_for(watch, env) -> list:
    """The channels watch.yaml asks for: one email channel (all recipients) and each webhook.

    ``env`` is the run's environment (``settings.env``): SMTP settings and webhook URLs are read from it."""
    from vigie.alerts.deliver.email import EmailChannel
    from vigie.alerts.deliver.webhook import WebhookChannel

    cfg = watch.alerts
    out = []
    if cfg.recipients:
        out.append(EmailChannel(cfg.recipients, watch.name, watch.timezone, env=env))
    for hook in cfg.webhooks:
        out.append(WebhookChannel(hook.name, hook.url_env, hook.format, watch.name, watch.timezone, hook.kinds,
                                  env=env))
    return out
