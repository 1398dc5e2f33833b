"""Keyed pseudonyms for authors: the same person gets the same token on every run, so reply and
mention graphs (and influence scores) still work, but the token cannot be turned back into a name
without the key.  Public accounts (the collectivité, elected officials, institutions, media) stay
in clear.

A handle is pseudonymised wherever it appears (``vigie.privacy.handles``): the author, ``@mentions``
and ``u/name`` in title and text, the ``mentions`` list, profile and post URLs (the document's own
``url``/``canonical_url``, ``links``, links in the text), Bluesky DIDs.  One account gets one token,
whether it appears as an author or as a mention.  Per platform, the document's own link:

- Mastodon: ``https://<instance>/statuses/<id>`` on the instance that served it (no handle, resolves);
- Bluesky: no web link without a handle or DID exists: ``url`` is dropped; the at-uri (which holds the
  DID) is replaced by a keyed reference, and so are the thread and parent ids of every Bluesky document,
  so threads still join;
- Telegram (a channel not in the public accounts): ``t.me/<channel>/<id>`` is dropped, the item id
  (``<channel>/<id>``) is replaced by a keyed reference;
- Reddit, YouTube, Instagram, Facebook, Discourse, Decidim, forums, web: their post links carry no
  author handle and are kept (a handle found in one anyway is replaced by its token).

Every document written by a pseudonymising watch is flagged ``pseudonymised``: the index writer never
lets a clear copy of the same item replace it (``vigie.indexes.writer``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable

from vigie.privacy import handles
from vigie.schema import Author, Document, make_doc_id

KEY_ENV = "VIGIE_PSEUDONYM_KEY"
MENTION = handles.MENTION
PREFIX = "anon-"
FLAG = "pseudonymised"
_ID_REMAPPED = {"bluesky"}          # platforms whose item ids always name the account (at-uri with a DID)
_ID_NAMES_AUTHOR = {"telegram"}     # platforms whose item ids name the author (``<channel>/<id>``)
_DROP_URL = {"bluesky", "telegram"}  # platforms with no permalink free of the handle
_STATUS_ID = re.compile(r"^([^/\s]+)/(\d+)$")


class PseudonymKeyMissing(RuntimeError):
    pass


def load_key() -> bytes:
    key = os.environ.get(KEY_ENV, "")
    if len(key) < 16:
        raise PseudonymKeyMissing(
            f"privacy.pseudonymise_authors is on but {KEY_ENV} is {'too short' if key else 'not set'}: "
            "set it to a random secret of at least 16 characters (e.g. `openssl rand -hex 32`) and keep it: "
            "changing it changes every pseudonym"
        )
    return key.encode()


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


class PublicAccounts:
    """Whether a handle is one of the accounts kept in clear (a watch's public and own accounts), as written
    or as the platform's account key."""

    def __init__(self, accounts: Iterable[str]):
        self.keys = {normalise_handle(a) for a in accounts if a}

    def __call__(self, handle: str | None, platform: str | None = None, home: str | None = None) -> bool:
        if not handle:
            return False
        if normalise_handle(handle) in self.keys:
            return True
        return platform is not None and handles.account_key(platform, handle, home) in self.keys


class Pseudonymiser:
    def __init__(self, key: bytes, public_accounts: Iterable[str] = ()):
        self._key = key
        self.public = PublicAccounts(public_accounts)

    def token(self, platform: str, value: str, home: str | None = None) -> str:
        """The token of an account: ``value`` is its handle (or id), normalised per platform."""
        key = handles.account_key(platform, value, home)
        digest = hmac.new(self._key, f"{platform.lower()}\x1f{key}".encode(), hashlib.sha256)
        return PREFIX + digest.hexdigest()[:16]

    def is_public(self, handle: str | None, platform: str | None = None, home: str | None = None) -> bool:
        return self.public(handle, platform, home)

    def is_public_author(self, platform: str, author: Author, home: str | None = None) -> bool:
        """Listed by handle or id; by display name only when the platform gives no handle (as
        ``vigie.accounts`` recognises own accounts: a display name is chosen freely)."""
        if self.is_public(author.handle, platform, home) or self.is_public(author.id):
            return True
        return not author.handle and self.is_public(author.name)

    def swap(self, platform: str, handle: str, home: str | None = None) -> str:
        """What replaces one handle: itself for a token or a public account, else its token."""
        if handles.is_token(handle, PREFIX) or self.is_public(handle, platform, home):
            return handle
        return self.token(platform, handle, home)

    def mention(self, platform: str, handle: str, home: str | None = None) -> str:
        return self.swap(platform, handle, home)

    def author(self, platform: str, author: Author, home: str | None = None) -> Author:
        if self.is_public_author(platform, author, home):
            return author
        if not (author.id or author.handle or author.name or author.url):
            return author

        def done(value: str | None) -> bool:
            return value is None or handles.is_token(value, PREFIX)

        if author.handle and done(author.handle) and done(author.id) and done(author.name) and not author.url:
            return author if author.pseudonymised else author.model_copy(update={"pseudonymised": True})
        # Whatever the input says (``pseudonymised`` may come from an imported file), a clear value is coded.
        source = author.handle or author.id or author.name or author.url or ""
        handle_token = source if done(source) else self.token(platform, source, home)
        return Author(
            id=(author.id if done(author.id) else self.token(platform, author.id)) if author.id else None,
            handle=handle_token,
            name=handle_token,
            url=None,
            followers=author.followers,
            pseudonymised=True,
        )

    def _ref(self, platform: str, doc_id: str) -> str:
        """A keyed item id standing for the item whose clear doc id is ``doc_id``."""
        digest = hmac.new(self._key, f"item\x1f{platform}\x1f{doc_id}".encode(), hashlib.sha256)
        return PREFIX + digest.hexdigest()[:32]

    def _doc_ref(self, platform: str, doc_id: str | None) -> str | None:
        return make_doc_id(platform, self._ref(platform, doc_id)) if doc_id else None

    def document(self, doc: Document) -> Document:
        """The document with every handle of a private account pseudonymised (see the module doc)."""
        platform = doc.platform.lower()
        home = fediverse_home(doc)
        clear = tuple(v for v in (doc.author.handle, doc.author.id) if v and not self.is_public(v, platform, home))
        author = self.author(platform, doc.author, home)

        def swap(p: str, handle: str, h: str | None) -> str:
            return self.swap(p, handle, h)

        def scrub(url: str | None) -> str | None:
            return handles.url_handles(url, platform, swap, clear) if url else url

        def in_text(text: str | None) -> str | None:
            if not text:
                return text
            return handles.dids_in(handles.mentions_in(text, platform, home, swap, clear), swap)

        update: dict = {
            "author": author,
            "mentions": [self.mention(platform, m, home) for m in doc.mentions],
            "text": in_text(doc.text),
            "title": in_text(doc.title),
            "links": [scrub(link) for link in doc.links],
            "url": self._own_url(doc, doc.url, scrub, author),
            "canonical_url": self._own_url(doc, doc.canonical_url, scrub, author),
            "flags": doc.flags if FLAG in doc.flags else [*doc.flags, FLAG],
        }
        remapped = doc.item_id.startswith(PREFIX)   # applying twice changes nothing
        if not remapped and (platform in _ID_REMAPPED or (platform in _ID_NAMES_AUTHOR and author.pseudonymised)):
            update.update(item_id=self._ref(platform, doc.doc_id), doc_id="",
                          thread_id=self._doc_ref(platform, doc.thread_id),
                          parent_id=self._doc_ref(platform, doc.parent_id))
            return Document.model_validate({**doc.model_dump(), **update,
                                            "author": author.model_dump()})
        return doc.model_copy(update=update)

    def _own_url(self, doc: Document, url: str | None, scrub, author: Author) -> str | None:
        """The document's own link, free of handles: kept when it has none, else the platform's
        handle-free permalink, else dropped."""
        if not url:
            return url
        platform = doc.platform.lower()
        if platform in _DROP_URL and (author.pseudonymised or scrub(url) != url):
            return None
        cleaned = scrub(url)
        if cleaned == url:
            return url
        status = _STATUS_ID.match(doc.item_id) if platform in handles.FEDIVERSE else None
        if status:
            return f"https://{status.group(1)}/statuses/{status.group(2)}"
        return cleaned


def fediverse_home(doc: Document) -> str | None:
    """The instance a bare ``@name`` in a fediverse document belongs to: the author's own instance,
    else the instance that served the document (``<host>/<id>`` item ids)."""
    if doc.platform.lower() not in handles.FEDIVERSE:
        return None
    if doc.author.handle and "@" in doc.author.handle.lstrip("@"):
        return doc.author.handle.lstrip("@").rpartition("@")[2].split(":")[0].lower()
    status = _STATUS_ID.match(doc.item_id)
    return handles.hostname(status.group(1)) if status else None


def for_watch(watch) -> Pseudonymiser | None:
    """The pseudonymiser of a watch, or None when it keeps authors in clear."""
    if not watch.privacy.pseudonymise_authors:
        return None
    return Pseudonymiser(load_key(), [*watch.privacy.public_accounts, *watch.own_accounts])
