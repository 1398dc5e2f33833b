"""RSS 2.0, RSS 1.0, Atom (feedparser) and JSON Feed 1.x: entries as Document fields.

``parse_feed(body, url)`` never raises: a broken feed gives ``error`` and whatever entries
could be recovered (feedparser's lenient parser reads most truncated or ill-formed XML).
Entries are ``kind: article`` on platform ``web`` with the canonical link as ``item_id``,
so the same article found by a feed and by a website crawl is one Document.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from vigie.crawlers.extract._dates import from_struct, parse_iso
from vigie.crawlers.extract._encoding import fix_mojibake
from vigie.crawlers.extract._html import node_text, parse_html
from vigie.crawlers.extract._items import with_estimated_date
from vigie.crawlers.urls import canonical_url

PLATFORM = "web"


def html_to_text(value: str | None) -> str:
    if not value:
        return ""
    if "<" not in value:
        return " ".join(value.split())
    return node_text(parse_html(f"<html><body>{value}</body></html>").find("body"))


def looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head
                                                               and b"<feed" not in head)


def is_json_feed(body: bytes, content_type: str | None = None) -> bool:
    if content_type and "json" in content_type:
        return True
    return body[:200].lstrip().startswith(b"{")


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> dict[str, Any]:
    """``{"title", "language", "entries": [fields…], "error": str | None}``."""
    if is_json_feed(body, content_type):
        return parse_json_feed(body, url)
    if looks_like_html(body):
        return {"title": None, "language": None, "entries": [], "error": "not_a_feed"}
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url,
                                                      "content-type": content_type or "application/xml"})
    redecoded = _redecoded(body, parsed)
    if redecoded is not None:
        parsed = feedparser.parse(redecoded, response_headers={"content-location": url})
    feed = parsed.get("feed", {})
    language = (feed.get("language") or "")[:2].lower() or None
    entries = [e for e in (_entry(entry, url, language) for entry in parsed.entries) if e]
    error = None
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        error = "malformed_feed"  # nothing recognisable as RSS or Atom
    return {"title": feed.get("title"), "language": language, "entries": entries, "error": error,
            "recovered": bool(parsed.get("bozo") and entries)}


def content_id(feed_url: str, *parts: Any) -> str:
    """A stable id for an entry without link or guid: the feed's address and a hash of its content
    (title, summary and date as the feed gives them), so the entry is the same item on every fetch."""
    digest = hashlib.blake2b("\x1f".join(str(p or "") for p in parts).encode("utf-8", "surrogatepass"),
                             digest_size=12).hexdigest()
    return f"{canonical_url(feed_url) or feed_url}#entry-{digest}"


# Single-byte Western charsets: a feed that is none of them gets feedparser's own Windows-1252 fallback,
# which is what a feed reader shows (a detector guessing among them on a short French text errs more).
_WESTERN = {"ascii", "utf_8", "cp1252", "cp1250", "cp1254", "latin_1", "iso8859_2", "iso8859_9", "iso8859_15",
            "mac_roman", "mac_latin2", "cp850", "cp437"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _redecoded(body: bytes, parsed: Any) -> str | None:
    """The feed's text when feedparser had to fall back to guessing its charset (no usable declaration,
    no BOM, not UTF-8) and the bytes are clearly of another script (KOI8-R, Big5, Shift_JIS, EUC-KR,
    Windows-1255…): decoded as charset_normalizer detects it, as feed readers with a detector do."""
    if not parsed.get("bozo") or body.startswith(_BOMS):
        return None
    exception = type(parsed.get("bozo_exception")).__name__
    if exception not in {"CharacterEncodingOverride", "CharacterEncodingUnknown"}:
        return None
    if str(parsed.get("encoding") or "").lower() not in {"windows-1252", "iso-8859-2", "utf-8"}:
        return None  # a declared charset was used (the HTTP header overriding the XML declaration)
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is None or best.encoding in _WESTERN:
        return None
    return str(best)


def _entry(entry: Any, feed_url: str, language: str | None) -> dict[str, Any] | None:
    link = entry.get("link")
    guid = entry.get("id") or entry.get("guid")
    content = ""
    if entry.get("content"):
        content = html_to_text(max((c.get("value") or "" for c in entry["content"]), key=len))
    summary = html_to_text(entry.get("summary"))
    title = html_to_text(entry.get("title")) or None
    repaired = [fix_mojibake(t) if t else t for t in (content, summary, title)]  # UTF-8 read as Latin-1 upstream
    mojibake = repaired != [content, summary, title]
    content, summary, title = repaired
    if link and not link.startswith(("http://", "https://")):
        link = None  # mailto:, javascript:, a bare word: not an address to fetch
    enclosures = [e.get("href") for e in entry.get("enclosures") or [] if isinstance(e, dict) and e.get("href")]
    raw = " ".join(c.get("value") or "" for c in entry.get("content") or []) + (entry.get("summary") or "")
    media = bool(enclosures) or "<img" in raw.lower()  # a podcast episode, a photo without a caption
    if not (content or summary or title or link or guid or media):
        return None  # nothing a reader would show
    author = entry.get("author_detail") or {}
    published = from_struct(entry.get("published_parsed")) or from_struct(entry.get("updated_parsed"))
    if link:
        ident = canonical_url(link)
    elif guid:
        ident = str(guid)
    elif enclosures:
        ident = canonical_url(enclosures[0]) or enclosures[0]
    else:
        ident = content_id(feed_url, entry.get("title"), raw, entry.get("published") or entry.get("updated"))
    fields: dict[str, Any] = {
        "item_id": ident,
        "platform": PLATFORM,
        "kind": "article",
        "url": link,
        "title": title,
        "text": content or summary or title or "",
        "published_at": published,
        "language": language,
        "author": {"name": author.get("name") or entry.get("author"), "url": author.get("href")},
        "_summary_only": not content,
    }
    if mojibake:
        fields["flags"] = ["mojibake_repaired"]
    return fields


def parse_json_feed(body: bytes, url: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {"title": None, "language": None, "entries": [], "error": "invalid_json"}
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/"):
        return {"title": None, "language": None, "entries": [], "error": "not_a_feed"}
    language = (data.get("language") or "")[:2].lower() or None
    entries = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        guid = item.get("id")
        content = (item.get("content_text") or "").strip() or html_to_text(item.get("content_html"))
        summary = (item.get("summary") or "").strip()
        if not (content or summary or item.get("title") or link or guid is not None):
            continue
        if link is None and guid is None:
            guid = content_id(url, item.get("title"), content or summary, item.get("date_published"))
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = authors[0] if authors and isinstance(authors[0], dict) else {}
        published = parse_iso(item.get("date_published")) or parse_iso(item.get("date_modified"))
        entries.append({
            "item_id": canonical_url(link) if link else str(guid),
            "platform": PLATFORM,
            "kind": "article",
            "url": link,
            "title": (item.get("title") or "").strip() or None,
            "text": content or summary,
            "published_at": published,
            "language": (item.get("language") or "")[:2].lower() or language,
            "author": {"name": author.get("name"), "url": author.get("url")},
            "_summary_only": not content,
        })
    return {"title": data.get("title"), "language": language, "entries": entries, "error": None}


def needs_page(entry: dict[str, Any], min_chars: int = 400) -> bool:
    """Follow the link to the page when the entry only has a short summary."""
    return bool(entry.get("url")) and entry.get("_summary_only", False) and len(entry.get("text") or "") < min_chars


def merge_page(entry: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    """The entry with the main text (and missing title, author, date) of its page."""
    merged = dict(entry)
    if page.get("text") and len(page["text"]) > len(entry.get("text") or ""):
        merged["text"] = page["text"]
    merged["title"] = entry.get("title") or page.get("title")
    if not (entry.get("author") or {}).get("name") and page.get("author"):
        merged["author"] = {**(entry.get("author") or {}), "name": page["author"]}
    if entry.get("published_at") is None and isinstance(page.get("published_at"), datetime):
        merged["published_at"] = page["published_at"]
    merged["language"] = entry.get("language") or page.get("language")
    return merged


def document_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its private keys (those starting with ``_``); without a date, the date of the
    crawl stands for it (flagged ``published_at_estimated``)."""
    return with_estimated_date({k: v for k, v in entry.items() if not k.startswith("_")})
