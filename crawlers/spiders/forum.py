"""Generic forums described by CSS selectors (see ``crawlers/extract/forum.py`` for the options).

``url``/``urls``: listing pages (thread lists).  Options: the selectors, ``max_list_pages``
(3), ``max_thread_pages`` (10 per thread), ``max_threads`` (200 per run).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from vigie.crawlers.extract import forum as extract
from vigie.crawlers.options import Pages, SourceOptions
from vigie.crawlers.spiders.base import VigieSpider


def _css(selector: str) -> str:
    problem = extract.selector_problem(selector)
    if problem:
        raise ValueError(problem)
    return selector


Css = Annotated[str, Field(min_length=1), AfterValidator(_css)]


class ForumOptions(SourceOptions):
    thread_list: Css                  # links to threads on a listing page
    post: Css                         # one post on a thread page
    text: Css                         # the post's text, within a post
    author: Css | None = None
    date: Css | None = None           # its datetime/title attribute, else its text
    post_id: Css | None = None        # default: a hash of author, date and text
    title: Css | None = None          # the thread's title, on the thread page
    next_page: Css | None = None      # next page, on listing and thread pages
    max_list_pages: Pages = 3
    max_thread_pages: Pages = 10      # pages per thread
    max_threads: Pages = 200          # threads fetched per run


class ForumSpider(VigieSpider):
    kind = "forum"
    Options = ForumOptions
    needs_url = True
    label_fr = "Forums"
    name = "vigie-forum"
    platform = extract.PLATFORM

    async def start(self):
        self.selectors = self.options.model_dump(include=set(extract.SELECTORS))
        self.threads_queued = 0
        for url in self.start_urls:
            yield self.request(url, self.parse_listing, cb_kwargs={"page": 1})

    def parse_listing(self, response: Any, page: int):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.listing(html, response.url, self.selectors)
        for url in data["threads"]:
            if self.threads_queued >= self.options.max_threads:
                break
            self.threads_queued += 1
            yield self.request(url, self.parse_thread, cb_kwargs={"thread_url": url, "page": 1, "first_id": None,
                                                                   "title": None})
        if data["next"] and page < self.options.max_list_pages:
            yield self.request(data["next"], self.parse_listing, cb_kwargs={"page": page + 1})

    def parse_thread(self, response: Any, thread_url: str, page: int, first_id: str | None, title: str | None):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.thread(html, response.url, self.selectors)
        if not data["posts"]:
            self.skip("no_posts", response.url, "the 'post' selector matched nothing")
            return
        title = title or data["title"]
        first_id = first_id or data["posts"][0]["post_id"]
        yield from self.emit_items(extract.thread_items(data["posts"], thread_url, title, first_id), response.url)
        if data["next"] and page < self.options.max_thread_pages:
            yield self.request(data["next"], self.parse_thread, cb_kwargs={
                "thread_url": thread_url, "page": page + 1, "first_id": first_id, "title": title})
