"""Websites: sitemaps, links and the main content of pages.

``parse_sitemap`` reads urlset and sitemapindex files (entities never resolved), ``links``
lists the links of a page that a crawl may follow (same site, allow/deny patterns, no
binaries), and ``page`` extracts title, main text, author and dates (trafilatura, htmldate).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from vigie.crawlers.extract._dates import parse_iso, parse_rfc822
from vigie.crawlers.extract._html import main_content, parse_html
from vigie.crawlers.urls import canonical_url, same_site

PLATFORM = "web"
BINARY_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "zip", "gz", "tgz", "rar", "7z",
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "mp3", "mp4", "m4a", "ogg", "wav",
    "avi", "mov", "mkv", "webm", "flv", "exe", "dmg", "iso", "apk", "css", "js", "woff", "woff2", "ttf", "eot", "ics",
})


def parse_sitemap(body: bytes) -> dict[str, Any]:
    """``{"type": "urlset" | "sitemapindex" | None, "entries": [{"loc", "lastmod"}]}``."""
    from lxml import etree

    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz: inflate, at most 50 MB (the sitemap protocol's limit)
        import zlib

        try:
            body = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(body, 50 * 1024 * 1024)
        except zlib.error:
            return {"type": None, "entries": []}
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.lstrip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return {"type": None, "entries": []}
    kind = etree.QName(root).localname
    entries = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        values = {etree.QName(child).localname: (child.text or "").strip() for child in element
                  if isinstance(child.tag, str)}
        if values.get("loc"):
            entries.append({"loc": values["loc"], "lastmod": parse_iso(values.get("lastmod"))})
    return {"type": kind if kind in ("urlset", "sitemapindex") else None, "entries": entries}


def _compile(patterns: Any) -> list[re.Pattern]:
    if not patterns:
        return []
    if isinstance(patterns, str):
        patterns = [patterns]
    return [re.compile(p) for p in patterns]


class LinkFilter:
    """Which URLs a web crawl follows: same site as a start URL, allow/deny regexes, no binaries."""

    def __init__(self, start_urls: list[str], allow: Any = None, deny: Any = None, same_site_only: bool = True):
        self.start_urls = start_urls
        self.allow = _compile(allow)
        self.deny = _compile(deny)
        self.same_site_only = same_site_only

    def __call__(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        extension = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
        if extension in BINARY_EXTENSIONS:
            return False
        if self.same_site_only and not any(same_site(url, start) for start in self.start_urls):
            return False
        if self.deny and any(p.search(url) for p in self.deny):
            return False
        return not self.allow or any(p.search(url) for p in self.allow)


def links(html_text: str, base_url: str) -> list[str]:
    """Absolute canonical URLs of the ``<a href>`` of a page, in order, without repeats."""
    tree = parse_html(html_text)
    base = tree.xpath("//base/@href")
    base_url = urljoin(base_url, base[0].strip()) if base else base_url
    found: dict[str, None] = {}
    for a in tree.xpath("//a[@href]"):
        if "nofollow" in (a.get("rel") or "").lower():
            continue
        href = a.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            found[canonical_url(urljoin(base_url, href))] = None
        except ValueError:
            continue
    return list(found)


_TEMPLATE = re.compile(r"\{\{.{0,400}?\}\}", re.DOTALL)


def unrendered(text: str) -> bool:
    """Whether a page's main text is the placeholders of a client-side template (AngularJS, Vue:
    ``{{ctrl.content.status === "published" ? …}}``): the page is built by scripts, its static HTML
    holds no article."""
    markers = _TEMPLATE.findall(text or "")
    return len(markers) >= 3 and sum(len(m) for m in markers) > 0.3 * len(text)


def page(html_text: str, url: str, last_modified: str | None = None) -> dict[str, Any]:
    """Document fields of one page (``published_at`` may be None: the spider decides). The main text of a
    client-rendered page is left empty and the page flagged ``client_rendered``."""
    content = main_content(html_text, url)
    flags = []
    if unrendered(content["text"]):
        content = {**content, "text": ""}
        flags.append("client_rendered")
    tree = parse_html(html_text)
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    page_url = url
    if canonical and same_site(urljoin(url, canonical[0].strip()), url):
        page_url = urljoin(url, canonical[0].strip())
    published: datetime | None = content["published_at"] or parse_rfc822(last_modified)
    language = content.get("language") or (tree.xpath("//html/@lang") or [None])[0]
    return {
        "item_id": canonical_url(page_url),
        "platform": PLATFORM,
        "kind": "article" if content["published_at"] else "page",
        "url": url,
        "canonical_url": canonical_url(page_url),
        "title": content["title"],
        "text": content["text"],
        "author": {"name": content["author"]},
        "published_at": published,
        "language": (language or "")[:2].lower() or None,
        "flags": flags,
    }
