"""A Decidim platform's GraphQL API, ``POST /decidim/api``.

The answer is chosen by the request's ``operationName``, the way the decidim spider names its
queries: ``Processes`` (one participatory process, the 2027 participatory budget), ``Components``
(its proposals component) and ``Proposals`` (newest first, 50 a page, ``after`` cursor).  The
query text itself is not interpreted.  Proposal and component ids come from the demo documents'
URLs (``…/processes/<slug>/f/<component>/proposals/<id>``); supports are the documents' likes.
"""

from __future__ import annotations

import json
from typing import Any

from vigie.demo.sites._data import engagement, html_text, of_platform, published
from vigie.demo.sites._http import Answer, Request, json_answer

PREFIX = "/decidim"
PROCESS_ID = "4"
PROCESS_PUBLISHED = "2026-09-15T10:00:00+02:00"
PROCESS_TITLE = "Budget participatif 2027"
PROCESS_SUMMARY = ("Proposez vos projets pour Lambersart, puis soutenez ceux des autres habitants : "
                   "les projets retenus seront réalisés en 2027.")
PAGE_SIZE = 50


def translated(text: str | None, as_html: bool = False) -> dict[str, Any]:
    value = html_text(text or "") if as_html else (text or "")
    return {"translation": value, "translations": [{"locale": "fr", "text": value}]}


def _where(doc: dict[str, Any]) -> tuple[str, str, str]:
    """(process slug, component id, proposal id) from the proposal's URL."""
    tail = doc["url"].split("/processes/", 1)[1].split("/")
    return tail[0], tail[2], tail[4]


def proposal_node(doc: dict[str, Any]) -> dict[str, Any]:
    author = doc["author"]
    _, _, proposal_id = _where(doc)
    return {
        "id": proposal_id, "reference": f"LAMB-PROP-2026-11-{proposal_id}", "publishedAt": doc["published_at"],
        "state": None, "title": translated(doc["title"]), "body": translated(doc["text"], as_html=True),
        "voteCount": engagement(doc, "likes"), "endorsementsCount": 0,
        "totalCommentsCount": engagement(doc, "replies"),
        "author": {"id": author["id"], "name": author["name"], "nickname": "@" + author["handle"]},
        "comments": [],
    }


class DecidimSite:
    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        self.proposals = sorted(of_platform(docs, "decidim"), key=published, reverse=True)
        self.slug, self.component, _ = _where(self.proposals[0]) if self.proposals else ("", "", "")

    def handle(self, request: Request) -> Answer | None:
        if request.path.rstrip("/") not in ("/api", "/api/graphql"):
            return None
        if request.method != "POST":
            return json_answer({"errors": [{"message": "Use POST with a JSON body"}]}, status=405)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return json_answer({"errors": [{"message": "Unexpected token in JSON"}]}, status=400)
        name, variables = body.get("operationName"), body.get("variables") or {}
        if name == "Processes":
            return json_answer({"data": {"participatoryProcesses": [self.process()]}})
        if name == "Components" and str(variables.get("id")) == PROCESS_ID:
            return json_answer({"data": {"participatoryProcess": {
                "id": PROCESS_ID, "slug": self.slug,
                "components": [{"id": self.component, "__typename": "Proposals", "name": translated("Propositions")}],
            }}})
        if name == "Proposals" and str(variables.get("id")) == self.component:
            return json_answer({"data": {"component": self.page(variables.get("after"))}})
        return json_answer({"data": None, "errors": [{"message": f"Nothing for {name} {variables}"}]})

    def process(self) -> dict[str, Any]:
        return {"id": PROCESS_ID, "slug": self.slug, "publishedAt": PROCESS_PUBLISHED,
                "title": translated(PROCESS_TITLE), "shortDescription": translated(PROCESS_SUMMARY, as_html=True)}

    def page(self, after: str | None) -> dict[str, Any]:
        start = int(after) if after and after.isdigit() else 0
        nodes = self.proposals[start:start + PAGE_SIZE]
        more = start + PAGE_SIZE < len(self.proposals)
        return {"id": self.component, "__typename": "Proposals", "proposals": {
            "pageInfo": {"hasNextPage": more, "endCursor": str(start + PAGE_SIZE) if more else None},
            "edges": [{"node": proposal_node(d)} for d in nodes]}}
