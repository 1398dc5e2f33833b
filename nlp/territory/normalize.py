"""Folding of names and texts to comparable token forms (case, accents, hyphens, elision)."""

from __future__ import annotations

import re
from functools import lru_cache

from vigie import textfold

WORD = re.compile(r"[^\W_]+")
# Spelling variants folded to one form: abbreviations of saint/sainte, lez/lès/les.
_VARIANTS = {"st": "saint", "ste": "sainte", "lez": "les", "s": "saint"}


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``vigie.textfold.fold``, cached per word: "Barœul" -> "baroeul"."""
    return textfold.fold(word)


def key_token(word: str) -> str:
    """The matching form of one word (folded, spelling variants unified)."""
    folded = fold(word)
    return _VARIANTS.get(folded, folded)


def name_tokens(name: str) -> tuple[str, ...]:
    """Matching forms of a name's words: "Saint-André-lez-Lille" -> (saint, andre, les, lille)."""
    return tuple(key_token(w) for w in WORD.findall(name))


def name_key(name: str) -> str:
    return " ".join(name_tokens(name))


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Words of a text as (start, end, matching form); punctuation and spaces are dropped."""
    return [(m.start(), m.end(), key_token(m.group())) for m in WORD.finditer(text)]
