"""Failed downloads count against ``max_pages`` too: a source of timeouts cannot run for hours.

Scrapy's ``CLOSESPIDER_PAGECOUNT`` (the ``max_pages`` option) counts responses only: a site whose
every page times out gives no response, and each URL then costs ``RETRY_TIMES + 1`` attempts of
``DOWNLOAD_TIMEOUT`` each, without end in sight.  This middleware sits next to the downloader and
bounds the download attempts of a run, responses and failures alike (timeouts, refused
connections, DNS errors, retries included), to ``CLOSESPIDER_PAGECOUNT``: an attempt beyond it is
refused without being sent (``over_budget`` in the summary: requests left unsent, like the
scheduled requests of a crawl that reaches ``max_pages``), and the spider is closed once the
attempts under way have ended (reason ``closespider_pagecount``, as for pages).  Failed attempts
are shown as ``failed_attempts`` in the summary.  A failed request whose retry is never sent
(refused, or dropped when the spider closes) is counted by the reason of its last failure
(``timeout``…), as the retries running out would have.  Requests refused by the other
middlewares (SSRF guard, robots.txt) are not attempts.  ``CLOSESPIDER_PAGECOUNT = 0`` (no page
limit) turns it off.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object

from vigie.crawlers.spiders.base import VigieIgnore, _failure_reason, count_error

logger = logging.getLogger(__name__)
_RETRY_KEY = "vigie_failed_request"


class AttemptBudgetMiddleware:
    def __init__(self, crawler: Any, budget: int):
        self.crawler = crawler
        self.budget = budget
        self.started = 0    # attempts handed to the downloader
        self.ended = 0      # attempts that ended (a response or a failure)
        self.closing: Any = None
        self.retry_times = crawler.settings.getint("RETRY_TIMES")
        self.retried = tuple(load_object(e) if isinstance(e, str) else e
                             for e in crawler.settings.getlist("RETRY_EXCEPTIONS"))
        self.awaiting_retry: dict[int, str] = {}   # failed requests whose retry is not sent yet
        self.tokens = itertools.count(1)

    @classmethod
    def from_crawler(cls, crawler: Any) -> AttemptBudgetMiddleware:
        budget = crawler.settings.getint("CLOSESPIDER_PAGECOUNT")
        if budget <= 0:
            raise NotConfigured
        middleware = cls(crawler, budget)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Any) -> None:
        self.awaiting_retry.pop(request.meta.get(_RETRY_KEY, 0), None)
        if self.started >= self.budget:
            self.crawler.stats.inc_value("vigie/over_budget")
            if request.meta.get("retry_times"):  # a retry never sent: its request ends on its last failure
                self._count_failure(request)
            raise VigieIgnore("over_budget", f"max_pages ({self.budget}) used up, failed attempts included")
        self.started += 1
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        self._ended()
        return response

    def process_exception(self, request: Any, exception: BaseException) -> None:
        self.awaiting_retry.pop(request.meta.get(_RETRY_KEY, 0), None)  # a retry refused earlier in the chain
        if isinstance(exception, IgnoreRequest):  # refused before any download (counted there): not an attempt
            return None
        self.crawler.stats.inc_value("vigie/failed_attempts")
        request.meta["vigie_failed_as"] = _failure_reason(exception)
        will_retry = (isinstance(exception, self.retried) and not request.meta.get("dont_retry")
                      and request.meta.get("retry_times", 0) + 1
                      <= request.meta.get("max_retry_times", self.retry_times))
        if will_retry:  # the retry (a copy of this request) carries the token
            token = request.meta.setdefault(_RETRY_KEY, next(self.tokens))
            self.awaiting_retry[token] = request.meta["vigie_failed_as"]
        self._ended()
        return None

    def spider_closed(self, spider: Any = None) -> None:
        for reason in self.awaiting_retry.values():
            count_error(self.crawler.stats, reason)
        self.awaiting_retry.clear()

    def _count_failure(self, request: Any) -> None:
        if request.meta.get("vigie_failed_as"):
            count_error(self.crawler.stats, request.meta["vigie_failed_as"])

    def _ended(self) -> None:
        self.ended += 1
        if self.ended >= self.budget and self.closing is None:
            from scrapy.utils.defer import deferred_from_coro

            failed = int(self.crawler.stats.get_value("vigie/failed_attempts", 0))
            if failed:
                logger.warning("max_pages (%d) used up, %d of them failed attempts: closing the spider",
                               self.budget, failed, extra={"crawler": self.crawler})
            self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="closespider_pagecount"))
