"""Generic forums described by CSS selectors (``source.options``).

Selectors (parsel CSS; ``::attr(name)`` reads an attribute):

``thread_list`` (links to threads on a listing page, required), ``post`` (one post on a
thread page, required), ``text`` (within a post, required), ``author``, ``date`` (text or a
``datetime``/``title`` attribute), ``post_id`` (e.g. ``::attr(id)``; default: a hash of the
post), ``title`` (thread title, on the thread page), ``next_page`` (next page, on listing
and thread pages).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urljoin

from vigie.crawlers.extract._dates import parse_french, parse_iso
from vigie.crawlers.extract._items import Items
from vigie.crawlers.urls import canonical_url
from vigie.schema import make_doc_id

PLATFORM = "forum"
REQUIRED = ("thread_list", "post", "text")
SELECTORS = ("thread_list", "post", "text", "author", "date", "post_id", "title", "next_page")


def selector_problem(selector: str) -> str | None:
    """Why ``selector`` is not a parsel CSS selector, or None when it is one."""
    from parsel import Selector

    try:
        Selector(text="<html></html>").css(selector)
    except Exception as exc:
        return f"invalid CSS selector {selector!r} ({exc})"
    return None


def check_options(options: dict[str, Any]) -> list[str]:
    problems = [f"options.{name} is required (a CSS selector)" for name in REQUIRED if not options.get(name)]
    for name in SELECTORS:
        problem = selector_problem(options[name]) if options.get(name) else None
        if problem:
            problems.append(f"options.{name}: {problem}")
    return problems


def _texts(selection: Any) -> str:
    parts = selection.css("::text").getall() if selection else []
    return " ".join(" ".join(parts).split())


def _first(node: Any, selector: str | None) -> str | None:
    if not selector:
        return None
    found = node.css(selector)
    if not found:
        return None
    if "::attr(" in selector or "::text" in selector:
        value = found.get()
        return " ".join(value.split()) if value else None
    return _texts(found[:1]) or None


def _block_text(selection: Any) -> str:
    from vigie.crawlers.extract._html import node_text

    return "\n".join(node_text(node.root) for node in selection if hasattr(node.root, "tag"))


def listing(html_text: str, url: str, options: dict[str, Any]) -> dict[str, Any]:
    from parsel import Selector

    page = Selector(text=html_text or "<html></html>")
    threads = []
    for link in page.css(options["thread_list"]):
        href = link.attrib.get("href") or link.css("a::attr(href)").get()
        if href:
            threads.append(canonical_url(urljoin(url, href)))
    return {"threads": list(dict.fromkeys(threads)), "next": _next(page, url, options)}


def _next(page: Any, url: str, options: dict[str, Any]) -> str | None:
    selector = options.get("next_page")
    if not selector:
        return None
    node = page.css(selector)
    href = (node.attrib.get("href") if node else None) or (node.css("a::attr(href)").get() if node else None)
    return canonical_url(urljoin(url, href)) if href else None


def thread(html_text: str, url: str, options: dict[str, Any]) -> dict[str, Any]:
    from parsel import Selector

    page = Selector(text=html_text or "<html></html>")
    posts = []
    for node in page.css(options["post"]):
        text = _block_text(node.css(options["text"]))
        author = _first(node, options.get("author"))
        raw_date = _first(node, options.get("date"))
        if options.get("date") and "::attr(" not in options["date"]:
            attr = node.css(options["date"])
            raw_date = (attr.attrib.get("datetime") or attr.attrib.get("title") or raw_date) if attr else raw_date
        published = parse_iso(raw_date) or parse_french(raw_date)
        post_id = _first(node, options.get("post_id"))
        if not post_id:
            post_id = hashlib.blake2b(f"{author}|{raw_date}|{text}".encode(), digest_size=8).hexdigest()
        posts.append({"post_id": post_id, "author": author, "published_at": published, "text": text})
    title = _first(page, options.get("title")) or _first(page, "title")
    return {"title": title, "posts": posts, "next": _next(page, url, options)}


def post_fields(post: dict[str, Any], thread_url: str, title: str | None, first_id: str,
                is_first: bool) -> dict[str, Any]:
    base = canonical_url(thread_url)
    thread_doc = make_doc_id(PLATFORM, f"{base}#{first_id}")
    return {
        "item_id": f"{base}#{post['post_id']}",
        "platform": PLATFORM,
        "kind": "post" if is_first else "comment",
        "thread_id": thread_doc,
        "parent_id": None if is_first else thread_doc,
        "url": f"{base}#{post['post_id']}",
        "title": title if is_first else None,
        "text": post["text"],
        "published_at": post["published_at"],
        "author": {"name": post["author"], "handle": post["author"]},
    }


def thread_items(posts: list[dict[str, Any]], thread_url: str, title: str | None, first_id: str) -> Items:
    """Document fields of the posts of one thread page (without a date or a text: skipped)."""
    out = Items()
    for post in posts:
        if post["published_at"] is None:
            out.skip("no_date", f"post {post['post_id']}")
            continue
        if not post["text"]:
            out.skip("no_text", f"post {post['post_id']}")
            continue
        out.fields.append(post_fields(post, thread_url, title, first_id, post["post_id"] == first_id))
    return out
