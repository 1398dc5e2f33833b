"""Websites: sitemaps and links, main text by trafilatura, dates by htmldate.

``url``/``urls``: start pages or sitemaps (a URL ending in ``.xml`` is read as a sitemap).
Options: ``sitemaps`` (more sitemap URLs), ``allow``/``deny`` (regexes on URLs),
``follow_links`` (true), ``same_site_only`` (true), ``index_start_pages`` (false: start pages
are listings, not content), ``min_text_chars`` (200: shorter pages are not Documents),
``depth`` and ``max_pages`` (see crawlers/settings.py).

A page whose main text changed since it was written becomes a new version (a new Document
with ``version_of`` = the first version's doc_id); an unchanged page gives nothing.  Pages
other than the start pages are fetched conditionally (ETag/Last-Modified).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from vigie.crawlers.extract import web as extract
from vigie.crawlers.options import RegexList, SourceOptions, UrlList
from vigie.crawlers.spiders.base import VigieSpider
from vigie.crawlers.urls import canonical_url


class WebOptions(SourceOptions):
    sitemaps: UrlList = Field(default_factory=list)  # more sitemaps (one URL or a list)
    allow: RegexList = Field(default_factory=list)  # only URLs matching one of these (default: all)
    deny: RegexList = Field(default_factory=list)  # never URLs matching one of these
    follow_links: bool = True
    same_site_only: bool = True
    index_start_pages: bool = False                         # start pages are listings, not Documents
    min_text_chars: int = Field(default=200, ge=0)          # shorter pages are not Documents


class WebSpider(VigieSpider):
    kind = "web"
    Options = WebOptions
    needs_url = True
    label_fr = "Sites web"
    name = "vigie-web"
    platform = extract.PLATFORM
    versioned = True

    def _filter(self) -> extract.LinkFilter:
        if not hasattr(self, "_link_filter"):
            self._link_filter = extract.LinkFilter(self.start_urls, self.options.allow, self.options.deny,
                                                   self.options.same_site_only)
        return self._link_filter

    async def start(self):
        for url in [*self.start_urls, *self.options.sitemaps]:
            if url.lower().split("?")[0].endswith((".xml", ".xml.gz")):
                yield self.request(url, self.parse_sitemap, meta={"vigie_start": True})
            else:
                yield self.request(canonical_url(url), self.parse_page, meta={"vigie_start": True})

    def parse_sitemap(self, response: Any):
        result = extract.parse_sitemap(response.body)
        if result["type"] is None:
            self.skip("malformed_sitemap", response.url)
            return
        for entry in result["entries"]:
            url = canonical_url(entry["loc"])
            if result["type"] == "sitemapindex":
                yield self.request(url, self.parse_sitemap)
            elif self._filter()(url):
                yield self.request(url, self.parse_page, conditional=True)

    def parse_page(self, response: Any):
        if not hasattr(response, "text"):
            self.skip("not_html", response.url)
            return
        html = self.text(response)
        start = response.meta.get("vigie_start", False)
        last_modified = response.headers.get("Last-Modified", b"").decode("latin-1") or None
        fields = extract.page(html, response.url, last_modified)
        if self.error_page(response, html, fields["text"]):
            return
        if "client_rendered" in fields["flags"]:
            self.skip("client_rendered", response.url, "only template placeholders: the page is built by scripts")
        elif (not start or self.options.index_start_pages) and len(fields["text"]) >= self.options.min_text_chars:
            if fields["published_at"] is None:
                fields["published_at"] = datetime.now(UTC)
                fields["flags"] = [*fields["flags"], "published_at_estimated"]
            if response.meta.get("vigie_flags"):
                fields["flags"] = [*fields.get("flags", []), *response.meta["vigie_flags"]]
            yield self.document(**fields)
        if self.options.follow_links:
            link_filter = self._filter()
            for url in extract.links(html, response.url):
                if link_filter(url):
                    yield self.request(url, self.parse_page, conditional=True)
