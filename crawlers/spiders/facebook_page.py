"""The collectivité's own Facebook page (and linked Instagram business account) through the Graph API.

Options: ``page_id`` (required), ``instagram_account_id`` (optional), ``api_url`` (default
``https://graph.facebook.com/v21.0``), ``max_list_pages`` of posts per run (default 5),
``lookback_days`` (default 14: posts of that many days before the last run are read again, so
their counts and comments stay current), ``max_comment_pages`` per post (default 3).
Credential (required): ``page_token``, a page access token (``pages_read_engagement``,
``pages_read_user_content``; ``instagram_basic``, ``instagram_manage_comments`` for Instagram),
sent in the ``Authorization`` header. ``paging.next`` URLs are followed on the configured host,
without any ``access_token`` they may carry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from vigie.crawlers.extract import facebook_page as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, Text
from vigie.crawlers.spiders._api import ApiSpider, rebase

POST_FIELDS = ("id,message,story,created_time,permalink_url,from,shares,"
               "reactions.summary(true).limit(0),comments.summary(true).limit(0)")
COMMENT_FIELDS = "id,message,created_time,from,like_count,comment_count,parent{id},permalink_url"
MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,like_count,comments_count,username"
IG_COMMENT_FIELDS = "id,text,timestamp,username,like_count,replies{id,text,timestamp,username,like_count}"


class FacebookPageOptions(SourceOptions):
    page_id: Text = Field(min_length=1)
    instagram_account_id: Text | None = None          # the page's Instagram business account
    api_url: HttpUrl = "https://graph.facebook.com/v21.0"
    max_list_pages: Pages = 5                          # pages of 25 posts or media per run
    lookback_days: float = Field(default=14, ge=0)     # posts this many days before the last run are read again
    max_comment_pages: Pages = 3                       # pages of comments per post


class FacebookPageSpider(ApiSpider):
    kind = "facebook_page"
    Options = FacebookPageOptions
    label_fr = "Pages Facebook"
    name = "vigie-facebook-page"
    platform = "facebook"

    async def start(self):
        token = self.secret("page_token")
        if token is None:
            return
        self.auth = {"Authorization": f"Bearer {token}"}
        self.api = self.base_url(self.options.api_url)
        last = self.state.cursors.get("last_run")
        since = None
        if last:
            since = int(datetime.fromisoformat(last).timestamp() - 86400 * self.options.lookback_days)
        self.state.set_cursor("last_run", datetime.now(UTC).isoformat())
        yield self.get(f"{self.api}/{self.options.page_id}/posts", self.parse_posts,
                       {"fields": POST_FIELDS, "limit": 25, "since": since}, page=1)
        instagram = self.options.instagram_account_id
        if instagram:
            yield self.get(f"{self.api}/{instagram}/media", self.parse_media,
                           {"fields": MEDIA_FIELDS, "limit": 25, "since": since}, page=1)

    def get(self, url: str, callback: Any, params: dict[str, Any] | None = None, **cb_kwargs: Any):
        return self.api_request(url, callback, params=params, headers=self.auth, cb_kwargs=cb_kwargs)

    def next_page(self, payload: Any, callback: Any, page: int, max_pages: int, **cb_kwargs: Any):
        url = extract.next_url(payload)
        if url and page < max_pages:
            yield self.get(rebase(url, self.api), callback, page=page + 1, **cb_kwargs)

    # --------------------------------------------------------------- facebook
    def parse_posts(self, response: Any, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.posts(payload, self.origin())
        yield from self.emit(out, response.url)
        for post in out.documents:
            if post.engagement.replies:
                yield self.get(f"{self.api}/{post.item_id}/comments", self.parse_comments,
                               {"fields": COMMENT_FIELDS, "filter": "stream", "limit": 100},
                               post_id=post.item_id, page=1)
        if not self.rate_limited(response):
            yield from self.next_page(payload, self.parse_posts, page, self.options.max_list_pages)

    def parse_comments(self, response: Any, post_id: str, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        yield from self.emit(extract.comments(payload, self.origin(), post_id), response.url)
        yield from self.next_page(payload, self.parse_comments, page, self.options.max_comment_pages, post_id=post_id)

    # -------------------------------------------------------------- instagram
    def parse_media(self, response: Any, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.instagram_media(payload, self.origin())
        yield from self.emit(out, response.url)
        for media in out.documents:
            if media.engagement.replies:
                yield self.get(f"{self.api}/{media.item_id}/comments", self.parse_media_comments,
                               {"fields": IG_COMMENT_FIELDS, "limit": 50}, media_id=media.item_id, page=1)
        yield from self.next_page(payload, self.parse_media, page, self.options.max_list_pages)

    def parse_media_comments(self, response: Any, media_id: str, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        yield from self.emit(extract.instagram_comments(payload, self.origin(), media_id), response.url)
        yield from self.next_page(payload, self.parse_media_comments, page, self.options.max_comment_pages,
                                  media_id=media_id)
