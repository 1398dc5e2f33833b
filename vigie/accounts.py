"""The collectivité's own accounts (``own_accounts`` of a watch), recognised on a document's author.

A watch lists its accounts by handle, platform id or display name: documents crawled from a
Facebook page through the Graph API carry the page's id and name but no handle.  An author is one
of the watch's accounts when

- its handle or its id is listed, or
- it has no handle and its name is listed (where the platform gives handles, display names are
  chosen freely and prove nothing).

Values are compared whole, ignoring case, a leading ``@`` and extra spaces: a citizen named
"Marie Ville de Lambersart" is not "Ville de Lambersart".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def normalise(value: object) -> str:
    """``value`` as compared; ``""`` for anything but a non-blank string (None, pandas' NaN)."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.strip().lstrip("@").split()).lower()


class OwnAccounts:
    """A watch's own accounts; ``match`` and ``is_author`` say whether an author is one of them."""

    def __init__(self, accounts: Iterable[str] = ()):
        self.keys = frozenset(key for key in map(normalise, accounts) if key)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __repr__(self) -> str:
        return f"OwnAccounts({sorted(self.keys)!r})"

    def match(self, handle: object = None, author_id: object = None, name: object = None) -> bool:
        handle = normalise(handle)
        if handle in self.keys or normalise(author_id) in self.keys:  # "" is never a key
            return True
        return not handle and normalise(name) in self.keys

    def is_author(self, author: object) -> bool:
        """Whether a document's ``author`` object (``{"handle", "id", "name", …}``) is an own account."""
        if not isinstance(author, Mapping):
            return False
        return self.match(author.get("handle"), author.get("id"), author.get("name"))
