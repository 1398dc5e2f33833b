"""Webhook receivers of the demo (Mattermost, Slack, Teams…): each POST is kept and answered 200, so
the demo's alerts are delivered by webhook too and can be shown afterwards."""

from __future__ import annotations

import json
import threading
from typing import Any

from vigie.demo.sites._http import Answer, Request, json_answer


class WebhookSink:
    prefix = "/hooks"

    def __init__(self, docs: list[dict[str, Any]] | None = None):
        self.received: list[tuple[str, Any]] = []   # (hook name, JSON body or the raw text)
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Answer | None:
        name = request.path.strip("/")
        if request.method != "POST" or not name or "/" in name:
            return None
        try:
            body: Any = json.loads(request.body or b"null")
        except ValueError:
            body = request.body.decode("utf-8", errors="replace")
        with self._lock:
            self.received.append((name, body))
        return json_answer({"ok": True})


def hook_env(base_url: str) -> dict[str, str]:
    """The webhook URLs that config/demo.yaml names (``url_env``), pointed at the demo receivers."""
    return {"VIGIE_WEBHOOK_MATTERMOST": f"{base_url}{WebhookSink.prefix}/mattermost"}
