"""Conditional GET: ask only for what changed since the last complete run.

A request with ``meta["vigie_conditional"] = True`` (``VigieSpider.request(...,
conditional=True)``) gets ``If-None-Match``/``If-Modified-Since`` from the source's state.
A ``304 Not Modified`` is counted (``vigie/not_modified``) and dropped: nothing to parse.
The validators of a 200 are staged in the state and committed when the run completes.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from vigie.crawlers.spiders.base import VigieIgnore


class ConditionalGetMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        if not hasattr(crawler.spidercls, "state") and not _is_vigie(crawler.spidercls):
            raise NotConfigured
        return cls(crawler)

    @property
    def state(self) -> Any:
        return getattr(self.crawler.spider, "state", None)

    def process_request(self, request: Any) -> None:
        if not request.meta.get("vigie_conditional") or self.state is None:
            return None
        validators = self.state.get_validators(request.url)
        if validators.get("etag"):
            request.headers.setdefault("If-None-Match", validators["etag"])
        if validators.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", validators["last_modified"])
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        if not request.meta.get("vigie_conditional") or self.state is None:
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("vigie/not_modified")
            raise VigieIgnore("not_modified", f"{request.url} not modified")
        if response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            self.state.set_validators(request.url, etag.decode("latin-1") if etag else None,
                                      modified.decode("latin-1") if modified else None)
        return response


def _is_vigie(spidercls: type) -> bool:
    from vigie.crawlers.spiders.base import VigieSpider

    return issubclass(spidercls, VigieSpider)
