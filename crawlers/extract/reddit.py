"""Reddit listings and comment trees to Documents.

Items are identified by their fullname (``t3_…`` for posts, ``t1_…`` for comments), which is also
what ``parent_id`` and ``link_id`` hold, so threads resolve without a lookup. ``more`` stubs (comments
not included in the tree) are counted as skipped; ``[deleted]``/``[removed]`` comments too.
"""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, parse_time
from vigie.schema import Author, Engagement, Kind

PLATFORM = "reddit"
WEB = "https://www.reddit.com"
GONE = {"[deleted]", "[removed]"}


def author_of(data: dict[str, Any]) -> Author:
    name = data.get("author")
    if not name or name in GONE:
        return Author()
    return Author(id=data.get("author_fullname"), handle=name, name=name, url=f"{WEB}/user/{name}")


def _things(listing: Any) -> list[dict[str, Any]]:
    if not isinstance(listing, dict) or listing.get("kind") != "Listing":
        raise BadItem("not a Listing")
    children = (listing.get("data") or {}).get("children")
    if not isinstance(children, list):
        raise BadItem("Listing without children")
    return [c for c in children if isinstance(c, dict)]


def after(listing: Any) -> str | None:
    """The ``after`` cursor of a listing (None on the last page)."""
    if isinstance(listing, dict):
        return (listing.get("data") or {}).get("after") or None
    return None


def post_document(data: dict[str, Any], origin: Origin):
    fullname = data.get("name") or (f"t3_{data['id']}" if data.get("id") else None)
    if not fullname:
        raise BadItem("post without id")
    selftext = data.get("selftext") or ""
    text = selftext if selftext not in GONE else ""
    if not data.get("is_self", True) and data.get("url"):
        text = (text + "\n\n" + data["url"]).strip()  # a link post: keep where it points
    return build(
        origin,
        item_id=fullname,
        platform=PLATFORM,
        kind=Kind.post,
        thread_id=doc_id(PLATFORM, fullname),
        url=WEB + data["permalink"] if data.get("permalink") else data.get("url"),
        title=data.get("title") or None,
        text=text,
        author=author_of(data),
        engagement=Engagement(likes=count(data.get("score")), replies=count(data.get("num_comments")),
                              shares=count(data.get("num_crossposts"))),
        published_at=parse_time(data.get("created_utc")),
    )


def listing(payload: Any, origin: Origin) -> Extracted:
    """Posts of a subreddit listing (``/r/<sub>/new.json``)."""
    out = Extracted()
    try:
        things = _things(payload)
    except BadItem as exc:
        out.skip("unexpected_payload", str(exc))
        return out
    for thing in things:
        data = thing.get("data") or {}
        if thing.get("kind") != "t3":
            out.skip("not_a_post", str(thing.get("kind")))
            continue
        if data.get("removed_by_category"):
            out.skip("removed", str(data.get("name")))
            continue
        try:
            out.documents.append(post_document(data, origin))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{data.get('name')}: {exc}")
    return out


def _comment_document(data: dict[str, Any], origin: Origin):
    fullname = data.get("name") or (f"t1_{data['id']}" if data.get("id") else None)
    if not fullname or not data.get("link_id") or not data.get("parent_id"):
        raise BadItem("comment without id, link_id or parent_id")
    replies = data.get("replies")
    n_replies = len(_things(replies)) if isinstance(replies, dict) else 0
    return build(
        origin,
        item_id=fullname,
        platform=PLATFORM,
        kind=Kind.comment,
        thread_id=doc_id(PLATFORM, data["link_id"]),
        parent_id=doc_id(PLATFORM, data["parent_id"]),
        url=WEB + data["permalink"] if data.get("permalink") else None,
        text=data.get("body") or "",
        author=author_of(data),
        engagement=Engagement(likes=count(data.get("score")), replies=n_replies),
        published_at=parse_time(data.get("created_utc")),
    )


def _walk(things: list[dict[str, Any]], origin: Origin, out: Extracted) -> None:
    for thing in things:
        kind, data = thing.get("kind"), thing.get("data") or {}
        if kind == "more":
            out.skip("more_stub", f"{data.get('count', 0)} comments not in the tree")
            continue
        if kind != "t1":
            out.skip("not_a_comment", str(kind))
            continue
        if data.get("body") in GONE:
            out.skip("removed", str(data.get("name")))
        else:
            try:
                out.documents.append(_comment_document(data, origin))
            except (BadItem, ValueError, KeyError, TypeError) as exc:
                out.skip("bad_item", f"{data.get('name')}: {exc}")
        if isinstance(data.get("replies"), dict):
            try:
                _walk(_things(data["replies"]), origin, out)
            except BadItem as exc:
                out.skip("bad_item", f"replies of {data.get('name')}: {exc}")


def comments(payload: Any, origin: Origin) -> Extracted:
    """The post and its whole comment tree from ``/comments/<id>.json`` (a pair of Listings)."""
    out = Extracted()
    if not isinstance(payload, list) or len(payload) != 2:
        out.skip("unexpected_payload", "expected [post listing, comment listing]")
        return out
    out.extend(listing(payload[0], origin))
    try:
        _walk(_things(payload[1]), origin, out)
    except BadItem as exc:
        out.skip("unexpected_payload", str(exc))
    return out


def access_token(payload: Any) -> str | None:
    """The bearer token from the OAuth token endpoint's answer."""
    if isinstance(payload, dict) and isinstance(payload.get("access_token"), str):
        return payload["access_token"]
    return None
