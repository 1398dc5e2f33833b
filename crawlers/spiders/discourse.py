"""Discourse forums through their public JSON API.

``url``: the forum's base URL (``https://forum.example.fr``).  Options: ``category``
(``slug/id``: only that category's topics), ``max_topics`` (100 per run),
``max_list_pages`` (3).  Credentials (optional, for private forums): ``api_key`` and
``api_username`` (environment variable names).

Incremental: the topic list is read newest-first; a topic whose highest post number has
not grown since the last complete run is not fetched, and within a topic only posts newer
than the last one written are fetched (cursor ``topic:<id>`` = last post number seen).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from vigie.crawlers.extract import discourse as extract
from vigie.crawlers.options import Pages, SourceOptions
from vigie.crawlers.spiders.base import VigieSpider

CHUNK = 20


class DiscourseOptions(SourceOptions):
    category: str | None = Field(default=None, pattern=r"^[\w-]+(/[\w-]+)*$")  # slug/id: only its topics
    max_topics: Pages = 100       # topics fetched per run
    max_list_pages: Pages = 3     # pages of the topic list per run


class DiscourseSpider(VigieSpider):
    kind = "discourse"
    Options = DiscourseOptions
    needs_url = True
    label_fr = "Forums"
    name = "vigie-discourse"
    platform = extract.PLATFORM

    @property
    def base(self) -> str:
        return (self.source.url or self.start_urls[0]).rstrip("/")

    def _headers(self) -> dict[str, str]:
        key = self.credential("api_key", required=False)
        if not key:
            return {"Accept": "application/json"}
        return {"Accept": "application/json", "Api-Key": key,
                "Api-Username": self.credential("api_username", required=False) or "system"}

    async def start(self):
        category = self.options.category
        path = f"/c/{category}/l/latest.json" if category else "/latest.json"
        self.topics_queued = 0
        yield self.request(self.base + path, self.parse_list, headers=self._headers(), cb_kwargs={"page": 1})

    def _read(self, response: Any, parse: Any) -> Any:
        """``parse`` of the JSON body, or None when it is not JSON or not the expected shape (counted)."""
        payload = self.json(response)
        if payload is None:
            return None
        try:
            return parse(payload)
        except ValueError as exc:
            self.skip("unexpected_json", response.url, str(exc))
            return None

    def parse_list(self, response: Any, page: int):
        listing = self._read(response, extract.topic_list)
        if listing is None:
            return
        max_topics = self.options.max_topics
        for topic in listing["topics"]:
            seen = int(self.state.cursor(f"topic:{topic['id']}", 0))
            if topic["highest_post_number"] and topic["highest_post_number"] <= seen:
                self.stat("discourse/topics_unchanged")
                continue
            if self.topics_queued >= max_topics:
                return
            self.topics_queued += 1
            yield self.request(f"{self.base}/t/{topic['id']}.json", self.parse_topic, headers=self._headers(),
                               cb_kwargs={"seen": seen})
        if listing["more"] and page < self.options.max_list_pages:
            yield self.request(extract.json_path(self.base, listing["more"]), self.parse_list,
                               headers=self._headers(), cb_kwargs={"page": page + 1})

    def parse_topic(self, response: Any, seen: int):
        info = self._read(response, extract.topic)
        if info is None:
            return
        loaded = {p["id"] for p in info["posts"]}
        missing = [i for i in info["stream"] if i not in loaded]
        chunks = [missing[i:i + CHUNK] for i in range(0, len(missing), CHUNK)]
        info["pending"] = len(chunks)  # the cursor moves once every chunk has been read
        yield from self._posts(info, info["posts"], seen)
        for chunk in chunks:
            query = "&".join(f"post_ids[]={i}" for i in chunk)
            yield self.request(f"{self.base}/t/{info['id']}/posts.json?{query}", self.parse_posts,
                               headers=self._headers(), cb_kwargs={"info": info, "seen": seen})

    def parse_posts(self, response: Any, info: dict[str, Any], seen: int):
        posts = self._read(response, extract.posts_payload)
        if posts is None:
            return
        info["pending"] -= 1
        yield from self._posts(info, posts, seen)

    def _posts(self, info: dict[str, Any], posts: list[dict[str, Any]], seen: int):
        yield from self.emit_items(extract.posts_items(info, posts, self.base, seen), self.base)
        if info["pending"] == 0:
            self.state.set_cursor(f"topic:{info['id']}", info.get("highest", seen))
