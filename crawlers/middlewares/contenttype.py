"""Content-type filter: only bodies a spider can read go further.

Images, videos, archives and other binaries reached through links are dropped before
parsing (counted as ``content_type``).  ``VIGIE_ALLOWED_CONTENT_TYPES`` lists the media
types accepted; a request may widen it with ``meta["vigie_content_types"]``.  A response
without a Content-Type is let through: the spiders sniff it.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from vigie.crawlers.spiders.base import VigieIgnore, count_error

logger = logging.getLogger(__name__)


class ContentTypeMiddleware:
    def __init__(self, crawler: Any, allowed: set[str]):
        self.crawler = crawler
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Any) -> ContentTypeMiddleware:
        allowed = {t.lower() for t in crawler.settings.getlist("VIGIE_ALLOWED_CONTENT_TYPES")}
        if not allowed:
            raise NotConfigured
        return cls(crawler, allowed)

    def process_response(self, request: Any, response: Any) -> Any:
        if response.status != 200 or request.url.endswith("/robots.txt"):
            return response
        raw = response.headers.get("Content-Type")
        if not raw:
            return response
        media = raw.decode("latin-1").split(";")[0].strip().lower()
        allowed = self.allowed | {t.lower() for t in request.meta.get("vigie_content_types", ())}
        if media in allowed or media.endswith(("+xml", "+json")):
            return response
        count_error(self.crawler.stats, "content_type")
        logger.info("skipped %s: content type %s", request.url, media, extra={"crawler": self.crawler})
        raise VigieIgnore("content_type", f"content type {media}")
