"""The demo documents the sites are generated from, and small helpers the platform modules share."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigie.schema import make_doc_id

DEMO_FILE = Path(__file__).resolve().parents[1] / "lambersart.jsonl"


def load(path: Path = DEMO_FILE) -> list[dict[str, Any]]:
    """The demo documents (``lambersart.jsonl``), in file order (oldest first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def of_platform(docs: list[dict[str, Any]], platform: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["platform"] == platform]


def by_doc_id(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Documents by doc_id, to resolve ``parent_id`` and ``thread_id`` back to items."""
    return {make_doc_id(d["platform"], d["item_id"]): d for d in docs}


def published(doc: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(doc["published_at"])


def utc_iso(doc: dict[str, Any], millis: bool = False) -> str:
    """``2026-11-03T09:00:00Z`` (or ``…00.000Z``), as most APIs write their dates."""
    when = published(doc).astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + (".000Z" if millis else "Z")


def html_text(text: str) -> str:
    """Plain text as HTML: blank lines separate ``<p>`` paragraphs, single newlines become ``<br>``."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
                   for p in paragraphs)


def engagement(doc: dict[str, Any], name: str) -> int:
    return int((doc.get("engagement") or {}).get(name) or 0)
