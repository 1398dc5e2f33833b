"""SPIP sites: articles and their public forums.

``url``/``urls``: the home page, a section (``spip.php?rubrique3``) or articles.  Options:
``article_pattern`` (a regex for article links; default: ``spip.php?articleN``,
``…-articleN.html``, ``?id_article=N``), ``max_articles`` (200 per run).

Articles are fetched conditionally (SPIP sends Last-Modified); forum messages already
written are skipped.
"""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract import spip as extract
from vigie.crawlers.options import Pages, Regex, SourceOptions
from vigie.crawlers.spiders.base import VigieSpider
from vigie.crawlers.urls import canonical_url


class SpipOptions(SourceOptions):
    article_pattern: Regex | None = None   # links to articles (default: SPIP's usual URL forms)
    max_articles: Pages = 200              # articles fetched per run


class SpipSpider(VigieSpider):
    kind = "spip"
    Options = SpipOptions
    needs_url = True
    label_fr = "Sites web"
    name = "vigie-spip"
    platform = extract.PLATFORM

    async def start(self):
        self.articles_queued = 0
        for url in self.start_urls:
            if extract.article_id(url):
                yield self.request(canonical_url(url), self.parse_article, conditional=True)
            else:
                yield self.request(url, self.parse_listing)

    def parse_listing(self, response: Any):
        html = self.text(response)
        if self.error_page(response, html):
            return
        for url in extract.article_links(html, response.url, self.options.article_pattern):
            if self.articles_queued >= self.options.max_articles:
                return
            self.articles_queued += 1
            yield self.request(url, self.parse_article, conditional=True)

    def parse_article(self, response: Any):
        html = self.text(response)
        data = extract.article(html, response.url)
        if self.error_page(response, html, data["text"]):
            return
        yield from self.emit_items(extract.article_items(data, response.url), response.url)
