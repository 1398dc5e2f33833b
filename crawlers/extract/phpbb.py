"""phpBB (3.0 to 3.3, prosilver and subsilver2 markup): forum lists, topic lists, posts.

Item ids are ``<host/forum path>/p<post id>`` (phpBB's own post ids); the first post of a topic
is a ``post`` and its doc_id the ``thread_id`` of the replies (``comment``s).  Quotes
(``blockquote``) and signatures are left out of the text.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from vigie.crawlers.extract._forum import absolute, date_of, query_param, site_key, text_without
from vigie.crawlers.extract._html import node_text, parse_html
from vigie.crawlers.extract._items import Items
from vigie.crawlers.urls import canonical_url
from vigie.schema import make_doc_id

PLATFORM = "phpbb"


def item_id(page_url: str, post_id: str | int) -> str:
    return f"{site_key(page_url)}/p{post_id}"


def next_page(tree: Any, base: str) -> str | None:
    for href in tree.xpath('//a[@rel="next"]/@href | //li[contains(@class,"next")]/a/@href'):
        return canonical_url(absolute(base, href))
    return None


def forum_page(html_text: str, url: str) -> dict[str, Any]:
    """Sub-forums, topics (with the id of their last post) and the next page of a forum or index."""
    tree = parse_html(html_text)
    forums = [canonical_url(absolute(url, h)) for h in tree.xpath('//a[contains(@class,"forumtitle")]/@href')]
    topics = []
    for row in tree.xpath('//ul[contains(@class,"topics")]/li | //tr[.//a[contains(@class,"topictitle")]]'):
        link = row.xpath('.//a[contains(@class,"topictitle")]')
        if not link:
            continue
        href = absolute(url, link[0].get("href"))
        topic_id = query_param(href, "t")
        last = None
        for last_href in row.xpath('.//dd[contains(@class,"lastpost")]//a/@href | .//a[contains(@href,"#p")]/@href'):
            match = re.search(r"[?&]p=(\d+)", last_href) or re.search(r"#p(\d+)", last_href)
            if match:
                last = int(match.group(1))
        if topic_id:
            topics.append({"id": topic_id, "url": canonical_url(_strip_sid(href)),
                           "title": node_text(link[0]), "last_post_id": last})
    return {"forums": [_strip_sid(f) for f in forums], "topics": topics, "next": next_page(tree, url)}


def _strip_sid(url: str) -> str:
    return canonical_url(re.sub(r"([?&])sid=[0-9a-f]+&?", r"\1", url).rstrip("?&"))


def topic_page(html_text: str, url: str, now: datetime | None = None) -> dict[str, Any]:
    """``{"title", "posts": [{"post_id", "author", "author_url", "published_at", "text"}], "next"}``."""
    tree = parse_html(html_text)
    title = None
    for xpath in ('//h2[contains(@class,"topic-title")]', '//h2', "//title"):
        found = tree.xpath(xpath)
        if found:
            title = node_text(found[0]) or None
            break
    posts = []
    for post in tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " post ")][@id]'):
        match = re.fullmatch(r"p(\d+)", post.get("id", ""))
        if not match:
            continue
        author_link = post.xpath('.//*[contains(@class,"author")]//a[contains(@class,"username")] | '
                                 './/dl[contains(@class,"postprofile")]//a[contains(@class,"username")]')
        author_name = node_text(author_link[0]) if author_link else None
        if not author_name:
            strong = post.xpath('.//*[contains(@class,"author")]//strong')
            author_name = node_text(strong[0]) if strong else None
        content = (post.xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " content ")]')
                   # Forumotion's phpBB3 template (forumactif.com, forumieren.com…): the message in div.post-entry
                   or post.xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " post-entry ")]'))
        posts.append({
            "post_id": int(match.group(1)),
            "author": author_name,
            "author_url": (canonical_url(_strip_sid(absolute(url, author_link[0].get("href"))))
                           if author_link else None),
            "author_id": query_param(author_link[0].get("href", ""), "u") if author_link else None,
            "published_at": date_of((post.xpath('.//*[contains(@class,"author")]') or [None])[0], now),
            "text": text_without(content[0] if content else None, ".//blockquote",
                                 './/div[contains(@class,"signature")]',
                                 './/div[starts-with(@id,"p")][contains(@class,"post")]'),
        })
    return {"title": title, "posts": posts, "next": next_page(tree, url)}


def post_fields(post: dict[str, Any], topic: dict[str, Any], page_url: str, first_post_id: int) -> dict[str, Any]:
    is_first = post["post_id"] == first_post_id
    thread_id = make_doc_id(PLATFORM, item_id(page_url, first_post_id))
    topic_url = topic.get("url") or page_url
    return {
        "item_id": item_id(page_url, post["post_id"]),
        "platform": PLATFORM,
        "kind": "post" if is_first else "comment",
        "thread_id": thread_id,
        "parent_id": None if is_first else thread_id,
        "url": f"{topic_url.split('#')[0]}#p{post['post_id']}",
        "title": topic.get("title") if is_first else None,
        "text": post["text"],
        "published_at": post["published_at"],
        "author": {"id": post.get("author_id"), "handle": post["author"], "name": post["author"],
                   "url": post.get("author_url")},
    }


def topic_items(posts: list[dict[str, Any]], topic: dict[str, Any], page_url: str, first_post_id: int) -> Items:
    """Document fields of the posts of one topic page (a post without a date is skipped)."""
    out = Items()
    for post in posts:
        if post["published_at"] is None:
            out.skip("no_date", f"post {post['post_id']}")
            continue
        out.fields.append(post_fields(post, topic, page_url, first_post_id))
    return out
