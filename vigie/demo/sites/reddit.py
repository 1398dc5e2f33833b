"""Reddit's JSON listings, ``/reddit``.

``/r/<sub>/new.json`` (posts, newest first, ``limit`` and ``after``) and ``/comments/<id>.json``
(the post and its comment tree, replies nested under their parent).  Fullnames (``t3_…``,
``t1_…``) and permalinks are the demo documents' item ids and URLs.
"""

from __future__ import annotations

from typing import Any

from vigie.demo.sites._data import by_doc_id, engagement, of_platform, published
from vigie.demo.sites._http import Answer, Request, json_answer

PREFIX = "/reddit"
WEB = "https://www.reddit.com"


def listing(children: list[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"after": after, "before": None, "dist": len(children), "children": children}}


def _common(doc: dict[str, Any]) -> dict[str, Any]:
    fullname = doc["item_id"]
    author = doc["author"]
    return {"id": fullname.split("_", 1)[1], "name": fullname, "author": author["handle"],
            "author_fullname": author["id"], "created_utc": published(doc).timestamp(),
            "permalink": doc["url"].removeprefix(WEB), "score": engagement(doc, "likes"),
            "ups": engagement(doc, "likes"), "subreddit": "lille", "subreddit_name_prefixed": "r/lille"}


def post_thing(doc: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "t3", "data": {**_common(doc), "title": doc["title"], "selftext": doc["text"],
                                   "is_self": True, "url": doc["url"], "num_comments": engagement(doc, "replies"),
                                   "num_crossposts": engagement(doc, "shares"), "removed_by_category": None}}


class RedditSite:
    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        docs = of_platform(docs, "reddit")
        self.index = by_doc_id(docs)
        self.posts = sorted((d for d in docs if d["kind"] == "post"), key=published, reverse=True)
        self.comments = sorted((d for d in docs if d["kind"] == "comment"), key=published)
        # lookups indexed once: a source of hundreds of comments is served in linear time
        self.doc_ids = {id(v): k for k, v in self.index.items()}
        self.by_item = {p["item_id"]: p for p in self.posts}
        self.children: dict[str, list[dict[str, Any]]] = {}
        for comment in self.comments:
            self.children.setdefault(comment["parent_id"], []).append(comment)

    def comment_thing(self, doc: dict[str, Any]) -> dict[str, Any]:
        children = [self.comment_thing(c) for c in self.children.get(self._doc_id(doc), [])]
        parent = self.index[doc["parent_id"]]["item_id"]
        link = self.index[doc["thread_id"]]["item_id"]
        return {"kind": "t1", "data": {**_common(doc), "body": doc["text"], "parent_id": parent, "link_id": link,
                                       "replies": listing(children) if children else ""}}

    def _doc_id(self, doc: dict[str, Any]) -> str:
        return self.doc_ids[id(doc)]

    def handle(self, request: Request) -> Answer | None:
        parts = request.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "r" and parts[2] == "new.json":
            posts = self.posts if parts[1].lower() == "lille" else []
            names = [p["item_id"] for p in posts]
            start = names.index(request.query["after"]) + 1 if request.query.get("after") in names else 0
            limit = int(request.query.get("limit") or 25)
            page = posts[start:start + limit]
            more = page[-1]["item_id"] if page and start + limit < len(posts) else None
            return json_answer(listing([post_thing(p) for p in page], more))
        if len(parts) >= 2 and parts[0] == "comments":
            post = self.by_item.get("t3_" + parts[1].removesuffix(".json"))
            if post is None:
                return json_answer({"message": "Not Found", "error": 404}, status=404)
            roots = [self.comment_thing(c) for c in self.children.get(self._doc_id(post), [])]
            return json_answer([listing([post_thing(post)]), listing(roots)])
        return None
