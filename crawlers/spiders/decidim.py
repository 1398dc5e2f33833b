"""Decidim: participatory processes, their proposals and debates, and comment trees (GraphQL).

Source: ``url`` is the platform's web address (``https://participer.ville.example``). Options:
``graphql_url`` (default ``<url>/api``), ``processes`` (slugs to keep; default all),
``max_list_pages`` of 50 proposals or debates per component and run (default 5). No credential:
the API serves what the platform shows anonymously.

Incremental: proposals come newest first; a component's pages are followed only while a page
still holds proposals published after the last complete run's newest one. Unchanged items are
dropped by the pipelines.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from vigie.crawlers.extract import decidim as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, StrList
from vigie.crawlers.spiders._api import ApiSpider


class DecidimOptions(SourceOptions):
    graphql_url: HttpUrl | None = None   # default: <url>/api
    processes: StrList = Field(default_factory=list)  # slugs of the processes to keep (default: all)
    max_list_pages: Pages = 5            # pages of 50 proposals or debates per component and run


class DecidimSpider(ApiSpider):
    kind = "decidim"
    Options = DecidimOptions
    needs_url = True
    label_fr = "Participation citoyenne"
    name = "vigie-decidim"
    platform = "decidim"

    async def start(self):
        self.web = (self.source.url or "").rstrip("/")
        self.graphql = self.base_url(self.options.graphql_url, f"{self.web}/api")
        yield self.query("Processes", extract.PROCESSES_QUERY, {}, self.parse_processes)

    def query(self, name: str, text: str, variables: dict[str, Any], callback: Any, **cb_kwargs: Any):
        return self.api_request(self.graphql, callback, cb_kwargs=cb_kwargs,
                                json_body={"operationName": name, "query": text, "variables": variables})

    def parse_processes(self, response: Any):
        payload = self.payload(response)
        if payload is None:
            return
        out, found = extract.processes(payload, self.origin(), self.web)
        wanted = set(self.options.processes)
        out.documents = [d for d in out.documents if not wanted or d.item_id.rsplit("/", 1)[-1] in wanted]
        yield from self.emit(out, response.url)
        for process in found:
            if not wanted or process["slug"] in wanted:
                yield self.query("Components", extract.COMPONENTS_QUERY, {"id": process["id"]},
                                 self.parse_components, slug=process["slug"])

    def parse_components(self, response: Any, slug: str):
        payload = self.payload(response)
        if payload is None:
            return
        for component_id, typename in extract.components(payload):
            yield self.component_page(component_id, typename, slug, None, 1)

    def component_page(self, component_id: str, typename: str, slug: str, after: str | None, page: int):
        return self.query(typename, extract.QUERIES[typename], {"id": component_id, "after": after},
                          self.parse_page, component_id=component_id, typename=typename, slug=slug, page=page)

    def parse_page(self, response: Any, component_id: str, typename: str, slug: str, page: int):
        payload = self.payload(response)
        if payload is None:
            return
        out, after = extract.page(payload, self.origin(), self.web, slug)
        yield from self.emit(out, response.url)
        key = f"newest:{component_id}"
        since = self.state.cursors.get(key)
        dates = [d.published_at.timestamp() for d in out.documents if d.kind == "post"]
        if dates:
            self.state.set_cursor(key, max([*dates, self.state.cursor(key) or 0]))
        older = typename == "Proposals" and since is not None and dates and min(dates) <= since
        if after and not older and page < self.options.max_list_pages:
            yield self.component_page(component_id, typename, slug, after, page + 1)
