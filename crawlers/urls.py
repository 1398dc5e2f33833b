"""Canonical URLs: the same page gets the same identity whatever link led to it.

``canonical_url`` lowercases the scheme and host, drops default ports, fragments and
tracking parameters (``utm_*``, ``fbclid``, ``gclid``…), sorts the query and
percent-encodes it safely (w3lib's ``safe_url_string``).  Spiders use it to build ``item_id``s of pages,
so a link with ``?utm_source=newsletter`` and the plain link are one Document.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import safe_url_string

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "xtor", "at_medium", "at_campaign",
    "ref_src", "ref_url", "spm", "s_cid", "oly_enc_id", "oly_anon_id", "vero_id", "wt_mc",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL (other schemes are returned unchanged).

    Query items are sorted but otherwise kept as they are: ``spip.php?article12`` keeps its
    valueless item (``article12=`` would be another URL for some servers).
    """
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    items = [item for item in re.split(r"[&;]", parts.query) if item]
    items = sorted(item for item in items if not _is_tracking(unquote_plus(item.split("=", 1)[0])))
    path = re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), parts.path or "/")
    return urlunsplit((scheme, netloc, path, "&".join(items), ""))


def same_site(url: str, other: str) -> bool:
    """True when both URLs have the same host (ignoring a leading ``www.``)."""
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").lower().removeprefix("www.")
    return host(url) == host(other)
