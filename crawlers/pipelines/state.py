"""Record every written Document in the source's state; checkpoint it; close the run.

Runs after the writer, so the state never knows an item the output does not hold.  A
snapshot is saved every ``VIGIE_STATE_CHECKPOINT_ITEMS`` items or
``VIGIE_STATE_CHECKPOINT_SECONDS`` seconds (the output is fsynced first).  When the spider
closes, the run is closed in the state: staged cursors and validators are committed if the
run was complete (finished, or stopped by a page/item/time budget), and a summary is kept.
"""

from __future__ import annotations

import os
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from vigie.crawlers.pipelines import vigie_spider
from vigie.schema import Document

COMPLETE_REASONS = {"finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout",
                    "closespider_timeout_no_item", "closespider_pagecount_no_item"}


class StateUpdatePipeline:
    def __init__(self, crawler: Any, every_items: int, every_seconds: float):
        self.crawler = crawler
        self.every_items = every_items
        self.every_seconds = every_seconds
        self.since_checkpoint = 0
        self.last_checkpoint = time.monotonic()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StateUpdatePipeline:
        if not vigie_spider(crawler):
            raise NotConfigured
        s = crawler.settings
        return cls(crawler, s.getint("VIGIE_STATE_CHECKPOINT_ITEMS", 100),
                   s.getfloat("VIGIE_STATE_CHECKPOINT_SECONDS", 15))

    @property
    def state(self) -> Any:
        return self.crawler.spider.state

    def process_item(self, doc: Document) -> Document:
        self.state.record(doc)
        self.since_checkpoint += 1
        if (self.since_checkpoint >= self.every_items
                or time.monotonic() - self.last_checkpoint >= self.every_seconds):
            self.checkpoint()
        return doc

    def checkpoint(self) -> None:
        output = self.crawler.settings.get("VIGIE_OUTPUT")
        if output and os.path.exists(output):
            with open(output, "rb") as handle:
                os.fsync(handle.fileno())
        self.state.save()
        self.since_checkpoint = 0
        self.last_checkpoint = time.monotonic()

    def spider_closed(self, spider: Any, reason: str) -> None:
        from vigie.crawlers.summary import summarise

        output = self.crawler.settings.get("VIGIE_OUTPUT") or ""
        summary = summarise(self.crawler.stats.get_stats(), reason)
        complete = reason in COMPLETE_REASONS
        self.state.end_run(output, complete=complete, summary={
            k: summary[k] for k in ("reason", "fetched", "new", "updated", "duplicates", "errors")})
