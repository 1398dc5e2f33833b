"""Crawled text is hostile: make it inert before it reaches a terminal, a report, an email or a webhook.

- ``strip_controls``: no C0/C1 control character (ANSI escapes start with ESC or CSI) except tab and
  newline, and no Unicode bidirectional control (overrides, embeddings, isolates, marks), which can
  make text read differently from what it is (``U+202E`` turns ``txt.exe`` into ``exe.txt``);
- ``printable``: the same, cut to a length, for terminals;
- ``one_line``: the same on one line (headers, titles, excerpts);
- ``inert``: the same applied to every string of a JSON-like value (JSON output, webhook payloads);
- ``safe_url``: an http(s) link that cannot break out of the markup it is written in.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit

# Bidirectional controls: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 and C1 control characters except tab and newline, DEL, and the bidirectional controls.
CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")


def strip_controls(text: str | None) -> str:
    """The text without control characters (tab and newline kept) nor bidirectional controls."""
    return CONTROL.sub("", text or "")


def printable(text: str | None, limit: int | None = None) -> str:
    """The text without control characters, cut to ``limit`` characters with an ellipsis."""
    clean = strip_controls(text)
    if limit is not None and len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean


def one_line(text: str | None) -> str:
    """The text on one line: line breaks and runs of white space are one space; no control character."""
    return " ".join(CONTROL.sub("", " ".join((text or "").split())).split())


def inert(value):
    """``value`` (a JSON-like structure) with ``strip_controls`` applied to every string, keys included."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {inert(k) if isinstance(k, str) else k: inert(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [inert(v) for v in value]
    return value


_HOST = re.compile(r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?",
                   re.IGNORECASE)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters a path, query or fragment keeps as written; everything else (parentheses, brackets, quotes,
# angle brackets, |, \, backquote, braces, non-ASCII) is percent-encoded, so a link cannot end early in
# Markdown (``)``), Slack (``|``, ``>``) or HTML (``"``), nor open an image or another link.
_PATH_SAFE = "/:@!$&+,;=-._~%*"
_QUERY_SAFE = _PATH_SAFE + "?"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a link in any markup, else None.

    Refused: other schemes (``javascript:``…), white space or control characters anywhere, a user name
    or password (``https://ville.example@evil.example/`` hides where it goes), a host that is not a host
    name or an IP address.  The path, query and fragment are percent-encoded where needed.
    """
    if not url or len(url) > 4000 or re.search(rf"\s|[{BIDI}\x00-\x1f\x7f-\x9f]", url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or "@" in parts.netloc or "\\" in parts.netloc:
        return None
    host = parts.hostname or ""
    if ":" in host:                                   # an IPv6 literal (urlsplit drops the brackets)
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            return None
    elif not _HOST.fullmatch(host):
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        if not _HOST.fullmatch(host):
            return None
    netloc = host if port is None else f"{host}:{port}"

    def enc(part: str, safe: str) -> str:
        return quote(_LONE_PERCENT.sub("%25", part), safe=safe)

    out = f"{parts.scheme.lower()}://{netloc}{enc(parts.path, _PATH_SAFE)}"
    if parts.query:
        out += "?" + enc(parts.query, _QUERY_SAFE)
    if parts.fragment:
        out += "#" + enc(parts.fragment, _QUERY_SAFE)
    return out
