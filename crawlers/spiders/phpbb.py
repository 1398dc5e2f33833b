"""phpBB forums.

``url``: the board index (``…/index.php``) or a forum (``…/viewforum.php?f=2``).  Options:
``max_list_pages`` (3 pages of each forum's topic list), ``max_topics`` (200 per run).

Incremental: the topic lists give the id of each topic's last post; a topic whose last post
was already written is not fetched (cursor ``topic:<t>``), and known posts are skipped.
"""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract import phpbb as extract
from vigie.crawlers.options import Pages, SourceOptions
from vigie.crawlers.spiders.base import VigieSpider


class PhpbbOptions(SourceOptions):
    max_list_pages: Pages = 3     # pages of each forum's topic list
    max_topics: Pages = 200       # topics fetched per run


class PhpbbSpider(VigieSpider):
    kind = "phpbb"
    Options = PhpbbOptions
    needs_url = True
    label_fr = "Forums"
    name = "vigie-phpbb"
    platform = extract.PLATFORM

    async def start(self):
        self.topics_queued = 0
        for url in self.start_urls:
            yield self.request(url, self.parse_forum, cb_kwargs={"page": 1})

    def parse_forum(self, response: Any, page: int):
        html = self.text(response)
        if self.error_page(response, html):
            return
        listing = extract.forum_page(html, response.url)
        for forum in listing["forums"]:
            yield self.request(forum, self.parse_forum, cb_kwargs={"page": 1})
        for topic in listing["topics"]:
            cursor = self.state.cursor(f"topic:{topic['id']}")
            if cursor is not None and topic["last_post_id"] is not None and topic["last_post_id"] <= cursor:
                self.stat("phpbb/topics_unchanged")
                continue
            if self.topics_queued >= self.options.max_topics:
                break
            self.topics_queued += 1
            yield self.request(topic["url"], self.parse_topic,
                               cb_kwargs={"topic": topic, "first_post_id": None, "highest": cursor or 0})
        if listing["next"] and page < self.options.max_list_pages:
            yield self.request(listing["next"], self.parse_forum, cb_kwargs={"page": page + 1})

    def parse_topic(self, response: Any, topic: dict[str, Any], first_post_id: int | None, highest: int):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.topic_page(html, response.url)
        if not data["posts"]:
            self.skip("no_posts", response.url, "no phpBB post found in the page")
            return
        first_post_id = first_post_id or data["posts"][0]["post_id"]
        info = {**topic, "title": topic.get("title") or data["title"]}
        known = self.state.cursor(f"topic:{topic['id']}") or 0
        highest = max([highest, *(post["post_id"] for post in data["posts"])])
        fresh = [post for post in data["posts"] if post["post_id"] > known]
        yield from self.emit_items(extract.topic_items(fresh, info, response.url, first_post_id), response.url)
        if data["next"]:
            yield self.request(data["next"], self.parse_topic,
                               cb_kwargs={"topic": topic, "first_post_id": first_post_id, "highest": highest})
        else:
            self.state.set_cursor(f"topic:{topic['id']}", highest)
