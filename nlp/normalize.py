"""Text normalisation before the pipeline: mojibake, HTML leftovers, very long texts.

``normalize(text)`` returns the text to keep (repaired) and the text to analyse (also cut
at ``MAX_CHARS``), with the flags saying what was done:

- ``mojibake_repaired``: ftfy undid a wrong decoding ("Ã©" → "é", "â€™" → "’");
- ``html_stripped``: tags, comments, scripts and entities left by an extraction were removed;
- ``truncated``: only the first ``MAX_CHARS`` characters were analysed (the stored text stays whole).

The limit, 100,000 characters, is about 15,000 words: far above any post, comment or local news
article, far below spaCy's ``max_length`` (1,000,000), and it bounds the memory a single document
can take in a worker.  The cut falls on the last whitespace before the limit.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import ftfy

MAX_CHARS = 100_000

FLAG_MOJIBAKE = "mojibake_repaired"
FLAG_HTML = "html_stripped"
FLAG_TRUNCATED = "truncated"

_BLOCKS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|p|div|li|tr)\b[^>]*>", re.I)
# Only real HTML tag names: "Réunion <mairie> demain" or "<Les Amis du Parc>" are words, not markup.
_HTML_TAGS = ("a|abbr|address|article|aside|b|blockquote|body|br|button|caption|center|cite|code|col|colgroup|dd|"
              "del|details|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|"
              "input|ins|kbd|label|li|link|main|mark|meta|nav|noscript|ol|option|p|picture|pre|q|s|section|select|"
              "small|source|span|strike|strong|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|thead|time|"
              "title|tr|tt|u|ul|video|wbr")
_TAG = re.compile(rf"</?(?:{_HTML_TAGS})\b(\s+[^<>]*?)?\s*/?>", re.I)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
# Tells a mojibake from ordinary accents without running ftfy on every text.
_MOJIBAKE_HINT = re.compile(
    r"[ÃÂâ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
    r"|Ã[\xa0-\xbf]|\ufffd")


@dataclass
class Normalized:
    text: str                      # the repaired text, to store
    analysed: str                  # what the pipeline sees (the repaired text, cut at MAX_CHARS)
    flags: list[str] = field(default_factory=list)


def repair(text: str) -> tuple[str, list[str]]:
    """Repair mojibake and strip HTML leftovers; returns the text and the flags raised."""
    flags: list[str] = []
    if _MOJIBAKE_HINT.search(text):
        fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=False)
        if fixed != text:
            text = fixed
            flags.append(FLAG_MOJIBAKE)
    if "<" in text or "&" in text:
        stripped = strip_html(text)
        if stripped != text:
            text = stripped
            flags.append(FLAG_HTML)
    return text, flags


def strip_html(text: str) -> str:
    """Remove markup left in a text; a lone '<' or '&' in prose is kept."""
    out = _BLOCKS.sub(" ", text)
    out = _COMMENT.sub(" ", out)
    out = _BREAK.sub("\n", out)
    out = _TAG.sub("", out)
    if _ENTITY.search(out):
        out = html.unescape(out)
    if out == text:
        return text
    out = _SPACES.sub(" ", out)
    out = _BLANK_LINES.sub("\n\n", out)
    return "\n".join(line.strip() for line in out.split("\n")).strip()


def truncate(text: str, limit: int = MAX_CHARS) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", limit - 200, limit)
    return text[: cut if cut > 0 else limit], True


def normalize(text: str | None, limit: int = MAX_CHARS) -> Normalized:
    text = text or ""
    repaired, flags = repair(text)
    analysed, cut = truncate(repaired, limit)
    if cut:
        flags.append(FLAG_TRUNCATED)
    return Normalized(repaired, analysed, flags)
