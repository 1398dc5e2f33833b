"""Reddit: new posts of subreddits and their comment trees (JSON listings).

Source: ``options.subreddits`` (names without ``r/``), or ``url`` such as
``https://www.reddit.com/r/lambersart``. Options: ``api_url`` (default ``https://www.reddit.com``,
or ``https://oauth.reddit.com`` with app credentials), ``auth_url`` (default
``https://www.reddit.com/api/v1/access_token``), ``max_list_pages`` of listing per run (default 3),
``limit`` (posts per page, default 100). Credentials (optional, both or none): ``client_id`` and
``client_secret`` of a Reddit app, used for an application-only OAuth token.

Incremental: the newest post time of each subreddit is its cursor; the listing is followed
(``after``) only while a page still holds newer posts. A post's comment tree is fetched when the
post is new or its comment count changed since the last run (cursor ``comments``).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from pydantic import Field

from vigie.crawlers.extract import reddit as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, StrList
from vigie.crawlers.spiders._api import ApiSpider

KEEP_COUNTS = 500  # comment counts remembered (newest posts)


class RedditOptions(SourceOptions):
    subreddits: StrList = Field(default_factory=list)  # names, with or without r/ (beside url)
    api_url: HttpUrl | None = None                   # default: oauth.reddit.com with app credentials, else www
    auth_url: HttpUrl = "https://www.reddit.com/api/v1/access_token"
    max_list_pages: Pages = 3                        # listing pages per subreddit and run
    limit: int = Field(default=100, ge=1, le=100)    # posts per page


class RedditSpider(ApiSpider):
    kind = "reddit"
    Options = RedditOptions
    label_fr = "Reddit"
    name = "vigie-reddit"
    platform = "reddit"

    async def start(self):
        self.auth: dict[str, str] = {}
        self.counts: dict[str, int] = dict(self.state.cursor("comments", {}) or {})
        named = bool(self.source.credentials)  # app credentials named: no anonymous fallback
        client_id = self.secret("client_id", required=named)
        client_secret = self.secret("client_secret", required=named)
        if named and not (client_id and client_secret):
            return
        oauth = bool(client_id and client_secret)
        self.api = self.base_url(self.options.api_url,
                                "https://oauth.reddit.com" if oauth else "https://www.reddit.com")
        if oauth:
            basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
            yield self.api_request(self.base_url(self.options.auth_url),
                                   self.parse_token, form={"grant_type": "client_credentials"},
                                   headers={"Authorization": f"Basic {basic}"})
            return
        for request in self.listings():
            yield request

    def subreddits(self) -> list[str]:
        names = list(self.options.subreddits)
        for url in self.start_urls:
            match = re.search(r"/r/([A-Za-z0-9_]+)", url)
            if match:
                names.append(match.group(1))
        return list(dict.fromkeys(n.removeprefix("r/") for n in names))

    def listings(self):
        if not self.subreddits():
            self.skip("bad_option", None, "no subreddit: set options.subreddits or url")
        for sub in self.subreddits():
            yield self.listing(sub, None, 1)

    def listing(self, sub: str, after: str | None, page: int):
        return self.api_request(f"{self.api}/r/{sub}/new.json", self.parse_listing, headers=self.auth,
                                params={"limit": self.options.limit, "raw_json": 1, "after": after},
                                cb_kwargs={"sub": sub, "page": page})

    def parse_token(self, response: Any):
        if not self.bearer_from(response, extract.access_token, "no access_token in the answer"):
            return
        yield from self.listings()

    def parse_listing(self, response: Any, sub: str, page: int):
        listing = self.payload(response)
        if listing is None:
            return
        out = extract.listing(listing, self.origin())
        yield from self.emit(out, response.url)
        since = float(self.state.cursors.get(f"newest:{sub}", 0) or 0)  # the last complete run's
        times = [d.published_at.timestamp() for d in out.documents]
        if times:
            staged = float(self.state.cursor(f"newest:{sub}", 0) or 0)
            self.state.set_cursor(f"newest:{sub}", max([staged, *times]))
        for doc in out.documents:
            replies = doc.engagement.replies or 0
            if replies and self.counts.get(doc.item_id) != replies:
                post_id = doc.item_id.removeprefix("t3_")
                yield self.api_request(f"{self.api}/comments/{post_id}.json", self.parse_comments,
                                       headers=self.auth, params={"raw_json": 1, "limit": 500},
                                       cb_kwargs={"post": doc.item_id, "replies": replies})
        after = extract.after(listing)
        older_only = times and min(times) <= since
        more = page < self.options.max_list_pages
        if after and not older_only and more and not self.rate_limited(response):
            yield self.listing(sub, after, page + 1)

    def parse_comments(self, response: Any, post: str, replies: int):
        """The comments of one post (the post itself comes from the listing, which is fresher)."""
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.comments(payload, self.origin())
        out.documents = [d for d in out.documents if d.kind == "comment"]
        yield from self.emit(out, response.url)
        self.counts[post] = replies
        self.state.set_cursor("comments", dict(list(self.counts.items())[-KEEP_COUNTS:]))
