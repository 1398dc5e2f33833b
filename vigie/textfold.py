"""French text folding: the one matching key of words and texts across Vigie.

``fold(text)`` is what NLP (topics, requests, keyphrases, sentiment and toxicity features, territory
names) and alerts (detection terms, saved queries, spikes) compare, and it follows the index's
``asciifolding`` where French text meets it.  The rules, in order (tests/test_textfold.py is their table):

- case: ``str.casefold`` ("Évacuation" → "évacuation" → "evacuation", "STRASSE" → "strasse");
- apostrophes: ’ ‘ ʼ ` ´ ′ become ' ("l’école" → "l'ecole");
- hyphens: the typographic hyphens U+2010 and U+2011 become "-"; the soft hyphen U+00AD is removed
  (it only marks where a word may break); dashes (– —) are kept;
- ligatures spelled out: œ → oe, æ → ae, ß → ss, and ø → o, ł → l, đ → d (no decomposition holds them);
- accents: compatibility decomposition (NFKD), combining marks removed ("ç" → "c", "ﬁ" → "fi",
  "…" → "...", "²" → "2");
- whitespace: no-break spaces (U+00A0, U+202F) become plain spaces (NFKD); nothing is collapsed, trimmed
  or split: callers tokenise.

Text that is ASCII after case folding is returned as it is (the common case, no table lookup).  Folding
is idempotent: ``fold(fold(t)) == fold(t)``.  The length may change (ligatures, "…", soft hyphens).
"""

from __future__ import annotations

import unicodedata

APOSTROPHES = "’‘ʼ`´′"
HYPHENS = "\u2010\u2011"
SOFT_HYPHEN = "\u00ad"
LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_SPECIAL = {**dict.fromkeys(APOSTROPHES, "'"), **dict.fromkeys(HYPHENS, "-"), SOFT_HYPHEN: "", **LIGATURES}


class _Table(dict):
    """``str.translate`` table, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPECIAL.get(char)
        if folded is None:
            decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            folded = "".join(_SPECIAL.get(c, c) for c in decomposed.casefold())
        self[code] = folded
        return folded


_TABLE = _Table()


def fold(text: str) -> str:
    """Case, apostrophes, hyphens, ligatures and accents folded (see the module's rules)."""
    text = text.casefold()
    return text if text.isascii() else text.translate(_TABLE)
