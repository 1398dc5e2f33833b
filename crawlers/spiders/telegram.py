"""Telegram public channels, from their web preview (``https://t.me/s/<channel>``).

``url``: ``https://t.me/s/<channel>`` (or ``options.channel``).  Options: ``base_url``
(``https://t.me``; the tests point it at the fixture server), ``max_pages`` of older posts (5).

Incremental: the id of the newest post written is the cursor; pages of older posts are read
until it is reached.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictInt

from vigie.crawlers.extract import telegram as extract
from vigie.crawlers.options import HttpUrl, SourceOptions, StrList
from vigie.crawlers.spiders.base import VigieSpider


class TelegramOptions(SourceOptions):
    channel: StrList = Field(default_factory=list)  # channel names (or t.me links), beside url/urls
    base_url: HttpUrl = "https://t.me"     # the tests point it at the fixture server
    max_pages: StrictInt = Field(default=5, ge=1)   # pages of older posts (and, for every kind, responses per run)


class TelegramSpider(VigieSpider):
    kind = "telegram"
    Options = TelegramOptions
    label_fr = "Telegram"
    name = "vigie-telegram"
    platform = extract.PLATFORM

    def _channels(self) -> list[str]:
        names = [extract.channel_of(u) for u in self.start_urls]
        names += [extract.channel_of(c) for c in self.options.channel]
        return list(dict.fromkeys(names))

    async def start(self):
        base = self.options.base_url.rstrip("/")
        channels = self._channels()
        if not channels:
            self.skip("bad_options", self.source.id, "a telegram source needs url https://t.me/s/<channel> "
                                                     "or options.channel")
            return
        for channel in channels:
            yield self.request(f"{base}/s/{channel}", self.parse_page,
                               cb_kwargs={"channel": channel, "page": 1, "base": base, "newest": None})

    def parse_page(self, response: Any, channel: str, page: int, base: str, newest: int | None):
        html = self.text(response)
        if self.error_page(response, html):
            return
        data = extract.page(html)
        if not data["posts"]:
            self.skip("no_posts", response.url, "no message in the preview page (private or unknown channel?)")
            return
        last = int(self.state.cursor(f"last:{channel}", 0))
        newest = max([newest or 0, *(p["id"] for p in data["posts"])])
        yield from self.emit_items(extract.page_items(data, last), response.url)
        reached = min(p["id"] for p in data["posts"]) <= last + 1
        if data["before"] and not reached and page < self.options.max_pages:
            yield self.request(f"{base}/s/{channel}?before={data['before']}", self.parse_page,
                               cb_kwargs={"channel": channel, "page": page + 1, "base": base, "newest": newest})
        else:
            self.state.set_cursor(f"last:{channel}", newest)
