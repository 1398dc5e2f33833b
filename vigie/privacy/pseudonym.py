"""Keyed pseudonyms for authors: the same person gets the same token on every run, so reply and
mention graphs (and influence scores) still work, but the token cannot be turned back into a name
without the key.  Public accounts (the collectivité, elected officials, institutions, media) stay
in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable

from vigie.schema import Author, Document

KEY_ENV = "VIGIE_PSEUDONYM_KEY"
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,64}(?:@[A-Za-z0-9_.-]+)?)")
PREFIX = "anon-"


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


class Pseudonymiser:
    def __init__(self, key: bytes, public_accounts: Iterable[str] = ()):
        self._key = key
        self.public = {normalise_handle(h) for h in public_accounts if h}

    def token(self, platform: str, value: str) -> str:
        digest = hmac.new(self._key, f"{platform.lower()}\x1f{normalise_handle(value)}".encode(), hashlib.sha256)
        return PREFIX + digest.hexdigest()[:16]

    def is_public(self, handle: str | None) -> bool:
        return bool(handle) and normalise_handle(handle) in self.public

    def author(self, platform: str, author: Author) -> Author:
        if author.pseudonymised or self.is_public(author.handle) or self.is_public(author.name):
            return author
        if not (author.id or author.handle or author.name or author.url):
            return author
        handle_token = self.token(platform, author.handle or author.id or author.name or author.url or "")
        return Author(
            id=self.token(platform, author.id) if author.id else None,
            handle=handle_token,
            name=handle_token,
            url=None,
            followers=author.followers,
            pseudonymised=True,
        )

    def mention(self, platform: str, handle: str) -> str:
        return handle if self.is_public(handle) or handle.startswith(PREFIX) else self.token(platform, handle)

    def document(self, doc: Document) -> Document:
        """The document with its author and the @mentions of private persons pseudonymised."""
        text = MENTION.sub(lambda m: "@" + self.mention(doc.platform, m.group(1)), doc.text) if doc.text else doc.text
        return doc.model_copy(update={
            "author": self.author(doc.platform, doc.author),
            "mentions": [self.mention(doc.platform, m) for m in doc.mentions],
            "text": text,
        })


def for_watch(watch) -> Pseudonymiser | None:
    """The pseudonymiser of a watch, or None when it keeps authors in clear."""
    if not watch.privacy.pseudonymise_authors:
        return None
    return Pseudonymiser(load_key(), [*watch.privacy.public_accounts, *watch.own_accounts])
