"""Retries that honour ``Retry-After``.

Scrapy's ``RetryMiddleware`` retries 429 and 503 at once.  This subclass reads
``Retry-After`` (seconds or an HTTP date; ``RETRY_AFTER_DEFAULT`` when a 429 has none) and
holds the whole download slot of that host for that long, so no request of this crawl
reaches the server before the time it asked for.  A wait longer than ``RETRY_AFTER_MAX``
gives the request up (counted as ``http_429``/``http_503`` by the spider's errback).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header value, None when absent or unreadable."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: Any):
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 600)
        self.default_wait = settings.getfloat("RETRY_AFTER_DEFAULT", 30)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if request.meta.get("dont_retry") or response.status not in (429, 503):
            return super().process_response(request, response)
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None and response.status == 429:
            wait = self.default_wait
        if wait is None:
            return super().process_response(request, response)
        if wait > self.max_wait:
            logger.warning("giving up %s: the server asks to wait %.0f s (more than RETRY_AFTER_MAX=%.0f)",
                           request.url, wait, self.max_wait, extra={"crawler": self.crawler})
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self._hold_slot(request, wait)
        stats = self.crawler.stats
        stats.inc_value("vigie/retry_after/honoured")
        stats.max_value("vigie/retry_after/max_wait", wait)
        logger.info("%s answered %s: waiting %.1f s before retrying", request.url, response.status, wait,
                    extra={"crawler": self.crawler})
        return retry

    def _hold_slot(self, request: Any, wait: float) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        slot.delay = max(slot.delay, 0.001)  # the downloader only delays slots with a delay
        slot.jitter = 0.0 if slot.delay < 0.01 else slot.jitter
        slot.lastseen = max(slot.lastseen, monotonic() + wait - slot.delay)
