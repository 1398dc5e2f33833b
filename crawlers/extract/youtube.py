"""YouTube Data API v3 payloads to Documents.

A video is a ``post`` (title and description, statistics from ``videos.list``); a comment is a
``comment`` whose thread is its video. Top-level comments have the video as parent; replies
have their top-level comment (``snippet.parentId``). Item ids are the platform's own ids
(``video:<videoId>``, ``comment:<commentId>``).
"""

from __future__ import annotations

import html
from typing import Any

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, parse_time
from vigie.schema import Author, Engagement, Kind

PLATFORM = "youtube"
WATCH = "https://www.youtube.com/watch?v="


def video_item(video_id: str) -> str:
    return f"video:{video_id}"


def comment_item(comment_id: str) -> str:
    return f"comment:{comment_id}"


def _items(payload: Any, out: Extracted) -> list[dict[str, Any]]:
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        out.skip("unexpected_payload", "no 'items' list")
        return []
    return [i for i in items if isinstance(i, dict)]


def next_page(payload: Any) -> str | None:
    return payload.get("nextPageToken") or None if isinstance(payload, dict) else None


def uploads_playlist(channel_id: str) -> str:
    """The id of a channel's uploads playlist (``UC…`` → ``UU…``)."""
    if not channel_id.startswith("UC"):
        raise ValueError(f"{channel_id!r} is not a channel id (UC…)")
    return "UU" + channel_id[2:]


def video_ids(payload: Any) -> list[str]:
    """Video ids listed by ``playlistItems.list`` or ``search.list`` (other results are ignored)."""
    ids = []
    for item in payload.get("items") or [] if isinstance(payload, dict) else []:
        if not isinstance(item, dict):
            continue
        details, ident = item.get("contentDetails") or {}, item.get("id")
        resource = (item.get("snippet") or {}).get("resourceId") or {}
        if isinstance(ident, dict):  # a search result
            vid = ident.get("videoId") if ident.get("kind") == "youtube#video" else None
        else:
            vid = details.get("videoId") or resource.get("videoId")
        if vid:
            ids.append(vid)
    return ids


def videos(payload: Any, origin: Origin) -> Extracted:
    """Documents from ``videos.list?part=snippet,statistics``."""
    out = Extracted()
    for video in _items(payload, out):
        try:
            vid, snippet = video["id"], video.get("snippet") or {}
            if not isinstance(vid, str):
                raise BadItem("video id is not a string")
            stats = video.get("statistics") or {}
            channel = snippet.get("channelId")
            out.documents.append(build(
                origin,
                item_id=video_item(vid),
                platform=PLATFORM,
                kind=Kind.post,
                thread_id=doc_id(PLATFORM, video_item(vid)),
                url=WATCH + vid,
                title=snippet.get("title") or None,
                text=(snippet.get("description") or "").strip(),
                language=snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage") or None,
                author=Author(id=channel, name=snippet.get("channelTitle"),
                              url=f"https://www.youtube.com/channel/{channel}" if channel else None),
                engagement=Engagement(likes=count(stats.get("likeCount")), replies=count(stats.get("commentCount")),
                                      views=count(stats.get("viewCount"))),
                published_at=parse_time(snippet.get("publishedAt")),
            ))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{video.get('id')}: {exc}")
    return out


def _comment(comment: dict[str, Any], origin: Origin, video_id: str, replies: int | None):
    snippet = comment.get("snippet") or {}
    cid = comment.get("id")
    if not cid:
        raise BadItem("comment without id")
    parent = snippet.get("parentId")
    channel = (snippet.get("authorChannelId") or {}).get("value")
    handle = snippet.get("authorDisplayName")
    text = snippet.get("textOriginal")
    if text is None:  # textDisplay is HTML-escaped
        text = html.unescape(snippet.get("textDisplay") or "")
    return build(
        origin,
        item_id=comment_item(cid),
        platform=PLATFORM,
        kind=Kind.comment,
        thread_id=doc_id(PLATFORM, video_item(video_id)),
        parent_id=doc_id(PLATFORM, comment_item(parent) if parent else video_item(video_id)),
        url=f"{WATCH}{video_id}&lc={cid}",
        text=text.strip(),
        author=Author(id=channel, handle=handle, name=handle.lstrip("@") if handle else None,
                      url=snippet.get("authorChannelUrl")),
        engagement=Engagement(likes=count(snippet.get("likeCount")), replies=replies),
        published_at=parse_time(snippet.get("publishedAt")),
    )


def comment_threads(payload: Any, origin: Origin) -> Extracted:
    """Top-level comments and their included replies from ``commentThreads.list?part=snippet,replies``.

    The API includes at most five replies per thread; the rest are fetched with ``comments.list``
    (see ``comments``).
    """
    out = Extracted()
    for thread in _items(payload, out):
        snippet = thread.get("snippet") or {}
        top = snippet.get("topLevelComment")
        video_id = snippet.get("videoId") or (top or {}).get("snippet", {}).get("videoId")
        if not isinstance(top, dict) or not video_id:
            out.skip("bad_item", f"{thread.get('id')}: thread without top-level comment or video")
            continue
        try:
            out.documents.append(_comment(top, origin, video_id, count(snippet.get("totalReplyCount"))))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{thread.get('id')}: {exc}")
            continue
        for reply in (thread.get("replies") or {}).get("comments") or []:
            try:
                out.documents.append(_comment(reply, origin, video_id, None))
            except (BadItem, ValueError, KeyError, TypeError, AttributeError) as exc:
                out.skip("bad_item", f"reply in {thread.get('id')}: {exc}")
    return out


def missing_replies(payload: Any) -> list[str]:
    """Ids of top-level comments whose replies were not all included in ``commentThreads``."""
    ids = []
    for thread in payload.get("items") or [] if isinstance(payload, dict) else []:
        if not isinstance(thread, dict):
            continue
        total = count((thread.get("snippet") or {}).get("totalReplyCount")) or 0
        included = len((thread.get("replies") or {}).get("comments") or [])
        if total > included and thread.get("id"):
            ids.append(thread["id"])
    return ids


def comments_video(payload: Any) -> str | None:
    """The video of a ``comments.list`` page when its comments name it (``snippet.videoId``)."""
    for comment in payload.get("items") or [] if isinstance(payload, dict) else []:
        video = (comment.get("snippet") or {}).get("videoId") if isinstance(comment, dict) else None
        if video:
            return str(video)
    return None


def comments(payload: Any, origin: Origin, video_id: str) -> Extracted:
    """Replies from ``comments.list?parentId=…`` (the video id is not in that payload)."""
    out = Extracted()
    for comment in _items(payload, out):
        try:
            out.documents.append(_comment(comment, origin, video_id, None))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{comment.get('id')}: {exc}")
    return out
