"""RSS, Atom and JSON Feed sources.

``url`` (or ``urls``): the feeds.  Options: ``follow`` (default true: fetch the article page
and extract its main text when an entry only has a summary), ``min_summary_chars`` (400).
The feed is fetched conditionally (ETag/Last-Modified); entries already written are not
fetched again.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from vigie.crawlers.extract import feed as extract
from vigie.crawlers.extract._html import main_content
from vigie.crawlers.options import SourceOptions
from vigie.crawlers.spiders.base import VigieSpider


class FeedOptions(SourceOptions):
    follow: bool = True                               # fetch the page of an entry that has only a summary
    min_summary_chars: int = Field(default=400, ge=0)  # shorter content counts as only a summary


class FeedSpider(VigieSpider):
    kind = "feed"
    Options = FeedOptions
    needs_url = True
    label_fr = "Presse et fils RSS"
    name = "vigie-feed"
    platform = extract.PLATFORM

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, self.parse_feed, conditional=True)

    def parse_feed(self, response: Any):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        result = extract.parse_feed(response.body, response.url, content_type)
        if result["error"]:
            if result["error"] == "not_a_feed" and self.error_page(response):
                return
            self.skip(result["error"], response.url)
            return
        if result.get("recovered"):
            self.stat("feed/recovered_from_malformed")
        follow, min_chars = self.options.follow, self.options.min_summary_chars
        for entry in result["entries"]:
            doc_id = self.doc_id(entry["item_id"], entry["platform"])
            if self.state.seen(doc_id):
                self.stat("duplicates/already_seen")
                self.stat("duplicates")
                continue
            if follow and extract.needs_page(entry, min_chars):
                yield self.request(entry["url"], self.parse_page, errback=self.page_failed,
                                   cb_kwargs={"entry": entry}, meta={"vigie_entry": entry})
            else:
                yield self._document(entry)

    def parse_page(self, response: Any, entry: dict[str, Any]):
        html = self.text(response)
        page = main_content(html, response.url)
        if self.error_page(response, html, page["text"]):
            yield self._document(entry)  # the summary is better than nothing
            return
        yield self._document(extract.merge_page(entry, page))

    def page_failed(self, failure: Any):
        self.on_error(failure)
        entry = failure.request.meta.get("vigie_entry")
        if entry:
            yield self._document(entry)

    def _document(self, entry: dict[str, Any]):
        return self.document(**extract.document_fields(entry))
