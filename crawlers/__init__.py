"""Scrapy crawlers: one spider per source kind, pure extractors, polite and safe middlewares,
deduplicating pipelines, incremental state, one process per crawl (see docs/crawlers.md)."""
