"""Generic forums described by CSS selectors (see ``crawlers/extract/forum.py`` for the options).

``url``/``urls``: listing pages (thread lists).  Options: the selectors, ``max_list_pages``
(3), ``max_thread_pages`` (10 per thread), ``max_threads`` (200 per run).
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import CloseSpider

from vigie.crawlers.extract import forum as extract
from vigie.crawlers.spiders.base import VigieSpider


class ForumSpider(VigieSpider):
    kind = "forum"
    name = "vigie-forum"
    platform = extract.PLATFORM

    async def start(self):
        problems = extract.check_options(self.source.options)
        if problems:
            self.unusable("bad_options", "; ".join(problems))
            raise CloseSpider("bad_options")
        self.threads_queued = 0
        for url in self.start_urls:
            yield self.request(url, self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Any, page: int):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.listing(html, response.url, self.source.options)
        for url in data["threads"]:
            if self.threads_queued >= int(self.option("max_threads", 200)):
                break
            self.threads_queued += 1
            yield self.request(url, self.parse_thread, cb_kwargs={"thread_url": url, "page": 1, "first_id": None,
                                                                   "title": None})
        if data["next"] and page < int(self.option("max_list_pages", 3)):
            yield self.request(data["next"], self.parse_listing, cb_kwargs={"page": page + 1})

    def parse_thread(self, response: Any, thread_url: str, page: int, first_id: str | None, title: str | None):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.thread(html, response.url, self.source.options)
        if not data["posts"]:
            self.skip("no_posts", response.url, "the 'post' selector matched nothing")
            return
        title = title or data["title"]
        first_id = first_id or data["posts"][0]["post_id"]
        for post in data["posts"]:
            if post["published_at"] is None:
                self.skip("no_date", response.url, f"post {post['post_id']}")
                continue
            if not post["text"]:
                self.skip("no_text", response.url, f"post {post['post_id']}")
                continue
            yield self.document(**extract.post_fields(post, thread_url, title, first_id,
                                                      post["post_id"] == first_id))
        if data["next"] and page < int(self.option("max_thread_pages", 10)):
            yield self.request(data["next"], self.parse_thread, cb_kwargs={
                "thread_url": thread_url, "page": page + 1, "first_id": first_id, "title": title})
