"""Check what the privacy report claims: in a pseudonymising watch, no document names a private
account in clear.

``leaks(source, public)`` looks where ``vigie.privacy.pseudonym`` replaces handles (author, ``@``
and ``u/`` mentions in title and text, the ``mentions`` list, profile and post URLs in ``url``,
``canonical_url``, ``links`` and the text, Bluesky DIDs, item ids) with the same finders
(``vigie.privacy.handles``), and returns the fields where a handle that is neither a token nor a
public account is left.  The handles themselves are not returned: the report must not leak them.
"""

from __future__ import annotations

from vigie.privacy import handles
from vigie.privacy.pseudonym import FLAG, PREFIX, PublicAccounts

URL_FIELDS = ("url", "canonical_url")


def _author_in_clear(author: dict, platform: str, public: PublicAccounts) -> list[str]:
    if not any(author.get(k) for k in ("id", "handle", "name", "url")):
        return []
    handle = author.get("handle")
    if public(handle, platform) or public(author.get("id")) or (not handle and public(author.get("name"))):
        return []
    coded = all(not author.get(k) or handles.is_token(str(author[k]), PREFIX) for k in ("id", "handle", "name"))
    if coded and author.get("pseudonymised"):
        return ["author.url"] if author.get("url") else []
    return ["author"]


def leaks(source: dict, public: PublicAccounts) -> list[str]:
    """The fields of one document (an index ``_source`` or a JSON Lines record) naming an account in clear."""
    platform = str(source.get("platform") or "").lower()
    author = source.get("author") if isinstance(source.get("author"), dict) else {}
    status = str(source.get("item_id") or "").split("/", 1)[0] if platform in handles.FEDIVERSE else ""
    home = handles.hostname(status) if status else None
    found: list[str] = _author_in_clear(author, platform, public)

    def looker(field: str):
        def swap(p: str, handle: str, h: str | None) -> str:
            if not (handles.is_token(handle, PREFIX) or public(handle, p, h)) and field not in found:
                found.append(field)
            return handle
        return swap

    if handles.DID.search(str(source.get("item_id") or "")):
        found.append("item_id")
    for field in URL_FIELDS:
        if isinstance(source.get(field), str):
            handles.url_handles(source[field], platform, looker(field))
    for link in source.get("links") or []:
        if isinstance(link, str):
            handles.url_handles(link, platform, looker("links"))
    for field in ("title", "text"):
        if isinstance(source.get(field), str):
            swap = looker(field)
            handles.dids_in(handles.mentions_in(source[field], platform, home, swap), swap)
    swap = looker("mentions")
    for mention in source.get("mentions") or []:
        if isinstance(mention, str):
            swap(platform, mention, home)
    return found


def is_pseudonymised_document(source: dict) -> bool:
    return FLAG in (source.get("flags") or [])
