"""Normalise and validate items into ``vigie.schema.Document``.

Spiders yield Documents (``VigieSpider.document``) or plain dicts of the same fields.  Here
every item gets its canonical URL, a text with normalised Unicode and whitespace (and cut
at ``VIGIE_MAX_TEXT_CHARS``, flagged ``truncated``), and its content hash.  An item that is
not a valid Document, or has neither text nor title, is dropped and counted
(``vigie/dropped/invalid``, ``vigie/dropped/empty``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from pydantic import ValidationError
from scrapy.exceptions import DropItem, NotConfigured

from vigie.crawlers._text import content_hash
from vigie.crawlers.pipelines import vigie_spider
from vigie.crawlers.urls import canonical_url
from vigie.schema import Document

logger = logging.getLogger(__name__)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# what ``_SPACES`` would change: a run of two spaces or more, or any other space than " "
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]| {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if _ODD_SPACES.search(text):  # most texts have none: skip a substitution per space
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    else:
        lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class NormalizePipeline:
    def __init__(self, crawler: Any, max_chars: int):
        self.crawler = crawler
        self.max_chars = max_chars

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        if not vigie_spider(crawler):
            raise NotConfigured
        return cls(crawler, crawler.settings.getint("VIGIE_MAX_TEXT_CHARS", 200_000))

    def _drop(self, reason: str, message: str) -> DropItem:
        self.crawler.stats.inc_value(f"vigie/dropped/{reason}")
        return DropItem(message)

    def process_item(self, item: Any) -> Document:
        spider = self.crawler.spider
        try:
            doc = item if isinstance(item, Document) else spider.document(**dict(item))
        except (ValidationError, TypeError, ValueError) as exc:
            raise self._drop("invalid", f"invalid document: {str(exc)[:300]}") from None
        updates: dict[str, Any] = {}
        text = clean_text(doc.text)
        if len(text) > self.max_chars:
            text = text[: self.max_chars]
            updates["flags"] = [*doc.flags, "truncated"]
        if text != doc.text:
            updates["text"] = text
        title = clean_text(doc.title) if doc.title else None
        if title != doc.title:
            updates["title"] = title or None
        if not text and not title:
            raise self._drop("empty", f"no text and no title: {doc.url or doc.item_id}")
        if doc.url and not doc.canonical_url:
            updates["canonical_url"] = canonical_url(doc.url)
        if not doc.content_hash:
            updates["content_hash"] = content_hash(text, title)
        return doc.model_copy(update=updates) if updates else doc
