"""Graph API payloads of a page's own Facebook posts and Instagram media to Documents.

Facebook: ``/{page-id}/posts`` (with ``reactions.summary(true)``, ``comments.summary(true)``,
``shares``) and ``/{post-id}/comments`` (with ``parent`` for replies, ``filter=stream``).
Instagram (a business account linked to the page): ``/{ig-user-id}/media`` and
``/{media-id}/comments`` (with nested ``replies``). Platforms are ``facebook`` and
``instagram``; item ids are the Graph ids.
"""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, parse_time
from vigie.schema import Author, Engagement, Kind

FACEBOOK = "facebook"
INSTAGRAM = "instagram"


def _data(payload: Any, out: Extracted) -> list[dict[str, Any]]:
    data = payload.get("data") if isinstance(payload, dict) else None
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


def comments(payload: Any, origin: Origin, post_id: str) -> Extracted:
    """Documents from ``/{post-id}/comments?filter=stream`` (replies carry ``parent``)."""
    out = Extracted()
    for comment in _data(payload, out):
        try:
            if not comment.get("id") or not comment.get("message"):
                raise BadItem("comment without id or message")
            parent = (comment.get("parent") or {}).get("id") or post_id
            out.documents.append(build(
                origin,
                item_id=comment["id"],
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
