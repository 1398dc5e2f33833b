"""Helpers shared by the HTML forum kinds (phpBB, SPIP, generic)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from vigie.crawlers.extract._dates import parse_french, parse_iso
from vigie.crawlers.extract._html import node_text


def query_param(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


def site_key(url: str) -> str:
    """``host/path-to-the-forum`` of a page URL: the namespace of the forum's ids."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0]
    return (parts.netloc + folder).lower()


def absolute(base: str, href: str | None) -> str | None:
    return urljoin(base, href.strip()) if href else None


def text_without(node: Any, *xpaths: str) -> str:
    """Text of ``node`` without quotes, signatures and the like (removed from a copy)."""
    if node is None:
        return ""
    from copy import deepcopy

    node = deepcopy(node)
    for xpath in xpaths:
        for found in node.xpath(xpath):
            found.drop_tree()
    return node_text(node)


def date_of(node: Any, now: datetime | None = None) -> datetime | None:
    """Date of a post: ``<time datetime>``, ``<abbr title>`` or French text."""
    if node is None:
        return None
    for value in node.xpath(".//time/@datetime | .//abbr[contains(@class,'published') or "
                            "contains(@class,'date')]/@title"):
        parsed = parse_iso(value)
        if parsed:
            return parsed
    text = " ".join(node.itertext())
    text = re.sub(r"^.*?»", "", text, count=1) if "»" in text else text
    return parse_french(text, now=now)
