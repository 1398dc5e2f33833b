"""Telegram public channels from their preview pages (``https://t.me/s/<channel>``).

Each ``div.tgme_widget_message`` with ``data-post="<channel>/<id>"`` is a post: text,
``time[datetime]``, views ("1,2K" → 1200), author (channel or signed author).  Older posts are
reached with ``?before=<id>`` (the ``tme_messages_more`` link).
"""

from __future__ import annotations

import re
from typing import Any

from vigie.crawlers.extract._dates import parse_iso
from vigie.crawlers.extract._html import node_text, parse_html
from vigie.crawlers.extract._items import Items

PLATFORM = "telegram"


def channel_of(url_or_name: str) -> str:
    match = re.search(r"t\.me/(?:s/)?([A-Za-z0-9_]{3,})", url_or_name)
    return (match.group(1) if match else url_or_name.strip().lstrip("@")).lower()


def views(text: str | None) -> int | None:
    if not text:
        return None
    match = re.match(r"\s*([\d.,]+)\s*([KkMm]?)", text)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    factor = {"k": 1_000, "m": 1_000_000}.get(match.group(2).lower(), 1)
    return round(number * factor)


def _poll_text(node: Any) -> str:
    """A poll's question and options, one a line (a poll has no message text)."""
    question = node.xpath('.//*[contains(@class,"tgme_widget_message_poll_question")]')
    if not question:
        return ""
    options = node.xpath('.//*[contains(@class,"tgme_widget_message_poll_option_text")]')
    return "\n".join([node_text(question[0]), *(f"- {node_text(o)}" for o in options)])


def page(html_text: str) -> dict[str, Any]:
    """``{"channel_title", "posts": [...], "before": id or None}`` (posts oldest first, as on the page)."""
    tree = parse_html(html_text)
    title = tree.xpath('//div[contains(@class,"tgme_channel_info_header_title")]//text()')
    posts = []
    for node in tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " tgme_widget_message ")]'
                           '[@data-post]'):
        channel, _, number = node.get("data-post", "").rpartition("/")
        if not number.isdigit():
            continue
        text_node = node.xpath('.//div[contains(@class,"tgme_widget_message_text")]')
        when = node.xpath('.//a[contains(@class,"tgme_widget_message_date")]//time/@datetime | .//time/@datetime')
        author = node.xpath('.//*[contains(@class,"tgme_widget_message_from_author")]//text()')
        owner = node.xpath('.//*[contains(@class,"tgme_widget_message_owner_name")]//text()')
        view_text = node.xpath('.//span[contains(@class,"tgme_widget_message_views")]//text()')
        link = node.xpath('.//a[contains(@class,"tgme_widget_message_date")]/@href')
        posts.append({
            "channel": channel.lower(), "id": int(number),
            "text": node_text(text_node[0]) if text_node else _poll_text(node),
            "published_at": parse_iso(when[0]) if when else None,
            "author": " ".join("".join(author).split()) or " ".join("".join(owner).split()) or None,
            "views": views(view_text[0] if view_text else None),
            "url": link[0] if link else None,
        })
    more = tree.xpath('//a[contains(@class,"tme_messages_more")]/@data-before')
    before = int(more[0]) if more and more[0].isdigit() else None
    return {"channel_title": " ".join("".join(title).split()) or None, "posts": posts, "before": before}


def post_fields(post: dict[str, Any], channel_title: str | None) -> dict[str, Any]:
    channel = post["channel"]
    return {
        "item_id": f"{channel}/{post['id']}",
        "platform": PLATFORM,
        "kind": "post",
        "url": f"https://t.me/{channel}/{post['id']}",
        "text": post["text"],
        "published_at": post["published_at"],
        "author": {"handle": channel, "name": post.get("author") or channel_title,
                   "url": f"https://t.me/{channel}"},
        "engagement": {"views": post.get("views")},
    }


def page_items(data: dict[str, Any], last: int = 0) -> Items:
    """Document fields of the posts of one preview page newer than ``last`` (media-only posts are noted)."""
    out = Items()
    for post in data["posts"]:
        if post["id"] <= last:
            continue
        if post["published_at"] is None:
            out.skip("no_date", f"message {post['id']}")
            continue
        if not post["text"]:
            out.note("media_only", f"message {post['id']}")  # photos or videos without a caption
            continue
        out.fields.append(post_fields(post, data["channel_title"]))
    return out
