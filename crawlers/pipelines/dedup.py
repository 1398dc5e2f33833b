"""Exact duplicates and unchanged items, against the state and within the run.

- An item whose doc_id was written before with the same fingerprint (text, title,
  engagement) is *unchanged*: dropped (``vigie/duplicates/unchanged``).  That is what
  makes a second run over an unchanged source write nothing.
- A changed item is written again with the same doc_id (an *update*: edited post, new
  engagement figures) unless the spider is ``versioned`` (web pages): then the change is
  a *new version*, a new Document whose ``item_id`` is the page's plus ``#v<hash>`` and whose
  ``version_of`` is the doc_id of the first version.
- A new item whose text is exactly the text of another Document already written (the same
  article under two URLs) is dropped (``vigie/duplicates/same_text``), when the text is at
  least ``VIGIE_EXACT_DUPLICATE_MIN_CHARS`` long: short replies ("Merci !") are kept.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from vigie.crawlers.pipelines import vigie_spider
from vigie.crawlers.state import item_fingerprint
from vigie.schema import Document


class ExactDuplicatePipeline:
    def __init__(self, crawler: Any, min_chars: int):
        self.crawler = crawler
        self.min_chars = min_chars
        self.run_items: dict[str, str] = {}
        self.run_hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExactDuplicatePipeline:
        if not vigie_spider(crawler):
            raise NotConfigured
        return cls(crawler, crawler.settings.getint("VIGIE_EXACT_DUPLICATE_MIN_CHARS", 80))

    def _duplicate(self, reason: str, doc: Document, detail: str) -> DropItem:
        self.crawler.stats.inc_value(f"vigie/duplicates/{reason}")
        self.crawler.stats.inc_value("vigie/duplicates")
        return DropItem(f"{reason}: {doc.url or doc.item_id} {detail}", log_level="DEBUG")

    def _known(self, doc_id: str) -> str | None:
        return self.run_items.get(doc_id) or self.crawler.spider.state.fingerprint(doc_id)

    def process_item(self, doc: Document) -> Document:
        spider = self.crawler.spider
        state = spider.state
        fp = item_fingerprint(doc)
        previous = self._known(doc.doc_id)
        if previous == fp:
            raise self._duplicate("unchanged", doc, "(already written)")
        if previous is not None:
            if spider.versioned and not doc.version_of:
                version = doc.model_copy(update={
                    "item_id": f"{doc.item_id}#v{doc.content_hash[:16]}",
                    "version_of": doc.doc_id, "doc_id": "",
                })
                version = Document.model_validate(version.model_dump())
                if self._known(version.doc_id) == fp:
                    raise self._duplicate("unchanged", doc, "(version already written)")
                self.run_items[doc.doc_id] = fp
                doc = version
                self.crawler.stats.inc_value("vigie/items/versions")
        elif doc.content_hash and len(doc.text) >= self.min_chars:
            owner = self.run_hashes.get(doc.content_hash) or state.content_owner(doc.content_hash)
            if owner and owner != doc.doc_id and owner != doc.version_of:
                raise self._duplicate("same_text", doc, f"(same text as {owner})")
        self.run_items[doc.doc_id] = fp
        if doc.content_hash:
            self.run_hashes.setdefault(doc.content_hash, doc.doc_id)
        return doc
