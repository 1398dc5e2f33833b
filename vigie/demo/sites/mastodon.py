"""A Mastodon instance's REST API, ``/mastodon/api/v1``.

``/timelines/tag/<tag>`` serves the demo's root statuses, newest first, with Mastodon's paging
(``limit``, ``max_id``, ``min_id``, ``since_id`` and a ``Link`` header with ``next`` and ``prev``);
replies are not in the timeline, they come from ``/statuses/<id>/context``.  ``/accounts/lookup``
and ``/accounts/<id>/statuses`` serve the same statuses by author.  Accounts are given with their
full ``user@domain`` handle, as an instance shows accounts of other servers.
"""

from __future__ import annotations

from typing import Any

from vigie.demo.sites._data import by_doc_id, engagement, html_text, of_platform, published, utc_iso
from vigie.demo.sites._http import Answer, Request, json_answer, not_found

PREFIX = "/mastodon"


def account_object(author: dict[str, Any]) -> dict[str, Any]:
    handle = author["handle"]
    return {"id": author["id"], "username": handle.split("@")[0], "acct": handle,
            "display_name": author["name"], "url": author["url"], "followers_count": author.get("followers") or 0,
            "locked": False, "bot": False}


def status_object(doc: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": doc["item_id"], "created_at": utc_iso(doc, millis=True),
        "in_reply_to_id": parent["item_id"] if parent else None,
        "in_reply_to_account_id": parent["author"]["id"] if parent else None,
        "sensitive": False, "spoiler_text": doc.get("title") or "", "visibility": "public",
        "language": doc.get("language"), "uri": doc["url"], "url": doc["url"],
        "replies_count": engagement(doc, "replies"), "reblogs_count": engagement(doc, "shares"),
        "favourites_count": engagement(doc, "likes"), "content": html_text(doc["text"]),
        "reblog": None, "account": account_object(doc["author"]), "media_attachments": [],
        "mentions": [], "tags": [], "emojis": [],
    }


def _key(status: dict[str, Any]) -> int:
    return int(status["id"])


class MastodonSite:
    prefix = PREFIX

    def __init__(self, docs: list[dict[str, Any]]):
        docs = of_platform(docs, "mastodon")
        index = by_doc_id(docs)
        self.statuses = {d["item_id"]: status_object(d, index.get(d["parent_id"]) if d["parent_id"] else None)
                         for d in sorted(docs, key=published)}
        self.roots = sorted((s for s in self.statuses.values() if not s["in_reply_to_id"]), key=_key, reverse=True)

    def handle(self, request: Request) -> Answer | None:
        parts = request.path.strip("/").split("/")
        if parts[:2] != ["api", "v1"]:
            return None
        route = parts[2:]
        if route[:2] == ["timelines", "tag"] and len(route) == 3:
            return self.timeline(self.roots, request)
        if route[:1] == ["statuses"] and len(route) == 3 and route[2] == "context":
            return self.context(route[1])
        if route == ["accounts", "lookup"]:
            acct = request.query.get("acct", "").lstrip("@")
            for status in self.statuses.values():
                if acct in (status["account"]["acct"], status["account"]["username"]):
                    return json_answer(status["account"])
            return json_answer({"error": "Record not found"}, status=404)
        if route[:1] == ["accounts"] and len(route) == 3 and route[2] == "statuses":
            own = [s for s in self.statuses.values() if s["account"]["id"] == route[1]]
            return self.timeline(sorted(own, key=_key, reverse=True), request)
        return not_found("Record not found")

    def timeline(self, statuses: list[dict[str, Any]], request: Request) -> Answer:
        limit = min(int(request.query.get("limit") or 20), 40)
        max_id, min_id, since_id = (request.query.get(k) for k in ("max_id", "min_id", "since_id"))
        chosen = [s for s in statuses if (not max_id or _key(s) < int(max_id))
                  and (not since_id or _key(s) > int(since_id)) and (not min_id or _key(s) > int(min_id))]
        # min_id pages upwards: the statuses just after it; the others page downwards from the newest.
        page = chosen[-limit:] if min_id else chosen[:limit]
        headers = {}
        if page:
            query = {k: v for k, v in request.query.items() if k not in ("max_id", "min_id", "since_id")}
            headers["Link"] = (f'<{request.url(request.path, {**query, "max_id": page[-1]["id"]})}>; rel="next", '
                               f'<{request.url(request.path, {**query, "min_id": page[0]["id"]})}>; rel="prev"')
        return json_answer(page, headers=headers)

    def context(self, status_id: str) -> Answer:
        if status_id not in self.statuses:
            return json_answer({"error": "Record not found"}, status=404)
        ancestors, node = [], self.statuses[status_id]
        while node["in_reply_to_id"] in self.statuses:
            node = self.statuses[node["in_reply_to_id"]]
            ancestors.insert(0, node)
        descendants, frontier = [], {status_id}
        for status in self.statuses.values():  # oldest first, so parents come before their replies
            if status["in_reply_to_id"] in frontier:
                descendants.append(status)
                frontier.add(status["id"])
        return json_answer({"ancestors": ancestors, "descendants": descendants})
