"""A spider callback that raises never passes silently (spider middleware).

Crawled payloads are hostile: a JSON body nested 100,000 levels deep makes ``json.loads`` raise
``RecursionError``, an odd structure may break an extractor.  Scrapy logs such an exception and
drops the rest of the callback's output, but the run's summary said ``ok`` with no error.  Here
each one is counted by reason in the summary (``too_deeply_nested`` for a ``RecursionError``,
``callback_error`` for anything else: a bug to report), logged with its URL, and the crawl goes
on with the other responses.  ``CloseSpider`` is left to Scrapy (it closes the spider) and
``HttpError`` to its own middleware.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import CloseSpider
from scrapy.spidermiddlewares.httperror import HttpError

from vigie.crawlers.spiders.base import count_error

logger = logging.getLogger(__name__)


class CallbackErrorMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> CallbackErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Any, exception: BaseException) -> list[Any] | None:
        if isinstance(exception, (CloseSpider, HttpError)):
            return None
        url = getattr(response, "url", "?")
        if isinstance(exception, RecursionError):
            count_error(self.crawler.stats, "too_deeply_nested")
            logger.warning("skipped (too_deeply_nested) %s: the payload is nested too deeply to be read", url,
                           extra={"crawler": self.crawler})
            return []
        count_error(self.crawler.stats, "callback_error")
        logger.error("skipped (callback_error) %s: %s: %s", url, type(exception).__name__, exception,
                     exc_info=exception, extra={"crawler": self.crawler})
        return []
