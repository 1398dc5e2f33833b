"""SPIP sites: articles and their public forums (SPIP 3 and 4 ``dist`` markup, older ``forum`` classes).

The article is an ``article``; each forum message a ``comment`` whose ``thread_id`` is the
article's doc_id and ``parent_id`` the message it answers (nested lists) or the article.
Item ids: ``<host/path>/article<N>`` and ``<host/path>/forum<M>`` (SPIP's own ids).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from vigie.crawlers.extract._forum import absolute, date_of, site_key, text_without
from vigie.crawlers.extract._html import main_content, node_text, parse_html
from vigie.crawlers.extract._items import Items
from vigie.crawlers.urls import canonical_url
from vigie.schema import make_doc_id

PLATFORM = "spip"
ARTICLE_LINK = re.compile(r"(spip\.php\?article(\d+)|[/-]article(\d+)(\.html)?$|\?id_article=(\d+))")
# SPIP 3 ("comment hentry" with id="forumN") and SPIP 2 ("forum-message" whose anchor name="forumN" or
# id="forumN" sits in its title, date and author only in the text of a <small>) markup.
_ANCHOR = './/a[starts-with(@name,"forum") or starts-with(@id,"forum")]'
_NUMBERED = './/*[contains(@class,"forum-texte-") or contains(@class,"forum-qui-")]'  # "crayons" classes
_MESSAGE_XPATH = ('//div[contains(@class,"comment") and starts-with(@id,"forum")] | '
                  f'//div[contains(@class,"forum-message")][starts-with(@id,"forum") or {_ANCHOR} or {_NUMBERED}]')


def _class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def _message_id(node: Any) -> str | None:
    candidates = [node.get("id") or ""]
    for anchor in node.xpath(_ANCHOR)[:1]:  # its own anchor comes before any nested reply's
        candidates += [anchor.get("name") or "", anchor.get("id") or ""]
    for ident in candidates:
        match = re.fullmatch(r"forum(\d+)", ident)
        if match:
            return match.group(1)
    for marked in node.xpath(_NUMBERED)[:1]:  # class="crayon forum-texte-37729": the id of the message
        match = re.search(r"\bforum-(?:texte|qui)-(\d+)\b", marked.get("class") or "")
        if match:
            return match.group(1)
    return None


_BY = re.compile(r",?\s+par\s+(.+?)\s*$", re.IGNORECASE | re.DOTALL)


def article_id(url: str, html_text: str | None = None) -> str | None:
    match = ARTICLE_LINK.search(url)
    if match:
        return next(g for g in match.groups()[1:] if g and g.isdigit())
    if html_text:
        found = re.search(r"article[-_](?:texte|titre|chapo)[-_](\d+)", html_text)
        if found:
            return found.group(1)
    return None


def article_links(html_text: str, url: str, pattern: str | None = None) -> list[str]:
    regex = re.compile(pattern) if pattern else ARTICLE_LINK
    tree = parse_html(html_text)
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        full = absolute(url, href)
        if full and regex.search(full.split("#")[0]):
            seen[canonical_url(full)] = None
    return list(seen)


def article(html_text: str, url: str) -> dict[str, Any]:
    """Title, text, author, date of the article and its forum messages."""
    tree = parse_html(html_text)
    title_node = tree.xpath('//h1[contains(@class,"titre") or contains(@class,"entry-title")] | //h1')
    texts = tree.xpath(f'//div[{_class("chapo")} or {_class("texte")}]'
                       '[not(ancestor::div[contains(@class,"comment") or contains(@class,"forum")])]')
    text = "\n\n".join(t for t in (node_text(n) for n in texts) if t)
    info = tree.xpath('//*[contains(@class,"info-publi")]')
    author = tree.xpath('//*[contains(@class,"info-publi")]//*[contains(@class,"fn")] | '
                        '//*[contains(@class,"info-publi")]//*[contains(@class,"auteurs")]//a')
    published = date_of(info[0]) if info else None
    fallback = None
    if not text or published is None:
        fallback = main_content(html_text, url)
        text = text or fallback["text"]
        published = published or fallback["published_at"]
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    return {
        "id": article_id(url, html_text),
        "url": canonical_url(absolute(url, canonical[0])) if canonical else canonical_url(url),
        "title": node_text(title_node[0]) if title_node else (fallback or {}).get("title"),
        "text": text,
        "author": node_text(author[0]) if author else None,
        "published_at": published,
        "language": ((tree.xpath("//html/@lang") or [""])[0][:2].lower() or None),
        "messages": messages(tree),
    }


def _first(nodes: list[Any], xpath: str) -> Any:
    return next((found for node in nodes for found in node.xpath(xpath)), None)


def _fil_messages(tree: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    """Forums whose message block holds only title and text, its anchor, author and date sitting beside
    it in the ``li.forum-fil`` (``<div class="forum-top"><a name="forum226836">…<b class="forum-qui-…">
    Red Bastard</b> (22 juin 2018 @11h29)``), replies in a nested ``<ul>``."""
    found = []
    for item in tree.xpath('//li[contains(@class,"forum-fil")]'):
        own = item.xpath('./*[not(self::ul or self::ol)]')  # this message, not its replies
        anchors = [a for node in own for a in node.xpath('descendant-or-self::a[starts-with(@name,"forum") '
                                                         'or starts-with(@id,"forum")]')]
        ident = next((m.group(1) for a in anchors for m in [re.fullmatch(r"forum(\d+)", a.get("name") or
                                                                       a.get("id") or "")] if m), None)
        if ident is None:
            continue
        above = item.xpath('ancestor::li[contains(@class,"forum-fil")][1]')
        parent = None
        if above:
            parent_anchors = above[0].xpath('./*[not(self::ul or self::ol)]//a[starts-with(@name,"forum")]/@name')
            match = re.fullmatch(r"forum(\d+)", parent_anchors[0]) if parent_anchors else None
            parent = match.group(1) if match else None
        author = _first(own, 'descendant-or-self::*[contains(@class,"forum-qui") or contains(@class,"forum-auteur") '
                       'or contains(@class,"fn")]')
        when = _first(own, 'descendant-or-self::*[contains(@class,"forum-nav") or contains(@class,"forum-date")]')
        body = _first(own, 'descendant-or-self::*[contains(@class,"forum-texte")]')
        title = _first(own, 'descendant-or-self::*[contains(@class,"forum-titre")]')
        found.append({
            "id": ident, "parent": parent if parent != ident else None,
            "author": node_text(author) if author is not None else None,
            "published_at": date_of(when, now) if when is not None else None,
            "title": node_text(title) if title is not None else None,
            "text": text_without(body),
        })
    return found


def messages(tree: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    """The forum messages of an article page, read as message blocks or, when that finds fewer dated
    messages, as ``li.forum-fil`` items (anchor, author and date beside the block)."""
    found = _block_messages(tree, now)
    if tree.xpath('//li[contains(@class,"forum-fil")]'):
        by_item = _fil_messages(tree, now)
        if sum(m["published_at"] is not None for m in by_item) > sum(m["published_at"] is not None for m in found):
            return by_item
    return found


def _block_messages(tree: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    found = []
    for node in tree.xpath(_MESSAGE_XPATH):
        ident = _message_id(node)
        if not ident:
            continue
        # a reply sits in a <ul> inside the <li> of the message it answers
        above = node.xpath('ancestor::li[2]/div[contains(@class,"comment") or contains(@class,"forum-message")]')
        parent = _message_id(above[0]) if above else None
        meta = node.xpath('.//*[contains(@class,"comment-meta") or contains(@class,"forum-date")] | '
                          './/*[contains(@class,"forum-chapo")]//small')
        author = node.xpath('.//*[contains(@class,"fn")] | .//*[contains(@class,"forum-auteur")] | '
                            './/*[contains(@class,"author")]//strong')
        byline = _BY.search(node_text(meta[0])) if meta and not author else None
        body = node.xpath('.//*[contains(@class,"comment-texte") or contains(@class,"forum-texte") or '
                          'contains(@class,"comment-content")]')
        title = node.xpath('.//*[contains(@class,"comment-titre") or contains(@class,"forum-titre")]')
        found.append({
            "id": ident,
            "parent": parent if parent != ident else None,
            "author": node_text(author[0]) if author else (byline.group(1) if byline else None),
            "published_at": date_of(meta[0] if meta else node, now),
            "title": node_text(title[0]) if title else None,
            "text": text_without(body[0] if body else None, './/*[contains(@class,"comment-meta")]'),
        })
    return found


def article_fields(data: dict[str, Any], page_url: str) -> dict[str, Any]:
    key = site_key(page_url)
    return {
        "item_id": f"{key}/article{data['id']}",
        "platform": PLATFORM,
        "kind": "article",
        "url": data["url"],
        "title": data["title"],
        "text": data["text"],
        "published_at": data["published_at"],
        "language": data.get("language"),
        "author": {"name": data.get("author")},
    }


def message_fields(message: dict[str, Any], data: dict[str, Any], page_url: str) -> dict[str, Any]:
    key = site_key(page_url)
    thread_id = make_doc_id(PLATFORM, f"{key}/article{data['id']}")
    parent = make_doc_id(PLATFORM, f"{key}/forum{message['parent']}") if message.get("parent") else thread_id
    return {
        "item_id": f"{key}/forum{message['id']}",
        "platform": PLATFORM,
        "kind": "comment",
        "thread_id": thread_id,
        "parent_id": parent,
        "url": f"{data['url']}#forum{message['id']}",
        "title": message.get("title"),
        "text": message["text"],
        "published_at": message["published_at"],
        "language": data.get("language"),
        "author": {"name": message.get("author"), "handle": message.get("author")},
    }


def article_items(data: dict[str, Any], page_url: str) -> Items:
    """Document fields of one article page: the article, then its forum messages (without a date: skipped)."""
    out = Items()
    if not data["id"]:
        out.skip("not_an_article", "no SPIP article id")
        return out
    if data["published_at"] is not None:
        out.fields.append(article_fields(data, page_url))
    else:
        out.skip("no_date", f"article {data['id']}")
    for message in data["messages"]:
        if message["published_at"] is None:
            out.skip("no_date", f"forum message {message['id']}")
            continue
        out.fields.append(message_fields(message, data, page_url))
    return out
