"""HTML helpers shared by the page-based kinds: main text, dates, error pages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import html as lxml_html

_ERROR_WORDS = re.compile(
    r"\b(404|403|410|500|502|503)\b|page (introuvable|non trouvée|inexistante)|n'existe (pas|plus)"
    r"|n’existe (pas|plus)|not found|erreur (interne|serveur)|accès (refusé|interdit)|forbidden"
    r"|service (indisponible|unavailable)|maintenance en cours|internal server error",
    re.IGNORECASE,
)


def parse_html(text: str) -> Any:
    """An lxml tree of possibly broken HTML (never raises on bad markup)."""
    try:
        return lxml_html.document_fromstring(text or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return lxml_html.document_fromstring("<html></html>")


def node_text(node: Any) -> str:
    """Visible text of an element: paragraphs and line breaks kept, spaces folded."""
    if node is None:
        return ""
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in node.iter("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"):
        block.tail = "\n" + (block.tail or "")
    for bad in node.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    raw = node.text_content()
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


def title_of(tree: Any) -> str | None:
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = [t.strip() for t in tree.xpath(xpath) if t.strip()]
        if found:
            return found[0]
    return None


def looks_like_error_page(html_text: str, main_text: str | None = None) -> str | None:
    """A reason when a page served with 200 is really an error page ("soft 404"), else None.

    The title or first heading names an error and the page says little else.
    """
    tree = parse_html(html_text)
    heads = " ".join(tree.xpath("//title//text()") + tree.xpath("//h1//text()"))
    if not _ERROR_WORDS.search(heads):
        return None
    body = main_text if main_text is not None else node_text(tree.find("body"))
    return "error_page" if len(body or "") < 1500 else None


def main_content(html_text: str, url: str | None = None) -> dict[str, Any]:
    """Title, main text, author and date of an article-like page (trafilatura + htmldate)."""
    import trafilatura

    result: dict[str, Any] = {"title": None, "text": "", "author": None, "published_at": None,
                              "language": None}
    doc = None
    try:
        doc = trafilatura.bare_extraction(html_text, url=url, with_metadata=True, include_comments=False,
                                          favor_precision=True, deduplicate=False)
    except Exception:
        doc = None
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        result.update(title=data.get("title"), text=(data.get("text") or "").strip(),
                      author=data.get("author"), language=data.get("language"))
        result["published_at"] = _date(data.get("date"))
    if not result["text"]:
        tree = parse_html(html_text)
        body = tree.find("body")
        result["text"] = node_text(body) if body is not None else ""
        result["title"] = result["title"] or title_of(tree)
    precise = meta_date(html_text)
    if precise is not None and (result["published_at"] is None
                                or precise.date() == result["published_at"].date()):
        result["published_at"] = precise  # same day, with the time of day
    if result["published_at"] is None:
        result["published_at"] = page_date(html_text, url)
    return result


_META_DATES = ('//meta[@property="article:published_time"]/@content', '//meta[@itemprop="datePublished"]/@content',
               '//meta[@name="date"]/@content', '//meta[@name="DC.date.issued"]/@content',
               "//article//time/@datetime", "//time[@pubdate]/@datetime")


def meta_date(html_text: str) -> datetime | None:
    """A full publication timestamp from the page's metadata, when it gives one."""
    tree = parse_html(html_text)
    for xpath in _META_DATES:
        for value in tree.xpath(xpath):
            parsed = _date(value.strip())
            if parsed is not None and "T" in value:
                return parsed
    return None


def page_date(html_text: str, url: str | None = None) -> datetime | None:
    """Publication date of a page by htmldate (original date, not the last update)."""
    from htmldate import find_date

    try:
        found = find_date(html_text, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
    except Exception:
        return None
    return _date(found)


def _date(value: str | None) -> datetime | None:
    from vigie.crawlers.extract._dates import parse_iso

    return parse_iso(value) if value else None
