"""What a platform module receives and returns: one request below its prefix, one answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Request:
    method: str
    path: str                      # below the site's prefix: "/posts", "/api/v1/timelines/tag/x"
    query: dict[str, str]          # first value of each parameter
    headers: dict[str, str]        # names in lower case
    body: bytes = b""
    base: str = ""                 # http://127.0.0.1:PORT + the site's prefix
    params: dict[str, list[str]] = field(default_factory=dict)  # every value of each parameter

    def url(self, path: str, query: dict[str, Any] | None = None) -> str:
        query = {k: v for k, v in (query or {}).items() if v is not None}
        return self.base + path + ("?" + urlencode(query) if query else "")

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else None


def json_answer(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, body


def not_found(what: str = "not found") -> Answer:
    return json_answer({"error": what}, status=404)
