"""The town's Facebook page through a Graph-API-shaped endpoint, ``/facebook/v21.0``.

``/{page-id}/posts`` (``since``, ``limit``, ``after``) and ``/{post-id}/comments`` (every comment
of the post, oldest first, replies with ``parent``).  Requests need the demo's page token
(``DEMO_TOKEN``, a fake value) as a bearer token; anything else gets the Graph API's expired-token
error (``OAuthException``, code 190).  Graph ids are the demo documents' item ids.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from vigie.demo.sites._data import by_doc_id, engagement, of_platform, published
from vigie.demo.sites._http import Answer, Request, json_answer

PREFIX = "/facebook/v21.0"
DEMO_TOKEN = "demo-fake-facebook-page-token"  # noqa: S105 - not a secret: the demo Graph API accepts only this
TOKEN_ERROR = {"error": {"message": "Error validating access token: the demo page token is "
                                    "VIGIE_DEMO_FB_TOKEN (vigie.demo.sites.DEMO_ENV).",
                         "type": "OAuthException", "code": 190, "fbtrace_id": "DemoTrace"}}


def _graph_time(doc: dict[str, Any]) -> str:
    return published(doc).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _from(doc: dict[str, Any]) -> dict[str, str]:
    return {"id": doc["author"]["id"], "name": doc["author"]["name"]}


def post_object(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["item_id"], "message": doc["text"], "created_time": _graph_time(doc),
        "permalink_url": doc["url"], "from": _from(doc),
        "shares": {"count": engagement(doc, "shares")},
        "reactions": {"data": [], "summary": {"total_count": engagement(doc, "likes"), "viewer_reaction": "NONE"}},
        "comments": {"data": [], "summary": {"order": "ranked", "total_count": engagement(doc, "replies"),
                                             "can_comment": False}},
    }


def comment_object(doc: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    comment = {
        "id": doc["item_id"], "message": doc["text"], "created_time": _graph_time(doc), "from": _from(doc),
        "like_count": engagement(doc, "likes"), "comment_count": engagement(doc, "replies"),
        "permalink_url": doc["url"],
    }
    if parent is not None and parent["kind"] == "comment":
        comment["parent"] = {"id": parent["item_id"]}
    return comment


def _page(items: list[Any], request: Request, default_limit: int) -> dict[str, Any]:
    """One page of ``items`` with Graph-style ``paging`` (cursor = offset)."""
    start = int(request.query.get("after") or 0)
    limit = int(request.query.get("limit") or default_limit)
    page = items[start:start + limit]
    paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
    if start + limit < len(items):
        query = {k: v for k, v in request.query.items() if k != "after"}
        paging["next"] = request.url(request.path, {**query, "after": start + limit})
    return {"data": page, "paging": paging}


class FacebookSite:
    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        self.docs = of_platform(docs, "facebook")
        self.posts = sorted((d for d in self.docs if d["kind"] == "post"), key=published, reverse=True)
        self.page_id = self.posts[0]["author"]["id"] if self.posts else ""
        index = by_doc_id(self.docs)
        self.comments: dict[str, list[dict[str, Any]]] = {}
        for doc in sorted((d for d in self.docs if d["kind"] == "comment"), key=published):
            post = index[doc["thread_id"]]["item_id"]
            self.comments.setdefault(post, []).append(comment_object(doc, index.get(doc["parent_id"])))

    def handle(self, request: Request) -> Answer | None:
        parts = request.path.strip("/").split("/")
        if len(parts) != 2:
            return None
        if request.bearer() != DEMO_TOKEN:
            return json_answer(TOKEN_ERROR, status=400)
        node, edge = parts
        if node == self.page_id and edge == "posts":
            since = request.query.get("since")
            posts = [p for p in self.posts if not since or published(p).timestamp() >= float(since)]
            return json_answer(_page([post_object(p) for p in posts], request, 25))
        if edge == "comments" and any(p["item_id"] == node for p in self.posts):
            return json_answer(_page(self.comments.get(node, []), request, 25))
        return json_answer({"error": {"message": f"Unsupported get request. Object with ID '{node}' does not exist",
                                      "type": "GraphMethodException", "code": 100}}, status=400)
