"""Graph API payloads of a page's own Facebook posts and Instagram media to Documents.

Facebook: ``/{page-id}/posts`` (with ``reactions.summary(true)``, ``comments.summary(true)``,
``shares``) and ``/{post-id}/comments`` (with ``parent`` for replies, ``filter=stream``).
Instagram (a business account linked to the page): ``/{ig-user-id}/media`` and
``/{media-id}/comments`` (with nested ``replies``). Platforms are ``facebook`` and
``instagram``; item ids are the Graph ids.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, parse_time
from vigie.schema import Author, Engagement, Kind

FACEBOOK = "facebook"
INSTAGRAM = "instagram"


def _data(payload: Any, out: Extracted) -> list[dict[str, Any]]:
    data = payload.get("data") if isinstance(payload, dict) else None
    if data is None and isinstance(payload, dict) and payload:
        if payload.get("id") and not isinstance(payload["id"], dict):  # one object (/{object-id})
            data = [payload]
        elif all(isinstance(v, dict) and v.get("id") == k for k, v in payload.items()):  # ?ids=a,b
            data = list(payload.values())
    if not isinstance(data, list):
        out.skip("unexpected_payload", "no 'data' list")
        return []
    return [d for d in data if isinstance(d, dict)]


def next_url(payload: Any) -> str | None:
    """The ``paging.next`` URL (None on the last page)."""
    if isinstance(payload, dict):
        return (payload.get("paging") or {}).get("next") or None
    return None


def _summary_total(edge: Any) -> int | None:
    return count(((edge or {}).get("summary") or {}).get("total_count")) if isinstance(edge, dict) else None


def _fb_author(who: Any) -> Author:
    if not isinstance(who, dict) or not who.get("id"):
        return Author()  # the Graph API hides commenters' identities without the right permission
    return Author(id=who["id"], name=who.get("name"), url=f"https://www.facebook.com/{who['id']}")


def posts(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``/{page-id}/posts``."""
    out = Extracted()
    for post in _data(payload, out):
        try:
            if not post.get("id"):
                raise BadItem("post without id")
            text = post.get("message") or post.get("story") or ""
            out.documents.append(build(
                origin,
                item_id=post["id"],
                platform=FACEBOOK,
                kind=Kind.post,
                thread_id=doc_id(FACEBOOK, post["id"]),
                url=post.get("permalink_url") or f"https://www.facebook.com/{post['id']}",
                text=text.strip(),
                author=_fb_author(post.get("from")),
                engagement=Engagement(
                    likes=_summary_total(post.get("reactions")),
                    shares=count((post.get("shares") or {}).get("count")) if post.get("shares") else 0,
                    replies=_summary_total(post.get("comments")),
                ),
                published_at=parse_time(post.get("created_time")),
            ))
        except (BadItem, ValueError, KeyError, TypeError, AttributeError) as exc:
            out.skip("bad_item", f"{post.get('id')}: {exc}")
    return out


def _permalink_ids(comment: dict[str, Any], post_id: str) -> tuple[str | None, str | None]:
    """(comment id, parent comment id) from ``permalink_url`` (``…/posts/<post>/?comment_id=<c>`` and, for a
    reply, ``&reply_comment_id=<r>``), in the Graph's ``<post object id>_<comment>`` form: the Graph API
    leaves ``id`` out unless the fields ask for it."""
    query = parse_qs(urlsplit(comment.get("permalink_url") or "").query)
    top, reply = (query.get("comment_id") or [None])[0], (query.get("reply_comment_id") or [None])[0]
    post_object = post_id.rsplit("_", 1)[-1]
    if reply and top:
        return f"{post_object}_{reply}", f"{post_object}_{top}"
    return (f"{post_object}_{top}" if top else None), None


def comments(payload: Any, origin: Origin, post_id: str) -> Extracted:
    """Documents from ``/{post-id}/comments?filter=stream`` (replies carry ``parent``); a comment without
    ``id`` takes it from its ``permalink_url``, one without ``from`` has no author (hidden by the Graph
    API without the page's permission)."""
    out = Extracted()
    for comment in _data(payload, out):
        try:
            linked, linked_parent = _permalink_ids(comment, post_id)
            ident = comment.get("id") or linked
            if not ident:
                raise BadItem("comment without id or permalink_url")
            if not (comment.get("message") or "").strip():
                out.skip("bad_item", f"{ident}: no message (a sticker, a photo or a removed comment)")
                continue
            parent = (comment.get("parent") or {}).get("id") or linked_parent or post_id
            out.documents.append(build(
                origin,
                item_id=ident,
                platform=FACEBOOK,
                kind=Kind.comment,
                thread_id=doc_id(FACEBOOK, post_id),
                parent_id=doc_id(FACEBOOK, parent),
                url=comment.get("permalink_url"),
                text=comment["message"].strip(),
                author=_fb_author(comment.get("from")),
                engagement=Engagement(likes=count(comment.get("like_count")),
                                      replies=count(comment.get("comment_count"))),
                published_at=parse_time(comment.get("created_time")),
            ))
        except (BadItem, ValueError, KeyError, TypeError, AttributeError) as exc:
            out.skip("bad_item", f"{comment.get('id')}: {exc}")
    return out


def object_of(payload: Any, url: str | None = None) -> str | None:
    """The post or media whose ``/comments`` edge gave ``payload``: from ``url`` (``…/<id>/comments`` or a
    post's ``facebook.com/<page>/posts/<post>`` address), else the payload's ``paging.next``, else its
    comments' ``permalink_url``."""
    for address in (url, next_url(payload)):
        path = urlsplit(address or "").path
        match = re.search(r"/(\d+(?:_\d+)?)/comments/?$", path) or re.search(r"/(\d+)/posts/(\d+)", path)
        if match:
            return "_".join(g for g in match.groups() if g)
    for comment in _data(payload, Extracted()):
        match = re.search(r"/(\d+)/posts/(\d+)", urlsplit(comment.get("permalink_url") or "").path)
        if match:
            return f"{match.group(1)}_{match.group(2)}"
    return None


def shape(payload: Any) -> str | None:
    """Which edge a Graph payload comes from: ``feed`` (a page's posts), ``comments``, ``instagram_media``
    or ``instagram_comments``; None when it is no list of such objects."""
    items = _data(payload, Extracted())
    if not items:
        return None
    keys = set().union(*(item.keys() for item in items))
    if keys & {"media_type", "media_url", "caption", "media_product_type"} or any(
            "instagram.com" in str(item.get("permalink") or "") for item in items):
        return "instagram_media"
    if "text" in keys and "timestamp" in keys:
        return "instagram_comments"
    if keys & {"comment_count", "like_count", "parent", "can_remove"} or any(
            "comment_id=" in str(item.get("permalink_url") or "") for item in items):
        return "comments"
    if keys & {"message", "story", "created_time", "full_picture", "attachments"}:
        return "feed"
    return None


def _ig_author(username: Any) -> Author:
    if not username:
        return Author()
    return Author(handle=username, name=username, url=f"https://www.instagram.com/{username}/")


def instagram_media(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``/{ig-user-id}/media``."""
    out = Extracted()
    for media in _data(payload, out):
        try:
            if not media.get("id"):
                raise BadItem("media without id")
            out.documents.append(build(
                origin,
                item_id=media["id"],
                platform=INSTAGRAM,
                kind=Kind.post,
                thread_id=doc_id(INSTAGRAM, media["id"]),
                url=media.get("permalink"),
                text=(media.get("caption") or "").strip(),
                author=_ig_author(media.get("username")),
                engagement=Engagement(likes=count(media.get("like_count")),
                                      replies=count(media.get("comments_count"))),
                published_at=parse_time(media.get("timestamp")),
            ))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{media.get('id')}: {exc}")
    return out


def _ig_comment(comment: dict[str, Any], origin: Origin, media_id: str, parent: str, replies: int | None):
    if not comment.get("id") or not comment.get("text"):
        raise BadItem("comment without id or text")
    return build(
        origin,
        item_id=comment["id"],
        platform=INSTAGRAM,
        kind=Kind.comment,
        thread_id=doc_id(INSTAGRAM, media_id),
        parent_id=doc_id(INSTAGRAM, parent),
        text=comment["text"].strip(),
        author=_ig_author(comment.get("username")),
        engagement=Engagement(likes=count(comment.get("like_count")), replies=replies),
        published_at=parse_time(comment.get("timestamp")),
    )


def instagram_comments(payload: Any, origin: Origin, media_id: str) -> Extracted:
    """Documents from ``/{media-id}/comments?fields=…,replies{…}``."""
    out = Extracted()
    for comment in _data(payload, out):
        replies = [r for r in ((comment.get("replies") or {}).get("data") or []) if isinstance(r, dict)]
        try:
            out.documents.append(_ig_comment(comment, origin, media_id, media_id, len(replies)))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{comment.get('id')}: {exc}")
            continue
        for reply in replies:
            try:
                out.documents.append(_ig_comment(reply, origin, media_id, comment["id"], None))
            except (BadItem, ValueError, KeyError, TypeError) as exc:
                out.skip("bad_item", f"{reply.get('id')}: {exc}")
    return out
