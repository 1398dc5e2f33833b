"""Scrapy crawlers: one spider per source kind, pure extractors, polite and safe middlewares,
deduplicating pipelines, incremental state, one process per crawl (see docs/crawlers.md)."""

from vigie.crawlers import kinds as _kinds  # noqa: F401  installs the source kinds' registry for vigie.config
