"""Helpers shared by the API extractors (mastodon, reddit, bluesky, youtube, facebook_page, decidim).

Every extractor is a pure function of a parsed JSON payload: it returns an ``Extracted`` holding the
Documents it could build and, for every item it had to skip, the reason (counted by the spider).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import lxml.html
from lxml.etree import ParserError

from vigie.crawlers.urls import canonical_url
from vigie.schema import Document, make_doc_id


@dataclass(frozen=True)
class Origin:
    """Where the documents come from: the source and watch, and when they were fetched."""

    source_id: str
    source_kind: str
    watch_ids: tuple[str, ...] = ()
    crawled_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Extracted:
    """What one payload gave: documents, and the items skipped with their reason."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reason, item id or detail)
    links: list[str] = field(default_factory=list)  # what a crawl would ask next (``vigie extract`` shows them)

    def skip(self, reason: str, detail: str = "") -> None:
        self.skipped.append((reason, detail))

    def extend(self, other: Extracted) -> None:
        self.documents += other.documents
        self.skipped += other.skipped


class ApiError(ValueError):
    """The payload is a platform error object, not data."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(f"{reason}: {message}")


class BadItem(ValueError):
    """One item lacks what a Document needs; the reason names the field."""


def parse_time(value: Any) -> datetime:
    """A timezone-aware datetime from an ISO 8601 string or a Unix timestamp (UTC)."""
    if isinstance(value, bool) or value is None or value == "":
        raise BadItem("missing date")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise BadItem(f"unparsable date {value!r}") from None
    if parsed.tzinfo is None:
        raise BadItem(f"date without timezone {value!r}")
    return parsed


_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre"}


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, ``<br>`` kept as newlines."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def count(value: Any) -> int | None:
    """A non-negative count from an int or numeric string; None when absent or hidden."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def doc_id(platform: str, item_id: Any) -> str | None:
    return make_doc_id(platform, str(item_id)) if item_id not in (None, "") else None


def canonical(url: str | None) -> str | None:
    return canonical_url(url) if url else None


def build(origin: Origin, **fields: Any) -> Document:
    """A Document with the origin fields filled; ``url`` also gives ``canonical_url``."""
    fields.setdefault("canonical_url", canonical(fields.get("url")))
    return Document(
        source_id=origin.source_id,
        source_kind=origin.source_kind,
        watch_ids=list(origin.watch_ids),
        crawled_at=origin.crawled_at,
        **fields,
    )


def error_reason(payload: Any) -> tuple[str, str] | None:
    """(reason, message) when a JSON payload is a platform error object, else None."""
    if not isinstance(payload, dict):
        return None
    err = payload.get("error")
    if isinstance(err, dict):  # Google, Graph API
        code = err.get("code")
        reasons = [e.get("reason") for e in err.get("errors") or [] if isinstance(e, dict)]
        graph = f"{err['type']}_{code}" if err.get("type") else None  # OAuthException_190
        reason = next((r for r in reasons if r), None) or graph or err.get("status") or code
        return f"api_error:{reason}", str(err.get("message") or "")
    if isinstance(err, str):  # Mastodon, Bluesky, OAuth
        return f"api_error:{err}", str(payload.get("error_description") or payload.get("message") or "")
    if isinstance(err, int) and not isinstance(err, bool):  # Reddit
        return f"api_error:{payload.get('reason') or err}", str(payload.get("message") or "")
    if payload.get("errors") and not payload.get("data"):  # GraphQL
        first = payload["errors"][0] if isinstance(payload["errors"], list) else payload["errors"]
        message = first.get("message", "") if isinstance(first, dict) else str(first)
        return "api_error:graphql", message
    return None
