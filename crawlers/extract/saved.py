"""One saved page or payload of any kind to Documents: what ``vigie extract FILE --kind KIND`` runs.

``extract_saved(body, kind, …)`` finds the endpoint from the payload's shape (a Mastodon list of
statuses or a ``context``, a Reddit ``Listing`` or a ``[post, comments]`` pair, a YouTube ``kind``…)
unless it is given, and runs the same extraction functions as the kind's spider: the Documents, the
items skipped with their reason, the items only noted and the links a crawl would follow next.
A payload it cannot read raises ``NotUnderstood`` with a sentence saying why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vigie.crawlers.extract._api import Extracted, Origin, error_reason
from vigie.crawlers.extract._items import Items, with_estimated_date
from vigie.schema import Document


class NotUnderstood(ValueError):
    """The file is not a page or payload of this kind (or of no endpoint this kind reads)."""


@dataclass
class Saved:
    """What one saved file gave."""

    kind: str
    endpoint: str
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What a kind's reader may need beside the body."""

    kind: str
    url: str | None
    origin: Origin
    options: Any = None  # the kind's Options model (defaults, or the source's from the watch file)
    content_type: str | None = None


Reader = Callable[[Any, Context], "Extracted | Items"]


# --- helpers ---------------------------------------------------------------------------------------

def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotUnderstood(f"not valid JSON ({exc})") from None


def _html(body: bytes) -> str:
    from vigie.crawlers.extract._encoding import decode_body

    text, _ = decode_body(body)
    return text


def _need_url(ctx: Context, what: str) -> str:
    if not ctx.url:
        raise NotUnderstood(f"--url is needed: {what}")
    return ctx.url


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _documents(items: Items, ctx: Context, platform: str) -> list[Document]:
    origin = ctx.origin
    docs = []
    for fields in items.fields:
        fields = {"platform": platform, "source_id": origin.source_id, "source_kind": origin.source_kind,
                  "watch_ids": list(origin.watch_ids), "crawled_at": origin.crawled_at, **fields}
        docs.append(Document.model_validate(fields))
    return docs


# --- HTML kinds ------------------------------------------------------------------------------------

def _feed(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import feed

    result = feed.parse_feed(body, ctx.url or "file:///feed", ctx.content_type)
    if result["error"] and not result["entries"]:
        raise NotUnderstood(f"not a feed ({result['error']})")
    out = Items()
    if result.get("recovered"):
        out.note("recovered_from_malformed", "the feed is ill-formed; its entries were read leniently")
    out.fields = [feed.document_fields(entry) for entry in result["entries"]]
    return out


def _web(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import web

    html = _html(body)
    url = ctx.url or "file:///page.html"
    fields = web.page(html, url)
    out = Items(links=web.links(html, url))
    minimum = getattr(ctx.options, "min_text_chars", 0) or 0
    if "client_rendered" in fields["flags"]:
        out.skip("client_rendered", "the page is built by scripts: its HTML holds only template placeholders")
    elif len(fields["text"]) < minimum:
        out.skip("too_short", f"{len(fields['text'])} characters of main text (min_text_chars {minimum})")
    else:
        out.fields.append(with_estimated_date(fields))
    return out


def _phpbb_topic(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import phpbb

    url = _need_url(ctx, "phpBB ids come from the topic's address (viewtopic.php?t=…)")
    data = phpbb.topic_page(_html(body), url)
    if not data["posts"]:
        raise NotUnderstood("no phpBB post in this page")
    topic = {"id": phpbb.query_param(url, "t"), "title": data["title"], "url": url}
    first = data["posts"][0]["post_id"]
    out = phpbb.topic_items(data["posts"], topic, url, first)
    out.links = [data["next"]] if data["next"] else []
    return out


def _phpbb_forum(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import phpbb

    url = _need_url(ctx, "phpBB links are relative to the page's address")
    listing = phpbb.forum_page(_html(body), url)
    if not listing["topics"] and not listing["forums"]:
        raise NotUnderstood("no phpBB topic or forum link in this page")
    return Items(links=[*listing["forums"], *(t["url"] for t in listing["topics"])]
                 + ([listing["next"]] if listing["next"] else []))


def _spip_article(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import spip

    url = _need_url(ctx, "SPIP ids come from the article's address (spip.php?article12)")
    data = spip.article(_html(body), url)
    if not data["id"]:
        raise NotUnderstood("no SPIP article id in the address or the page")
    return spip.article_items(data, url)


def _spip_listing(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import spip

    url = _need_url(ctx, "SPIP links are relative to the page's address")
    links = spip.article_links(_html(body), url, getattr(ctx.options, "article_pattern", None))
    if not links:
        raise NotUnderstood("no link to a SPIP article in this page")
    return Items(links=links)


def _forum_selectors(ctx: Context) -> dict[str, Any]:
    from vigie.crawlers.extract import forum

    options = ctx.options
    selectors = {name: getattr(options, name, None) for name in forum.SELECTORS}
    if not selectors.get("post") or not selectors.get("text"):
        raise NotUnderstood("a generic forum page needs the source's selectors: --config WATCH --source ID")
    return selectors


def _forum_thread(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import forum

    url = _need_url(ctx, "forum post ids are built from the thread's address")
    data = forum.thread(_html(body), url, _forum_selectors(ctx))
    if not data["posts"]:
        raise NotUnderstood("the 'post' selector matched nothing in this page")
    out = forum.thread_items(data["posts"], url, data["title"], data["posts"][0]["post_id"])
    out.links = [data["next"]] if data["next"] else []
    return out


def _forum_listing(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import forum

    url = _need_url(ctx, "forum links are relative to the page's address")
    data = forum.listing(_html(body), url, _forum_selectors(ctx))
    if not data["threads"]:
        raise NotUnderstood("the 'thread_list' selector matched nothing in this page")
    return Items(links=data["threads"] + ([data["next"]] if data["next"] else []))


def _telegram(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import telegram

    data = telegram.page(_html(body))
    if not data["posts"]:
        raise NotUnderstood("no Telegram message in this page (a t.me/s/<channel> preview is expected)")
    out = telegram.page_items(data)
    out.links = [f"?before={data['before']}"] if data["before"] else []
    return out


def _discourse_topic(payload: Any, ctx: Context) -> Items:
    from vigie.crawlers.extract import discourse

    base = _base(_need_url(ctx, "the forum's address (Discourse payloads hold only paths)"))
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

    base = _base(_need_url(ctx, "the forum's address (Discourse payloads hold only paths)"))
    listing = discourse.topic_list(payload)
    links = [f"{base}/t/{t['slug']}/{t['id']}.json" for t in listing["topics"]]
    if listing["more"]:
        links.append(discourse.json_path(base, listing["more"]))
    return Items(links=links)


# --- API kinds -------------------------------------------------------------------------------------

def _mastodon_instance(payload: Any, ctx: Context) -> str:
    if ctx.url:
        return _base(ctx.url)
    statuses = payload if isinstance(payload, list) else (
        [*(payload.get("ancestors") or []), *(payload.get("descendants") or [])] if isinstance(payload, dict) else [])
    for status in statuses:
        if isinstance(status, dict):
            status = status.get("reblog") or status
            found = status.get("uri") or status.get("url")
            if found:
                return _base(found)
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
    return _base(_need_url(ctx, "the platform's address (Decidim payloads hold only ids)"))


def _decidim_processes(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import decidim

    out, _ = decidim.processes(payload, ctx.origin, _decidim_base(ctx))
    return out


def _decidim_components(payload: Any, ctx: Context) -> Items:
    from vigie.crawlers.extract import decidim

    return Items(links=[f"component {ident} ({typename})" for ident, typename in decidim.components(payload)])


def _decidim_page(payload: Any, ctx: Context) -> Extracted:
    from vigie.crawlers.extract import decidim

    match = re.search(r"/processes/([^/?#]+)", ctx.url or "")
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
        if "participatoryProcess" in data:
            return "components"
    return None


def _phpbb_shape(body: bytes, url: str | None) -> str:
    from vigie.crawlers.extract import phpbb

    return "topic" if phpbb.topic_page(_html(body), url or "file:///viewtopic.php")["posts"] else "forum"


def _spip_shape(body: bytes, url: str | None) -> str:
    from vigie.crawlers.extract import spip

    return "article" if url and spip.article_id(url, _html(body)) else "listing"


def _forum_shape(body: bytes, ctx: Context) -> str:
    from parsel import Selector

    selectors = _forum_selectors(ctx)
    return "thread" if Selector(text=_html(body) or "<html></html>").css(selectors["post"]) else "listing"


# kind → endpoint → (reader, reads JSON)
ENDPOINTS: dict[str, dict[str, tuple[Reader, bool]]] = {
    "web": {"page": (_web, False)},
    "feed": {"feed": (_feed, False)},
    "phpbb": {"topic": (_phpbb_topic, False), "forum": (_phpbb_forum, False)},
    "spip": {"article": (_spip_article, False), "listing": (_spip_listing, False)},
    "forum": {"thread": (_forum_thread, False), "listing": (_forum_listing, False)},
    "telegram": {"channel": (_telegram, False)},
    "discourse": {"topic": (_discourse_topic, True), "topic_list": (_discourse_list, True)},
    "mastodon": {"statuses": (_mastodon_statuses, True), "context": (_mastodon_context, True)},
    "reddit": {"listing": (_reddit_listing, True), "comments": (_reddit_comments, True)},
    "bluesky": {"searchPosts": (_bluesky("search_posts"), True), "getAuthorFeed": (_bluesky("author_feed"), True),
                "getPostThread": (_bluesky("post_thread"), True)},
    "youtube": {"search": (_youtube_listing, True), "playlistItems": (_youtube_listing, True),
                "videos": (_youtube_videos, True), "commentThreads": (_youtube_threads, True),
                "comments": (_youtube_comments, True)},
    "facebook_page": {"feed": (_graph("posts"), True), "comments": (_graph("comments", parent=True), True),
                      "instagram_media": (_graph("instagram_media"), True),
                      "instagram_comments": (_graph("instagram_comments", parent=True), True)},
    "decidim": {"processes": (_decidim_processes, True), "components": (_decidim_components, True),
                "component": (_decidim_page, True)},
}

_JSON_SHAPES: dict[str, Callable[[Any], str | None]] = {
    "mastodon": _mastodon_shape, "reddit": _reddit_shape, "bluesky": _bluesky_shape, "youtube": _youtube_kind,
    "facebook_page": _graph_shape, "discourse": _discourse_shape, "decidim": _decidim_shape,
}

PLATFORMS = {"web": "web", "feed": "web", "phpbb": "phpbb", "spip": "spip", "forum": "forum",
             "telegram": "telegram", "discourse": "discourse"}


def endpoints(kind: str) -> list[str]:
    return list(ENDPOINTS.get(kind, {}))


def extract_saved(body: bytes, kind: str, *, url: str | None = None, endpoint: str | None = None,
                  options: Any = None, source_id: str = "file", watch_ids: tuple[str, ...] = (),
                  content_type: str | None = None, platform: str | None = None) -> Saved:
    """The Documents of one saved page or payload; ``NotUnderstood`` when the file is not of this kind.
    ``platform``: the source's ``options.platform`` (HTML kinds whose fields do not name one)."""
    if kind not in ENDPOINTS:
        raise NotUnderstood(f"vigie extract does not read kind {kind!r} (it reads: {', '.join(ENDPOINTS)})")
    table = ENDPOINTS[kind]
    if endpoint is not None and endpoint not in table:
        raise NotUnderstood(f"kind {kind} has no endpoint {endpoint!r} (known: {', '.join(table)})")
    ctx = Context(kind=kind, url=url, origin=Origin(source_id, kind, watch_ids, datetime.now(UTC)),
                  options=options, content_type=content_type)
    uses_json = all(is_json for _, is_json in table.values())
    payload: Any = body
    if uses_json:
        payload = _json(body)
        problem = error_reason(payload)
        if problem is not None:
            raise NotUnderstood(f"the payload is an error answer of the platform: {problem[0]} {problem[1]}".strip())
        if endpoint is None:
            endpoint = _JSON_SHAPES[kind](payload)
            if endpoint is None:
                raise NotUnderstood(f"this JSON has the shape of no {kind} endpoint (known: {', '.join(table)}); "
                                    "name it with --endpoint")
    elif endpoint is None:
        endpoint = {"phpbb": lambda: _phpbb_shape(body, url), "spip": lambda: _spip_shape(body, url),
                    "forum": lambda: _forum_shape(body, ctx)}.get(kind, lambda: next(iter(table)))()
    reader, _ = table[endpoint]
    try:
        result = reader(payload, ctx)
    except NotUnderstood:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NotUnderstood(f"not a {kind} {endpoint} payload ({type(exc).__name__}: {exc})") from None
    saved = Saved(kind=kind, endpoint=endpoint, skipped=list(result.skipped))
    if isinstance(result, Items):
        saved.documents = _documents(result, ctx, platform or PLATFORMS.get(kind, kind))
        saved.noted, saved.links = list(result.noted), list(result.links)
    else:  # the API extractors set their platform (facebook, instagram…), as in a crawl
        saved.documents = list(result.documents)
    return saved
