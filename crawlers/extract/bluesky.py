"""Bluesky (AT Protocol) post views to Documents.

A post's ``item_id`` is its at-uri (``at://<did>/app.bsky.feed.post/<rkey>``); the record's reply
refs hold the at-uris of the parent and the thread root, so threads resolve without a lookup.
Its web address is ``https://bsky.app/profile/<handle>/post/<rkey>``.
"""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, parse_time
from vigie.schema import Author, Engagement, Kind

PLATFORM = "bluesky"
WEB = "https://bsky.app"
POST_TYPE = "app.bsky.feed.post"
MAX_DEPTH = 50  # levels of replies read in one thread


def web_url(uri: str, handle: str | None) -> str:
    """``at://did:plc:x/app.bsky.feed.post/3kabc`` → ``https://bsky.app/profile/<handle>/post/3kabc``."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != POST_TYPE:
        raise BadItem(f"not a post at-uri: {uri!r}")
    return f"{WEB}/profile/{handle or parts[0]}/post/{parts[2]}"


def _sum(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def author_of(author: dict[str, Any]) -> Author:
    handle = author.get("handle")
    if handle == "handle.invalid":
        handle = None
    return Author(
        id=author.get("did"),
        handle=handle,
        name=author.get("displayName") or handle,
        url=f"{WEB}/profile/{handle or author.get('did')}" if handle or author.get("did") else None,
        followers=count(author.get("followersCount")),
    )


def post_document(post: dict[str, Any], origin: Origin):
    """One Document from one ``app.bsky.feed.defs#postView``."""
    uri, record = post.get("uri"), post.get("record")
    if not isinstance(uri, str) or not isinstance(record, dict):
        raise BadItem("post view without uri or record")
    if record.get("$type") not in (None, POST_TYPE):
        raise BadItem(f"record of type {record.get('$type')!r}")
    author = post.get("author") or {}
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else None
    parent_uri = ((reply or {}).get("parent") or {}).get("uri")
    root_uri = ((reply or {}).get("root") or {}).get("uri") or parent_uri
    langs = record.get("langs") or []
    return build(
        origin,
        item_id=uri,
        platform=PLATFORM,
        kind=Kind.comment if parent_uri else Kind.post,
        thread_id=doc_id(PLATFORM, root_uri or uri),
        parent_id=doc_id(PLATFORM, parent_uri),
        url=web_url(uri, author.get("handle") if author.get("handle") != "handle.invalid" else None),
        text=(record.get("text") or "").strip(),
        language=langs[0] if langs and isinstance(langs[0], str) else None,
        author=author_of(author),
        engagement=Engagement(
            likes=count(post.get("likeCount")),
            shares=_sum(count(post.get("repostCount")), count(post.get("quoteCount"))),
            replies=count(post.get("replyCount")),
        ),
        published_at=parse_time(record.get("createdAt") or post.get("indexedAt")),
    )


def _posts(posts: list[Any], origin: Origin, out: Extracted) -> None:
    for post in posts:
        if not isinstance(post, dict):
            out.skip("not_an_object")
            continue
        try:
            out.documents.append(post_document(post, origin))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{post.get('uri')}: {exc}")


def author_feed(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``app.bsky.feed.getAuthorFeed`` (reposts stand for the reposted post)."""
    out = Extracted()
    feed = payload.get("feed") if isinstance(payload, dict) else None
    if not isinstance(feed, list):
        out.skip("unexpected_payload", "no 'feed' list")
        return out
    _posts([item.get("post") if isinstance(item, dict) else item for item in feed], origin, out)
    return out


def search_posts(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``app.bsky.feed.searchPosts``."""
    out = Extracted()
    posts = payload.get("posts") if isinstance(payload, dict) else None
    if not isinstance(posts, list):
        out.skip("unexpected_payload", "no 'posts' list")
        return out
    _posts(posts, origin, out)
    return out


def _thread_node(node: Any, origin: Origin, out: Extracted, depth: int) -> None:
    """One ``threadViewPost`` and, below it, its replies (a ``notFoundPost`` or ``blockedPost`` is skipped)."""
    if not isinstance(node, dict):
        out.skip("not_an_object")
        return
    if node.get("notFound") or node.get("$type") == "app.bsky.feed.defs#notFoundPost":
        out.skip("not_found", str(node.get("uri")))
        return
    if node.get("blocked") or node.get("$type") == "app.bsky.feed.defs#blockedPost":
        out.skip("blocked", str(node.get("uri")))
        return
    if isinstance(node.get("post"), dict):
        _posts([node["post"]], origin, out)
    if depth >= MAX_DEPTH:
        if node.get("replies"):
            out.skip("too_deep", f"replies below {node.get('post', {}).get('uri')}")
        return
    for reply in node.get("replies") or []:
        _thread_node(reply, origin, out, depth + 1)


def post_thread(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``app.bsky.feed.getPostThread``: the post, its parents and every reply below it."""
    out = Extracted()
    thread = payload.get("thread") if isinstance(payload, dict) else None
    if not isinstance(thread, dict):
        out.skip("unexpected_payload", "no 'thread' object")
        return out
    parents, parent = [], thread.get("parent")
    while isinstance(parent, dict) and len(parents) < MAX_DEPTH:
        parents.append(parent)
        parent = parent.get("parent")
    for node in reversed(parents):  # the root first
        _thread_node({k: v for k, v in node.items() if k != "replies"}, origin, out, MAX_DEPTH)
    _thread_node(thread, origin, out, 0)
    return out


def cursor(payload: Any) -> str | None:
    return payload.get("cursor") or None if isinstance(payload, dict) else None


def session_token(payload: Any) -> str | None:
    """The access JWT from ``com.atproto.server.createSession``."""
    if isinstance(payload, dict) and isinstance(payload.get("accessJwt"), str):
        return payload["accessJwt"]
    return None
