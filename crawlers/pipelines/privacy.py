"""Personal data at ingest: objected authors are not collected, and a watch that pseudonymises
gets its authors replaced by keyed codes before anything is written (see vigie.privacy)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from vigie.crawlers.pipelines import vigie_spider
from vigie.privacy.objections import is_objected, load_objections
from vigie.privacy.pseudonym import PseudonymKeyMissing, for_watch
from vigie.schema import Document

logger = logging.getLogger(__name__)


class PrivacyPipeline:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.objections = load_objections()
        self.pseudonymiser = None
        self.refusal: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivacyPipeline:
        if not vigie_spider(crawler):
            raise NotConfigured
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        if spider.watch is not None:
            try:
                self.pseudonymiser = for_watch(spider.watch)
            except PseudonymKeyMissing as exc:
                # Never write authors in clear for a watch that asked for pseudonyms.
                self.refusal = str(exc)
                spider.unusable("pseudonym_key_missing", self.refusal)

    def process_item(self, doc: Document) -> Document:
        stats = self.crawler.stats
        if self.refusal:
            stats.inc_value("vigie/dropped/pseudonym_key_missing")
            raise DropItem(self.refusal)
        if is_objected(doc.platform, doc.author.handle, self.objections, self.crawler.spider.watch_id):
            stats.inc_value("vigie/dropped/objection")
            raise DropItem("the author objected to being collected")
        if self.pseudonymiser is not None:
            try:
                doc = self.pseudonymiser.document(doc)
            except (ValueError, TypeError) as exc:  # hostile input: never write it in clear
                stats.inc_value("vigie/dropped/pseudonymisation_failed")
                raise DropItem(f"could not pseudonymise {doc.doc_id}: {type(exc).__name__}") from None
        return doc
