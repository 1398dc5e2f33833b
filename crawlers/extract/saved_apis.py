"""``vigie extract`` readers of saved API payloads (Discourse, Mastodon, Reddit, Bluesky, YouTube, Graph API,
Decidim) and the recognition of their endpoint from the payload's shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vigie.crawlers.extract._api import Extracted
from vigie.crawlers.extract._items import Items
from vigie.crawlers.extract._saved_common import Context, NotUnderstood, Reader, base_url, need_url


def _discourse_topic(payload: Any, ctx: Context) -> Items:
    from vigie.crawlers.extract import discourse

    base = base_url(need_url(ctx, "the forum's address (Discourse payloads hold only paths)"))
    if isinstance(payload, dict) and "title" not in payload and "id" not in payload:
        info = {"id": 0, "title": None, "slug": "topic", "views": None, "stream": []}
        posts = discourse.posts_payload(payload)
        if posts and posts[0].get("topic_id"):
            info.update(id=int(posts[0]["topic_id"]), slug=posts[0].get("topic_slug") or "topic")
    else:
        info = discourse.topic(payload)
        posts = info["posts"]
    out = discourse.posts_items(info, posts, base)
    loaded = {p["id"] for p in posts}
    missing = [i for i in info["stream"] if i not in loaded]
    if missing:
        out.links = [f"{base}/t/{info['id']}/posts.json?" + "&".join(f"post_ids[]={i}" for i in missing)]
    return out


def _discourse_list(payload: Any, ctx: Context) -> Items:
    from vigie.crawlers.extract import discourse

    base = base_url(need_url(ctx, "the forum's address (Discourse payloads hold only paths)"))
    listing = discourse.topic_list(payload)
    links = [f"{base}/t/{t['slug']}/{t['id']}.json" for t in listing["topics"]]
    if listing["more"]:
        links.append(discourse.json_path(base, listing["more"]))
    return Items(links=links)


def _mastodon_instance(payload: Any, ctx: Context) -> str:
    if ctx.url:
        return base_url(ctx.url)
    statuses = payload if isinstance(payload, list) else (
        [*(payload.get("ancestors") or []), *(payload.get("descendants") or [])] if isinstance(payload, dict) else [])
    for status in statuses:
        if isinstance(status, dict):
            status = status.get("reblog") or status
            found = status.get("uri") or status.get("url")
            if found:
                return base_url(found)
    raise NotUnderstood("--url is needed: the instance's address (no status gives it)")


def _mastodon_statuses(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import mastodon

    if isinstance(payload, dict):  # one status (/api/v1/statuses/:id)
        payload = [payload]
    return mastodon.statuses(payload, ctx.origin, _mastodon_instance(payload, ctx))


def _mastodon_context(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import mastodon

    match = re.search(r"/statuses/([^/?#]+)/context", ctx.url or "")
    root = mastodon.context_root(payload, match.group(1) if match else None)
    if root is None and isinstance(payload, dict) and not payload.get("ancestors") and not payload.get("descendants"):
        return Extracted()  # a status without replies: nothing to read
    if root is None:
        raise NotUnderstood("--url is needed: the context's address (…/statuses/<id>/context) names its status")
    return mastodon.context(payload, ctx.origin, _mastodon_instance(payload, ctx), root)


def _reddit_listing(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import reddit

    return reddit.listing(payload, ctx.origin)


def _reddit_comments(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import reddit

    return reddit.comments(payload, ctx.origin)


def _bluesky(name: str) -> Reader:
    def read(payload: Any, ctx: Context) -> Extracted:
        from vigie.crawlers.extract import bluesky

        return getattr(bluesky, name)(payload, ctx.origin)
    return read


def _youtube_listing(payload: Any, ctx: Context) -> Items:
    from vigie.crawlers.extract import youtube

    ids = youtube.video_ids(payload)
    out = Items(links=[f"videos.list?id={i}" for i in ids])
    for item in payload.get("items") or []:
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, dict) and ident.get("kind") != "youtube#video":
            out.note("not_a_video", f"{ident.get('kind')} {ident.get('channelId') or ident.get('playlistId')}")
    return out


def _youtube_videos(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import youtube

    return youtube.videos(payload, ctx.origin)


def _youtube_threads(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import youtube

    return youtube.comment_threads(payload, ctx.origin)


def _youtube_comments(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import youtube

    video = youtube.comments_video(payload) or (parse_qs(urlsplit(ctx.url or "").query).get("v") or [None])[0]
    if not video:
        raise NotUnderstood("--url is needed: the video's address (https://www.youtube.com/watch?v=…); "
                            "comments.list does not name it")
    return youtube.comments(payload, ctx.origin, video)


def _graph(name: str, parent: bool = False) -> Reader:
    def read(payload: Any, ctx: Context) -> Extracted:
        from vigie.crawlers.extract import facebook_page

        if not parent:
            return getattr(facebook_page, name)(payload, ctx.origin)
        owner = facebook_page.object_of(payload, ctx.url)
        if owner is None:
            raise NotUnderstood("--url is needed: the address of the post or media the comments belong to")
        return getattr(facebook_page, name)(payload, ctx.origin, owner)
    return read


def _decidim_base(ctx: Context) -> str:
    return base_url(need_url(ctx, "the platform's address (Decidim payloads hold only ids)"))


def _decidim_processes(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import decidim

    out, _ = decidim.processes(payload, ctx.origin, _decidim_base(ctx))
    return out


_SPACE_IN_URL = re.compile(r"/(?:processes|assemblies|conferences|initiatives)/([^/?#]+)")


def _decidim_components(payload: Any, ctx: Context) -> Extracted:
    """One participatory space: its page, what its components carry inline, its components as links."""
    from vigie.crawlers.extract import decidim

    match = _SPACE_IN_URL.search(ctx.url or "")
    out = decidim.space_page(payload, ctx.origin, _decidim_base(ctx), match.group(1) if match else None)
    out.links = [f"component {ident} ({typename})" for ident, typename in decidim.components(payload)]
    return out


def _decidim_page(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import decidim

    match = _SPACE_IN_URL.search(ctx.url or "")
    out, _ = decidim.page(payload, ctx.origin, _decidim_base(ctx), match.group(1) if match else "process")
    return out


# --- shapes ----------------------------------------------------------------------------------------

def _youtube_kind(payload: Any) -> str | None:
    kind = payload.get("kind") if isinstance(payload, dict) else None
    if not kind:
        items = payload.get("items") if isinstance(payload, dict) else None
        first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
        kind = {"youtube#searchResult": "youtube#searchListResponse",
                "youtube#playlistItem": "youtube#playlistItemListResponse",
                "youtube#video": "youtube#videoListResponse",
                "youtube#commentThread": "youtube#commentThreadListResponse",
                "youtube#comment": "youtube#commentListResponse"}.get(first.get("kind"))
    return {"youtube#searchListResponse": "search", "youtube#playlistItemListResponse": "playlistItems",
            "youtube#videoListResponse": "videos", "youtube#commentThreadListResponse": "commentThreads",
            "youtube#commentListResponse": "comments"}.get(kind or "")


def _graph_shape(payload: Any) -> str | None:
    from vigie.crawlers.extract import facebook_page

    return facebook_page.shape(payload)


def _mastodon_shape(payload: Any) -> str | None:
    if isinstance(payload, list):
        return "statuses"
    if isinstance(payload, dict):
        if "descendants" in payload or "ancestors" in payload:
            return "context"
        if "content" in payload and "account" in payload:
            return "statuses"
    return None


def _reddit_shape(payload: Any) -> str | None:
    if isinstance(payload, list) and len(payload) == 2 and all(isinstance(p, dict) for p in payload):
        return "comments"
    if isinstance(payload, dict) and payload.get("kind") == "Listing":
        return "listing"
    return None


def _bluesky_shape(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    for key, endpoint in (("thread", "getPostThread"), ("feed", "getAuthorFeed"), ("posts", "searchPosts")):
        if key in payload:
            return endpoint
    return None


def _discourse_shape(payload: Any) -> str | None:
    if isinstance(payload, dict):
        if "topic_list" in payload:
            return "topic_list"
        if "post_stream" in payload:
            return "topic"
    return None


def _decidim_shape(payload: Any) -> str | None:
    data = payload.get("data") if isinstance(payload, dict) else None
    if isinstance(data, dict):
        if "participatoryProcesses" in data:
            return "processes"
        if "component" in data:
            return "component"
        if any(key in data for key in ("participatoryProcess", "assembly", "conference", "initiative")):
            return "components"  # one participatory space
    return None


# kind → endpoint → reader
ENDPOINTS: dict[str, dict[str, Reader]] = {
    "discourse": {"topic": _discourse_topic, "topic_list": _discourse_list},
    "mastodon": {"statuses": _mastodon_statuses, "context": _mastodon_context},
    "reddit": {"listing": _reddit_listing, "comments": _reddit_comments},
    "bluesky": {"searchPosts": _bluesky("search_posts"), "getAuthorFeed": _bluesky("author_feed"),
                "getPostThread": _bluesky("post_thread")},
    "youtube": {"search": _youtube_listing, "playlistItems": _youtube_listing, "videos": _youtube_videos,
                "commentThreads": _youtube_threads, "comments": _youtube_comments},
    "facebook_page": {"feed": _graph("posts"), "comments": _graph("comments", parent=True),
                      "instagram_media": _graph("instagram_media"),
                      "instagram_comments": _graph("instagram_comments", parent=True)},
    "decidim": {"processes": _decidim_processes, "components": _decidim_components, "component": _decidim_page},
}

SHAPES: dict[str, Callable[[Any], str | None]] = {
    "mastodon": _mastodon_shape, "reddit": _reddit_shape, "bluesky": _bluesky_shape, "youtube": _youtube_kind,
    "facebook_page": _graph_shape, "discourse": _discourse_shape, "decidim": _decidim_shape,
}
