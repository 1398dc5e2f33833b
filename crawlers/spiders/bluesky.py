"""Bluesky: author feeds (public) and post search (with an app password session).

Options: ``actors`` (handles or DIDs: ``app.bsky.feed.getAuthorFeed``), ``search`` (queries:
``app.bsky.feed.searchPosts``, needs a session), ``api_url`` (public AppView, default
``https://public.api.bsky.app``), ``pds_url`` (where sessions are made and authenticated calls go,
default ``https://bsky.social``), ``max_list_pages`` per feed or query on a first run (default 3),
``limit`` (default 50), ``replies`` (default true: read the thread, ``app.bsky.feed.getPostThread``
on the public AppView, of every post whose reply count changed, up to ``max_threads`` per run,
default 20). Credentials: ``identifier`` (handle or email) and ``app_password``, needed for
``search`` only.

Incremental: the newest post date of each feed or query is its cursor; author feeds are
followed (``cursor``) only while a page still holds newer posts; searches ask ``since=<cursor>``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field, model_validator

from vigie.crawlers.extract import bluesky as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, StrList
from vigie.crawlers.spiders._api import ApiSpider

KEEP_THREADS = 500  # reply counts remembered (newest threads)


class BlueskyOptions(SourceOptions):
    actors: StrList = Field(default_factory=list)  # handles or DIDs: their author feeds
    search: StrList = Field(default_factory=list)  # queries (needs the identifier and app_password credentials)
    api_url: HttpUrl = "https://public.api.bsky.app"   # the public AppView
    pds_url: HttpUrl = "https://bsky.social"       # where sessions are made and authenticated calls go
    max_list_pages: Pages = 3                      # pages per feed or query on a first run
    limit: int = Field(default=50, ge=1, le=100)   # posts per page
    replies: bool = True                           # read the threads of posts whose reply count changed
    max_threads: Pages = 20                        # threads read per run

    @model_validator(mode="after")
    def _something_to_read(self) -> BlueskyOptions:
        if not (self.actors or self.search):
            raise ValueError("a bluesky source needs options.actors or options.search")
        return self


class BlueskySpider(ApiSpider):
    kind = "bluesky"
    Options = BlueskyOptions
    label_fr = "Bluesky"
    name = "vigie-bluesky"
    platform = "bluesky"

    async def start(self):
        self.counts: dict[str, int] = dict(self.state.cursor("threads", {}) or {})  # post uri → replies read
        self.threads = 0
        self.api = self.base_url(self.options.api_url)
        self.pds = self.base_url(self.options.pds_url)
        for actor in self.options.actors:
            yield self.feed_page(str(actor).lstrip("@"), None, 1)
        if self.options.search:
            identifier = self.secret("identifier")
            password = self.secret("app_password")
            if identifier and password:
                yield self.api_request(f"{self.pds}/xrpc/com.atproto.server.createSession", self.parse_session,
                                       json_body={"identifier": identifier, "password": password})

    # ------------------------------------------------------------- author feeds
    def feed_page(self, actor: str, cursor: str | None, page: int):
        return self.api_request(f"{self.api}/xrpc/app.bsky.feed.getAuthorFeed", self.parse_feed,
                                params={"actor": actor, "limit": self.options.limit, "cursor": cursor,
                                        "filter": "posts_with_replies"},
                                cb_kwargs={"actor": actor, "page": page})

    def parse_feed(self, response: Any, actor: str, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.author_feed(payload, self.origin())
        yield from self.emit(out, response.url)
        yield from self.threads_of(out.documents)
        key = f"newest:actor:{actor}"
        since = self.state.cursors.get(key)  # as committed by the last complete run
        dates = [utc_iso(d.published_at) for d in out.documents]
        self._advance(key, dates)
        older_only = bool(since and dates and min(dates) <= since)
        follow = extract.cursor(payload)
        if follow and out.documents and not older_only and not self.rate_limited(response) \
                and (since or page < self.options.max_list_pages):
            yield self.feed_page(actor, follow, page + 1)

    # ------------------------------------------------------------------ search
    def parse_session(self, response: Any):
        if not self.bearer_from(response, extract.session_token,
                                "no session: check the identifier and app password"):
            return
        for query in self.options.search:
            yield self.search_page(str(query), None, 1)

    def search_page(self, query: str, cursor: str | None, page: int):
        since = self.state.cursors.get(f"newest:search:{query}")
        return self.api_request(f"{self.pds}/xrpc/app.bsky.feed.searchPosts", self.parse_search,
                                headers=self.auth,
                                params={"q": query, "sort": "latest", "since": since, "cursor": cursor,
                                        "limit": self.options.limit},
                                cb_kwargs={"query": query, "page": page})

    def parse_search(self, response: Any, query: str, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.search_posts(payload, self.origin())
        yield from self.emit(out, response.url)
        yield from self.threads_of(out.documents)
        self._advance(f"newest:search:{query}", [utc_iso(d.published_at) for d in out.documents])
        follow = extract.cursor(payload)
        more = page < self.options.max_list_pages
        if follow and out.documents and more and not self.rate_limited(response):
            yield self.search_page(query, follow, page + 1)

    # ----------------------------------------------------------------- threads
    def threads_of(self, documents: list[Any]):
        """``getPostThread`` of the thread roots among ``documents`` whose reply count changed."""
        if not self.options.replies:
            return
        for doc in documents:
            replies = doc.engagement.replies or 0
            if doc.parent_id is not None or not replies or self.counts.get(doc.item_id) == replies:
                continue
            if self.threads >= self.options.max_threads:
                self.stat("bluesky/threads_left_for_next_run")
                continue
            self.threads += 1
            self.counts[doc.item_id] = -1  # asked once per run, whatever pages list it
            yield self.api_request(f"{self.api}/xrpc/app.bsky.feed.getPostThread", self.parse_thread,
                                   params={"uri": doc.item_id, "depth": 100, "parentHeight": 0},
                                   cb_kwargs={"root": doc.item_id, "replies": replies})

    def parse_thread(self, response: Any, root: str, replies: int):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.post_thread(payload, self.origin())
        out.documents = [d for d in out.documents if d.item_id != root]  # the root came with its page
        yield from self.emit(out, response.url)
        self.counts[root] = replies
        self.state.set_cursor("threads", dict(list(self.counts.items())[-KEEP_THREADS:]))

    def _advance(self, key: str, dates: list[str]) -> None:
        current = self.state.cursor(key)
        if dates:
            self.state.set_cursor(key, max([*dates, current] if current else dates))


def utc_iso(value: datetime) -> str:
    """``2026-11-19T07:45:12.331Z``: one format, so cursors compare as strings."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
