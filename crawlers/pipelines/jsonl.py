"""Append Documents to the run's JSON Lines output; the output is also the state's log.

The output path is ``VIGIE_OUTPUT`` (set by ``vigie.crawlers.run``; the layout is described there).
On open, the file is created (an empty file means "crawled, nothing new"), a torn last line
left by a killed run is cut off, and the Documents already in it are remembered: running the
same interval again appends only what is not there yet.  The run is registered in the
state's ``open_runs`` before anything is written (see ``crawlers/state.py``).  Each line is
flushed to the operating system as it is written, so a killed process loses nothing it wrote.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from vigie.crawlers.pipelines import vigie_spider
from vigie.crawlers.state import item_fingerprint
from vigie.schema import Document


def repair_tail(path: Path) -> int:
    """Cut a partial last line (no newline); returns the bytes removed."""
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return 0
        chunk = 1 << 16
        position = size
        while position > 0:
            start = max(0, position - chunk)
            handle.seek(start)
            data = handle.read(position - start)
            newline = data.rfind(b"\n")
            if newline >= 0:
                handle.truncate(start + newline + 1)
                return size - (start + newline + 1)
            position = start
        handle.truncate(0)
        return size


class JsonLinesWriterPipeline:
    def __init__(self, crawler: Any, path: Path):
        self.crawler = crawler
        self.path = path
        self.handle: Any = None
        self.present: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> JsonLinesWriterPipeline:
        output = crawler.settings.get("VIGIE_OUTPUT")
        if not output or not vigie_spider(crawler):
            raise NotConfigured
        return cls(crawler, Path(output))

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if repair_tail(self.path):
            self.crawler.stats.inc_value("vigie/output/torn_line_repaired")
        if self.path.exists():
            from vigie.crawlers.state import _read_output

            for doc in _read_output(self.path):
                self.present.add((doc.doc_id, item_fingerprint(doc)))
        self.crawler.spider.state.begin_run(self.path)
        self.handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close_spider

    def process_item(self, doc: Document) -> Document:
        key = (doc.doc_id, item_fingerprint(doc))
        if key in self.present:
            self.crawler.stats.inc_value("vigie/duplicates/in_output")
            self.crawler.stats.inc_value("vigie/duplicates")
            raise DropItem(f"already in {self.path.name}: {doc.url or doc.item_id}", log_level="DEBUG")
        self.handle.write(doc.model_dump_json() + "\n")
        self.handle.flush()
        self.present.add(key)
        known = doc.version_of or self.crawler.spider.state.seen(doc.doc_id)
        self.crawler.stats.inc_value("vigie/items/updated" if known else "vigie/items/new")
        self.crawler.stats.inc_value("vigie/written")
        return doc

    def sync(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())

    def close_spider(self) -> None:
        if self.handle is not None:
            self.sync()
            self.handle.close()
