"""The index's French analysis, re-implemented for the offline saved-query evaluator.

``vigie_french`` runs: standard tokenizer, elision, lowercase, French stop words, light French stemming
(Savoy's algorithm, as in Lucene's ``FrenchLightStemmer``), ASCII folding.  This module follows the same
steps so that a saved query matches the same documents offline as in Elasticsearch; the tests compare
both on the real node.  Written from the published algorithm (J. Savoy, *A stemming procedure and
stopword list for general French corpora*, 1999) and the filter order above.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vigie.stopwords import ELASTICSEARCH_FRENCH as STOP  # the `_french_` list of the index's analyzer
from vigie.textfold import fold

WORD = re.compile(r"[^\W_]+", re.UNICODE)
ELISION = re.compile(r"\b(?:l|m|t|qu|n|s|j|d|c|jusqu|quoiqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_NORM = str.maketrans({"à": "a", "á": "a", "â": "a", "ô": "o", "è": "e", "é": "e", "ê": "e", "ù": "u", "û": "u",
                       "î": "i", "ç": "c"})


def _norm(s: str) -> str:
    if len(s) > 4:
        s = s.translate(_NORM)
        out = [s[0]]
        for ch in s[1:]:
            if not (ch == out[-1] and ch.isalpha()):
                out.append(ch)
        s = "".join(out)
    if len(s) > 4 and s.endswith("ie"):
        s = s[:-2]
    if len(s) > 4:
        if s[-1] == "r":
            s = s[:-1]
        if s[-1] == "e":
            s = s[:-1]
        if s[-1] == "e":
            s = s[:-1]
        if len(s) > 1 and s[-1] == s[-2] and s[-1].isalpha():
            s = s[:-1]
    return s


@lru_cache(maxsize=100_000)
def light_stem(s: str) -> str:
    n = len(s)
    if n > 5 and s[-1] == "x":
        if s[-3] == "a" and s[-2] == "u" and s[-4] != "e":
            s = s[:-2] + "l" + s[-1]
        s, n = s[:-1], n - 1
    if n > 3 and s[-1] == "x":
        s, n = s[:-1], n - 1
    if n > 3 and s[-1] == "s":
        s, n = s[:-1], n - 1
    if n > 9 and s.endswith("issement"):
        return _norm(s[:-6][:-1] + "r")
    if n > 8 and s.endswith("issant"):
        return _norm(s[:-4][:-1] + "r")
    if n > 6 and s.endswith("ement"):
        s = s[:-4]
        if len(s) > 3 and s.endswith("ive"):
            s = s[:-2] + "f"
        return _norm(s)
    if n > 11 and s.endswith("ficatrice"):
        return _norm(s[:-5][:-2] + "er")
    if n > 10 and s.endswith("ficateur"):
        return _norm(s[:-4][:-2] + "er")
    if n > 9 and s.endswith("catrice"):
        return _norm(s[:-3][:-4] + "quer")
    if n > 8 and s.endswith("cateur"):
        return _norm(s[:-2][:-4] + "quer")
    if n > 8 and s.endswith("atrice"):
        return _norm(s[:-4][:-2] + "er")
    if n > 7 and s.endswith("ateur"):
        return _norm(s[:-3][:-2] + "er")
    if n > 6 and s.endswith("trice"):
        s = s[:-1][:-3] + "eur"
        n = len(s)
    if n > 5 and s.endswith("ième"):
        return _norm(s[:-4])
    if n > 7 and s.endswith("teuse"):
        return _norm(s[:-2][:-1] + "r")
    if n > 6 and s.endswith("teur"):
        return _norm(s[:-1][:-1] + "r")
    if n > 5 and s.endswith("euse"):
        return _norm(s[:-2])
    if n > 8 and s.endswith("ère"):
        return _norm(s[:-3] + "er")
    if n > 7 and s.endswith("ive"):
        return _norm(s[:-1][:-1] + "f")
    if n > 4 and (s.endswith("folle") or s.endswith("molle")):
        return _norm(s[:-2][:-1] + "u")
    if n > 9 and s.endswith("nnelle"):
        return _norm(s[:-5])
    if n > 9 and s.endswith("nnel"):
        return _norm(s[:-3])
    if n > 4 and s.endswith("ète"):
        s = s[:-3] + "et"
        n = len(s)
    if n > 8 and s.endswith("ique"):
        s = s[:-4]
        n = len(s)
    if n > 8 and s.endswith("esse"):
        return _norm(s[:-3])
    if n > 7 and s.endswith("inage"):
        return _norm(s[:-3])
    if n > 9 and s.endswith("isation"):
        s = s[:-7]
        if len(s) > 5 and s.endswith("ual"):
            s = s[:-2] + "e" + s[-1]
        return _norm(s)
    if n > 9 and s.endswith("isateur"):
        return _norm(s[:-7])
    if n > 8 and s.endswith("ation"):
        return _norm(s[:-5])
    if n > 8 and s.endswith("ition"):
        return _norm(s[:-5])
    return _norm(s)


def analyze(text: str) -> list[str]:
    """Terms as ``vigie_french`` indexes them (stop words dropped, so phrases see them as absent)."""
    text = ELISION.sub(" ", text.replace("’", "'"))
    return [fold(light_stem(w)) for w in WORD.findall(text.lower()) if w not in STOP]
