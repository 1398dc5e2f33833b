"""A Discourse forum's JSON API, ``/discourse``.

``/latest.json`` (topics, last bumped first), ``/t/<id>.json`` (the topic with its first 20 posts
and the ids of all of them) and ``/t/<id>/posts.json?post_ids[]=…`` (more posts).  Topic ids,
slugs, post numbers and post ids come from the demo documents' URLs and item ids
(``…/t/<slug>/<topic id>/<post number>``, ``post-<post id>``).
"""

from __future__ import annotations

from typing import Any

from vigie.demo.sites._data import by_doc_id, engagement, html_text, of_platform, published, utc_iso
from vigie.demo.sites._http import Answer, Request, json_answer, not_found

PREFIX = "/discourse"
FIRST_POSTS = 20


def _location(doc: dict[str, Any]) -> tuple[str, int, int]:
    """(slug, topic id, post number) from ``…/t/<slug>/<topic id>/<post number>``."""
    slug, topic, number = doc["url"].rstrip("/").split("/t/", 1)[1].split("/")
    return slug, int(topic), int(number)


def post_object(doc: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    slug, topic, number = _location(doc)
    author = doc["author"]
    reply_to = _location(parent)[2] if parent is not None and parent["kind"] == "comment" else None
    return {
        "id": int(doc["item_id"].removeprefix("post-")), "topic_id": topic, "topic_slug": slug,
        "post_number": number, "post_type": 1, "created_at": utc_iso(doc, millis=True),
        "updated_at": utc_iso(doc, millis=True), "cooked": html_text(doc["text"]),
        "username": author["handle"], "name": author["name"], "user_id": int(author["id"]),
        "reply_to_post_number": reply_to, "reply_count": engagement(doc, "replies"),
        "actions_summary": [{"id": 2, "count": engagement(doc, "likes")}],
        "hidden": False, "deleted_at": None,
    }


class DiscourseSite:
    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        docs = sorted(of_platform(docs, "discourse"), key=published)
        index = by_doc_id(docs)
        self.topics: dict[int, dict[str, Any]] = {}
        for doc in docs:
            slug, topic_id, _ = _location(doc)
            topic = self.topics.setdefault(topic_id, {"id": topic_id, "slug": slug, "posts": []})
            if doc["kind"] == "post":
                topic.update(title=doc["title"], views=engagement(doc, "views"), created_at=utc_iso(doc, True))
            topic["posts"].append(post_object(doc, index.get(doc["parent_id"]) if doc["parent_id"] else None))
        for topic in self.topics.values():
            topic["posts"].sort(key=lambda p: p["post_number"])
            last = max(topic["posts"], key=lambda p: p["created_at"])["created_at"]
            topic.update(highest_post_number=max(p["post_number"] for p in topic["posts"]), bumped_at=last,
                         last_posted_at=last, posts_count=len(topic["posts"]),
                         like_count=sum(a["count"] for p in topic["posts"] for a in p["actions_summary"]))

    def handle(self, request: Request) -> Answer | None:
        path = request.path
        if path in ("/latest.json", "/latest"):
            return self.latest()
        parts = path.strip("/").split("/")
        if parts[0] != "t" or len(parts) not in (2, 3):
            return None
        try:
            topic = self.topics[int(parts[1].removesuffix(".json"))]
        except (ValueError, KeyError):
            return not_found("The requested URL or resource could not be found.")
        if len(parts) == 2:
            return json_answer(self.topic(topic))
        if parts[2] == "posts.json":
            wanted = {int(i) for i in request.params.get("post_ids[]", []) if i.isdigit()}
            return json_answer({"post_stream": {"posts": [p for p in topic["posts"] if p["id"] in wanted]},
                                "id": topic["id"]})
        return None

    def latest(self) -> Answer:
        fields = ("id", "title", "slug", "posts_count", "highest_post_number", "created_at", "last_posted_at",
                  "bumped_at", "views", "like_count")
        topics = sorted(self.topics.values(), key=lambda t: t["bumped_at"], reverse=True)
        return json_answer({"users": [], "topic_list": {"can_create_topic": False, "per_page": 30,
                                                        "topics": [{k: t[k] for k in fields} | {"pinned": False}
                                                                   for t in topics]}})

    def topic(self, topic: dict[str, Any]) -> dict[str, Any]:
        fields = ("id", "title", "slug", "posts_count", "highest_post_number", "created_at", "last_posted_at",
                  "views", "like_count")
        return {**{k: topic[k] for k in fields},
                "post_stream": {"posts": topic["posts"][:FIRST_POSTS], "stream": [p["id"] for p in topic["posts"]]}}
