"""Discourse JSON API: topic lists, topics and posts as Document fields.

Payloads: ``/latest.json`` (``topic_list.topics``, ``topic_list.more_topics_url``),
``/t/<id>.json`` (``post_stream.posts`` and ``post_stream.stream``: every post id) and
``/t/<id>/posts.json?post_ids[]=…`` (more posts).  Item ids are ``<host>/p/<post id>``, so two
forums never collide; the first post of a topic is a ``post``, the others ``comment``s whose
``thread_id`` is the first post's doc_id and ``parent_id`` the post they reply to.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from vigie.crawlers.extract._dates import parse_iso
from vigie.crawlers.extract._items import Items
from vigie.crawlers.extract.feed import html_to_text
from vigie.schema import make_doc_id

PLATFORM = "discourse"
LIKE_ACTION = 2


def host_of(base_url: str) -> str:
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/").lower()


def item_id(base_url: str, post_id: int | str) -> str:
    return f"{host_of(base_url)}/p/{post_id}"


def topic_list(payload: Any) -> dict[str, Any]:
    """``{"topics": [{"id", "slug", "title", "highest_post_number", "last_posted_at", "bumped_at"}], "more": path}``."""
    if not isinstance(payload, dict) or not isinstance(payload.get("topic_list"), dict):
        raise ValueError("not a Discourse topic list (no 'topic_list')")
    data = payload["topic_list"]
    topics = []
    for topic in data.get("topics") or []:
        if not isinstance(topic, dict) or "id" not in topic:
            continue
        topics.append({
            "id": int(topic["id"]), "slug": topic.get("slug") or "topic", "title": topic.get("title"),
            "highest_post_number": int(topic.get("highest_post_number") or topic.get("posts_count") or 0),
            "last_posted_at": topic.get("last_posted_at"), "bumped_at": topic.get("bumped_at"),
            "views": topic.get("views"), "pinned": bool(topic.get("pinned")),
        })
    return {"topics": topics, "more": data.get("more_topics_url")}


def json_path(base_url: str, more: str) -> str:
    """``/latest?page=1`` → absolute ``/latest.json?page=1``."""
    path, _, query = more.partition("?")
    if not path.endswith(".json"):
        path += ".json"
    return urljoin(base_url.rstrip("/") + "/", path.lstrip("/")) + (f"?{query}" if query else "")


def topic(payload: Any) -> dict[str, Any]:
    """``{"id", "title", "slug", "views", "stream": [post ids], "posts": [raw posts]}``."""
    if not isinstance(payload, dict) or not isinstance(payload.get("post_stream"), dict):
        raise ValueError("not a Discourse topic (no 'post_stream')")
    stream = payload["post_stream"]
    return {"id": int(payload.get("id") or 0), "title": payload.get("title"), "slug": payload.get("slug") or "topic",
            "views": payload.get("views"), "like_count": payload.get("like_count"),
            "stream": [int(i) for i in stream.get("stream") or []],
            "posts": [p for p in stream.get("posts") or [] if isinstance(p, dict) and "id" in p]}


def posts_payload(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("post_stream"), dict):
        raise ValueError("not a Discourse posts payload (no 'post_stream')")
    return [p for p in payload["post_stream"].get("posts") or [] if isinstance(p, dict) and "id" in p]


def _likes(post: dict[str, Any]) -> int | None:
    if post.get("like_count") is not None:
        return int(post["like_count"])
    for action in post.get("actions_summary") or []:
        if isinstance(action, dict) and action.get("id") == LIKE_ACTION:
            return int(action.get("count") or 0)
    return None


def post_fields(post: dict[str, Any], topic_info: dict[str, Any], base_url: str,
                numbers: dict[int, int]) -> dict[str, Any] | None:
    """Fields of one post; ``numbers`` maps post_number → post id within the topic."""
    published = parse_iso(post.get("created_at"))
    if published is None or post.get("hidden") or post.get("deleted_at"):
        return None
    if post.get("post_type", 1) not in (1, None):  # moderator actions, whispers, small actions
        return None
    base = base_url.rstrip("/")
    first_id = topic_info["stream"][0] if topic_info["stream"] else numbers.get(1, post["id"])
    number = int(post.get("post_number") or 0)
    is_first = number == 1 or post["id"] == first_id
    thread_id = make_doc_id(PLATFORM, item_id(base, first_id))
    reply_to = post.get("reply_to_post_number")
    parent = None
    if not is_first:
        parent_post = numbers.get(int(reply_to)) if reply_to else None
        parent = make_doc_id(PLATFORM, item_id(base, parent_post or first_id))
    username = post.get("username")
    return {
        "item_id": item_id(base, post["id"]),
        "platform": PLATFORM,
        "kind": "post" if is_first else "comment",
        "thread_id": thread_id,
        "parent_id": parent,
        "url": f"{base}/t/{topic_info['slug']}/{topic_info['id']}/{number or 1}",
        "title": topic_info.get("title") if is_first else None,
        "text": html_to_text(post.get("cooked")) or (post.get("raw") or ""),
        "published_at": published,
        "author": {"id": str(post["user_id"]) if post.get("user_id") is not None else None,
                   "handle": username, "name": post.get("name") or username,
                   "url": f"{base}/u/{username}" if username else None},
        "engagement": {"likes": _likes(post), "replies": post.get("reply_count"),
                       "views": topic_info.get("views") if is_first else post.get("reads")},
    }


def _unusable(post: dict[str, Any]) -> str:
    if parse_iso(post.get("created_at")) is None:
        return "no date"
    if post.get("hidden") or post.get("deleted_at"):
        return "hidden or deleted"
    return f"post_type {post.get('post_type')} (moderator action, whisper or small action)"


def posts_items(info: dict[str, Any], posts: list[dict[str, Any]], base_url: str, seen: int = 0) -> Items:
    """Document fields of the posts of one topic (or of one ``posts.json`` chunk of it) numbered above
    ``seen``; ``info`` (from ``topic``) keeps ``numbers`` (post_number → id) and ``highest`` across chunks.
    Hidden, deleted and non-regular posts are noted as ``posts_skipped``."""
    out = Items()
    numbers = info.setdefault("numbers", {})
    for post in posts:
        if post.get("post_number"):
            numbers[int(post["post_number"])] = post["id"]
    for post in posts:
        number = int(post.get("post_number") or 0)
        info["highest"] = max(info.get("highest", seen), number)
        if number and number <= seen:
            continue
        fields = post_fields(post, info, base_url, numbers)
        if fields is None:
            out.note("posts_skipped", f"post {post.get('id')}: {_unusable(post)}")
            continue
        out.fields.append(fields)
    return out
