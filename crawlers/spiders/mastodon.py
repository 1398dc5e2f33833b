"""Mastodon: hashtag, account and local/public timelines of one instance (REST v1).

Source: ``url`` is the instance (``options.instance`` overrides it). Options: ``hashtags``,
``accounts`` (``user`` or ``user@domain``), ``timeline`` (``local`` or ``public``), ``replies``
(fetch the thread of statuses that have replies, default true), ``max_list_pages`` per timeline on a
first run (default 3), ``limit`` (statuses per page, default 40). Credential (optional):
``access_token``, sent as a bearer token.

Incremental: the newest status id of each timeline is its cursor; later runs ask for
``min_id=<cursor>`` and follow the ``prev`` links (newer pages) until a page is empty.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote, urlsplit

from pydantic import Field, model_validator

from vigie.crawlers.extract import mastodon as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, StrList
from vigie.crawlers.spiders._api import ApiSpider, newest, rebase


class MastodonOptions(SourceOptions):
    instance: HttpUrl | None = None                   # default: scheme and host of url
    hashtags: StrList = Field(default_factory=list)
    accounts: StrList = Field(default_factory=list)  # user or user@domain
    timeline: Literal["local", "public"] | None = None
    replies: bool = True                              # fetch the thread of statuses that have replies
    max_threads: Pages = 20                           # threads (contexts) fetched per run
    max_list_pages: Pages = 3                         # pages per timeline on a first run
    limit: int = Field(default=40, ge=1, le=40)       # statuses per page

    @model_validator(mode="after")
    def _something_to_read(self) -> MastodonOptions:
        if not (self.hashtags or self.accounts or self.timeline):
            raise ValueError("a mastodon source needs options.hashtags, options.accounts or options.timeline")
        return self


def link(response: Any, rel: str) -> str | None:
    """The URL of relation ``rel`` in a ``Link`` header (``<url>; rel="next", <url>; rel="prev"``)."""
    header = response.headers.get("Link")
    if not header:
        return None
    for part in header.decode("latin-1").split(","):
        url, _, params = part.partition(";")
        if f'rel="{rel}"' in params.replace(" ", "") or f"rel={rel}" in params.replace(" ", ""):
            return url.strip().strip("<>")
    return None


class MastodonSpider(ApiSpider):
    kind = "mastodon"
    Options = MastodonOptions
    needs_url = True
    label_fr = "Mastodon"
    name = "vigie-mastodon"
    platform = "mastodon"

    async def start(self):
        home = urlsplit(self.source.url or "")
        self.instance = self.base_url(self.options.instance, f"{home.scheme}://{home.netloc}")  # url: a page of it
        token = self.secret("access_token", required=False)
        self.auth = {"Authorization": f"Bearer {token}"} if token else {}
        self.contexts = 0
        for tag in self.options.hashtags:
            yield self.timeline(f"tag:{tag}", f"/api/v1/timelines/tag/{quote(str(tag).lstrip('#'))}")
        timeline = self.options.timeline
        if timeline is not None:
            params = {"local": "true"} if timeline == "local" else {}
            yield self.timeline(f"public:{timeline}", "/api/v1/timelines/public", params)
        for acct in self.options.accounts:
            yield self.api_request(f"{self.instance}/api/v1/accounts/lookup", self.parse_account,
                                   params={"acct": str(acct).lstrip("@")}, headers=self.auth,
                                   cb_kwargs={"acct": acct})

    def timeline(self, key: str, path: str, params: dict[str, Any] | None = None):
        cursor = self.state.cursor(f"min_id:{key}")
        query = {**(params or {}), "limit": self.options.limit, "min_id": cursor}
        return self.api_request(self.instance + path, self.parse_timeline, params=query, headers=self.auth,
                                cb_kwargs={"key": key, "page": 1, "since": cursor})

    def parse_account(self, response: Any, acct: str):
        payload = self.payload(response)
        if payload is None:
            return
        account_id = extract.account_id(payload)
        if account_id is None:
            self.skip("account_not_found", response.url, str(acct))
            return
        yield self.timeline(f"account:{acct}", f"/api/v1/accounts/{account_id}/statuses")

    def parse_timeline(self, response: Any, key: str, page: int, since: str | None):
        statuses = self.payload(response)
        if statuses is None:
            return
        out = extract.statuses(statuses, self.origin(), self.instance)
        yield from self.emit(out, response.url)
        ids = [s.get("id") for s in statuses if isinstance(s, dict)] if isinstance(statuses, list) else []
        if ids:
            self.state.set_cursor(f"min_id:{key}", newest(ids, self.state.cursor(f"min_id:{key}")))
        if self.options.replies:
            for status in statuses if isinstance(statuses, list) else []:
                yield from self.thread_of(status)
        if not ids or self.rate_limited(response):
            return
        # With a cursor, newer pages are "prev"; on a first run, older pages are "next" (bounded).
        follow = link(response, "prev") if since else link(response, "next")
        if follow and (since or page < self.options.max_list_pages):
            # The Link header comes from the server: keep it on the instance, so the token goes nowhere else.
            yield self.api_request(rebase(follow, self.instance), self.parse_timeline, headers=self.auth,
                                   cb_kwargs={"key": key, "page": page + 1, "since": since})

    def thread_of(self, status: Any):
        """The context of a root status that has replies (bounded by ``max_threads``, default 20)."""
        if not isinstance(status, dict):
            return
        status = status.get("reblog") or status
        if status.get("in_reply_to_id") or not status.get("replies_count") or not status.get("id"):
            return
        if self.contexts >= self.options.max_threads:
            return
        self.contexts += 1
        yield self.api_request(f"{self.instance}/api/v1/statuses/{status['id']}/context", self.parse_context,
                               headers=self.auth, cb_kwargs={"root": str(status["id"])})

    def parse_context(self, response: Any, root: str):
        payload = self.payload(response)
        if payload is not None:
            yield from self.emit(extract.context(payload, self.origin(), self.instance, root), response.url)
