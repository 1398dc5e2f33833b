"""Redirect loops are cut at once and counted (``redirect_loop``).

Scrapy stops a redirect chain after ``REDIRECT_MAX_TIMES`` hops (counted by the spider as
``too_many_redirects``), and its duplicate filter silently drops a request it has already
seen.  A loop (``/a`` → ``/b`` → ``/a``) would thus vanish without a trace: this middleware
sees each 3xx before the redirect middleware and refuses a ``Location`` that the chain has
already visited.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from scrapy.exceptions import NotConfigured

from vigie.crawlers.spiders.base import VigieIgnore, count_error
from vigie.crawlers.urls import canonical_url

logger = logging.getLogger(__name__)


class RedirectLoopMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectLoopMiddleware:
        if not crawler.settings.getbool("REDIRECT_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Any, response: Any) -> Any:
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = canonical_url(urljoin(request.url, location.decode("latin-1")))
        visited = {canonical_url(u) for u in [*request.meta.get("redirect_urls", []), request.url]}
        if target in visited:
            count_error(self.crawler.stats, "redirect_loop")
            logger.warning("skipped (redirect_loop) %s: redirects back to %s", request.url, target,
                           extra={"crawler": self.crawler})
            raise VigieIgnore("redirect_loop", f"redirect loop through {target}")
        return response
