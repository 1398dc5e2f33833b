"""``vigie extract`` readers of saved HTML pages (web, feed, phpBB, SPIP, generic forum, t.me/s) and their
endpoint recognition: the same extraction functions as the kinds' spiders."""

from __future__ import annotations

from typing import Any

from vigie.crawlers.extract._items import Items, with_estimated_date
from vigie.crawlers.extract._saved_common import Context, NotUnderstood, Reader, html_text, need_url


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

    html = html_text(body)
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

    url = need_url(ctx, "phpBB ids come from the topic's address (viewtopic.php?t=…)")
    data = phpbb.topic_page(html_text(body), url)
    if not data["posts"]:
        raise NotUnderstood("no phpBB post in this page")
    topic = {"id": phpbb.query_param(url, "t"), "title": data["title"], "url": url}
    first = data["posts"][0]["post_id"]
    out = phpbb.topic_items(data["posts"], topic, url, first)
    out.links = [data["next"]] if data["next"] else []
    return out


def _phpbb_forum(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import phpbb

    url = need_url(ctx, "phpBB links are relative to the page's address")
    listing = phpbb.forum_page(html_text(body), url)
    if not listing["topics"] and not listing["forums"]:
        raise NotUnderstood("no phpBB topic or forum link in this page")
    return Items(links=[*listing["forums"], *(t["url"] for t in listing["topics"])]
                 + ([listing["next"]] if listing["next"] else []))


def _spip_article(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import spip

    url = need_url(ctx, "SPIP ids come from the article's address (spip.php?article12)")
    data = spip.article(html_text(body), url)
    if not data["id"]:
        raise NotUnderstood("no SPIP article id in the address or the page")
    return spip.article_items(data, url)


def _spip_listing(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import spip

    url = need_url(ctx, "SPIP links are relative to the page's address")
    links = spip.article_links(html_text(body), url, getattr(ctx.options, "article_pattern", None))
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

    url = need_url(ctx, "forum post ids are built from the thread's address")
    data = forum.thread(html_text(body), url, _forum_selectors(ctx))
    if not data["posts"]:
        raise NotUnderstood("the 'post' selector matched nothing in this page")
    out = forum.thread_items(data["posts"], url, data["title"], data["posts"][0]["post_id"])
    out.links = [data["next"]] if data["next"] else []
    return out


def _forum_listing(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import forum

    url = need_url(ctx, "forum links are relative to the page's address")
    data = forum.listing(html_text(body), url, _forum_selectors(ctx))
    if not data["threads"]:
        raise NotUnderstood("the 'thread_list' selector matched nothing in this page")
    return Items(links=data["threads"] + ([data["next"]] if data["next"] else []))


def _telegram(body: bytes, ctx: Context) -> Items:
    from vigie.crawlers.extract import telegram

    data = telegram.page(html_text(body))
    if not data["posts"]:
        raise NotUnderstood("no Telegram message in this page (a t.me/s/<channel> preview is expected)")
    out = telegram.page_items(data)
    out.links = [f"?before={data['before']}"] if data["before"] else []
    return out


# --- endpoints ------------------------------------------------------------------------------------

def _phpbb_shape(body: bytes, url: str | None) -> str:
    from vigie.crawlers.extract import phpbb

    return "topic" if phpbb.topic_page(html_text(body), url or "file:///viewtopic.php")["posts"] else "forum"


def _spip_shape(body: bytes, url: str | None) -> str:
    from vigie.crawlers.extract import spip

    return "article" if url and spip.article_id(url, html_text(body)) else "listing"


def _forum_shape(body: bytes, ctx: Context) -> str:
    from parsel import Selector

    selectors = _forum_selectors(ctx)
    return "thread" if Selector(text=html_text(body) or "<html></html>").css(selectors["post"]) else "listing"


# kind → endpoint → reader
ENDPOINTS: dict[str, dict[str, Reader]] = {
    "web": {"page": _web},
    "feed": {"feed": _feed},
    "phpbb": {"topic": _phpbb_topic, "forum": _phpbb_forum},
    "spip": {"article": _spip_article, "listing": _spip_listing},
    "forum": {"thread": _forum_thread, "listing": _forum_listing},
    "telegram": {"channel": _telegram},
}


def shape(kind: str, body: bytes, ctx: Context) -> str:
    """The endpoint of a saved page of ``kind`` (a topic or a forum listing…)."""
    finders = {"phpbb": lambda: _phpbb_shape(body, ctx.url), "spip": lambda: _spip_shape(body, ctx.url),
               "forum": lambda: _forum_shape(body, ctx)}
    return finders.get(kind, lambda: next(iter(ENDPOINTS[kind])))()
