"""Helpers shared by Vigie's own components."""

from __future__ import annotations

from spacy.tokens import Doc


def add_flag(doc: Doc, flag: str) -> None:
    """Append a processing flag once (``doc._.flags`` starts as None: never a shared default)."""
    flags = list(doc._.flags or [])
    if flag not in flags:
        flags.append(flag)
    doc._.flags = flags


def singular(word: str) -> str:
    """A crude French singular for matching ("poubelles" → "poubelle", "travaux" stays)."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("aux", "ss", "us", "is")):
        return word[:-1]
    return word
