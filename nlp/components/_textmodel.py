"""Text features and sparse linear models shared by the sentiment and toxicity components.

Everything here is plain Python + numpy so that inference needs no scikit-learn and no pickle:
a model is a JSON document (gzip) holding, per feature block, the vocabulary and the idf weights,
then the coefficient matrix and intercepts.  Training (``vigie.nlp.train``) fits scikit-learn's
``TfidfVectorizer(analyzer=<our own analyzer>, sublinear_tf=True)`` + ``LogisticRegression`` and exports
them; ``LinearTextModel.scores`` recomputes exactly the same decision function.

Features (see ``featurize``):
- ``word``: accent-folded lowercase words, negation scope marked with ``neg_`` (from ne/n', pas, jamais,
  plus, rien, aucun, sans, ni, to the next punctuation or 3 words after the last cue), word bigrams,
  and marker tokens: lexicon polarity (flipped under negation), intensifiers, emoji polarity,
  ``!!!``, ``?!``, ``...``, all-caps words, irony markers, URLs, mentions, hashtags;
- ``char``: character 2–5-grams inside word boundaries of the normalised text.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import math
import re
from collections import Counter, OrderedDict
from functools import lru_cache
from pathlib import Path

import emoji
import numpy as np

from vigie.textfold import fold  # social text often lacks accents: features are folded

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
MODELS = Path(__file__).resolve().parent.parent / "data" / "models"

MAX_CHARS = 5000  # longer texts are scored on their first MAX_CHARS characters

_URL = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b(?=\s|$)", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_ELONGATED = re.compile(r"(\w)\1{2,}")
_APOS = re.compile(r"[’`´]")
_TOKEN = re.compile(r"#?\w+'?|!+\?+[!?]*|\?+!+[!?]*|!+|\?+|\.{2,}|…|<3|[:;x=][-']?[()dpD/]|\^\^|[^\w\s]",
                    re.UNICODE)
_WORD = re.compile(r"\w")
_NUMBER = re.compile(r"\d+")
_HIGH = re.compile("[\u2000-\U0010ffff]")
# every emoji sequence lies inside such a run (keycaps start with #, * or a digit): the emoji library's
# tokenizer, which walks its input character by character, then reads only the runs
_EMOJI_RUN = re.compile("[#*0-9]?[\u00a9\u00ae\u2000-\U0010ffff]+")

NEGATION_CUES = frozenset({"ne", "n'", "pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "nul", "guere"})
NEGATION_AFTER_NE = frozenset({"plus", "personne"})  # cues only after ne/n'
SCOPE_AFTER = 3
_CLAUSE_END = frozenset({".", "!", "?", ",", ";", ":", "…", "...", "mais", "et", "car", "donc", "|"})


def _read_words(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    exact, prefixes = set(), []
    for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        line = fold(line)
        if line.endswith("*"):
            prefixes.append(line[:-1])
        else:
            exact.add(line)
    return frozenset(exact), tuple(sorted(prefixes))


class Lexicon:
    """A word list with exact entries and prefix entries (``word*``)."""

    def __init__(self, name: str):
        self.exact, self.prefixes = _read_words(name)
        self._cache: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        hit = self._cache.get(word)
        if hit is None:
            hit = word in self.exact or word.startswith(self.prefixes)
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit


@lru_cache(maxsize=1)
def lexicons() -> dict:
    emojis = {}
    for line in (LEXICONS / "emoji_polarity.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        symbol, polarity = line.split("\t")
        emojis[symbol] = int(polarity)
    irony = [fold(line.strip()) for line in (LEXICONS / "irony_markers.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("# ")]
    return {
        "positive": Lexicon("sentiment_positive.txt"),
        "negative": Lexicon("sentiment_negative.txt"),
        "intensifiers": _read_words("intensifiers.txt")[0],
        "emojis": emojis,
        "emoticons": {k: v for k, v in emojis.items() if k.isascii()},
        "irony": tuple(m for m in irony if not m.isascii() or any(ch.isalnum() for ch in m)),
    }


def _emoji_name(chars: str, data: dict) -> str:
    name = data.get("en", "").strip(":").lower()
    name = re.sub(r"[^a-z0-9]+", "_", name).strip("_")
    return f" emo_{name} " if name else " emo "


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text (emojis as ``emo_<name>`` words, urls, mentions, numbers replaced, folded)
    and the emoji polarities found."""
    text = _APOS.sub("'", text[:MAX_CHARS])
    polarities: list[int] = []
    if _HIGH.search(text):
        table = lexicons()["emojis"]

        def note(chars: str, data: dict) -> str:
            base = chars.replace("\ufe0f", "")
            pol = table.get(chars, table.get(base))
            if pol is None:
                pol = table.get(base[:1])
            if pol is not None:
                polarities.append(pol)
            return _emoji_name(chars, data)

        text = _EMOJI_RUN.sub(lambda run: emoji.replace_emoji(run.group(), replace=note), text)
    text = _URL.sub(" url ", text)
    text = _MENTION.sub(" @user ", text)
    return text, polarities


def featurize(text: str) -> tuple[list[str], list[str]]:
    """(word features, char n-grams) of one text; see the module docstring."""
    lex = lexicons()
    raw, emoji_pols = normalise(text or "")
    markers: list[str] = []
    for pol in emoji_pols:
        markers.append({1: "__emopos", -1: "__emoneg", 0: "__emoirony"}[pol])
    caps = sum(1 for w in re.findall(r"\b[A-ZÀ-Ý]{3,}\b", raw) if w not in ("URL",))
    if caps:
        markers.append("__allcaps")
    folded = _ELONGATED.sub(r"\1\1", fold(raw))
    if _ELONGATED.search(fold(raw)):
        markers.append("__elongated")
    for marker in lex["irony"]:
        if marker in folded:
            markers.append("__irony")
            break
    tokens = _TOKEN.findall(folded)
    words: list[str] = []
    base: list[str] = []
    scope = 0
    saw_ne = False
    for tok in tokens:
        if tok in lex["emoticons"]:
            markers.append({1: "__emopos", -1: "__emoneg", 0: "__emoirony"}[lex["emoticons"][tok]])
            continue
        if not _WORD.search(tok):
            if "!" in tok and "?" in tok:
                markers.append("__interrobang")
            elif tok.startswith("!!"):
                markers.append("__excl_multi")
            elif tok == "!":
                markers.append("__excl")
            elif "?" in tok:
                markers.append("__question")
            elif tok in ("...", "…") or tok.startswith(".."):
                markers.append("__ellipsis")
            if tok in _CLAUSE_END or tok[0] in "!?.…,;:":
                scope = 0
                saw_ne = False
            continue
        tok = _NUMBER.sub("0", tok)
        if tok.startswith("#"):
            markers.append("__hashtag")
            tok = tok[1:]
        if tok in _CLAUSE_END:
            scope = 0
            saw_ne = False
        is_cue = tok in NEGATION_CUES or (saw_ne and tok in NEGATION_AFTER_NE)
        if is_cue:
            saw_ne = saw_ne or tok in ("ne", "n'")
            scope = SCOPE_AFTER + (2 if tok in ("ne", "n'") else 0)
            markers.append("__neg")
            words.append(tok)
            base.append(tok)
            continue
        negated = scope > 0
        if scope:
            scope -= 1
        word = tok.rstrip("'")
        base.append(word)
        words.append("neg_" + word if negated else word)
        if word in lex["intensifiers"]:
            markers.append("__intens")
        if word in lex["positive"]:
            # a negated positive word reads as negative ("pas content"); a negated negative word
            # does not read as positive ("pas terrible"), so it keeps a marker of its own
            markers.extend(("__negated_pos", "__lexneg") if negated else ("__lexpos",))
        elif word in lex["negative"]:
            markers.append("__negated_neg" if negated else "__lexneg")
    if not base:
        markers.append("__empty")
    bigrams = [f"{a} {b}" for a, b in itertools.pairwise(base)]
    chars = [w[i:i + n] for w in [f" {b} " for b in base] for n in range(2, 6) for i in range(len(w) - n + 1)]
    return words + bigrams + markers, chars


class LinearTextModel:
    """A TF-IDF + linear model exported from scikit-learn (no pickle, no scikit-learn needed)."""

    def __init__(self, data: dict):
        self.data = data
        self.classes: list[str] = list(data["classes"])
        self.kind: str = data["kind"]  # "multinomial" (softmax over classes) or "ovr" (one sigmoid per class)
        self.blocks = []
        offset = 0
        for block in data["blocks"]:
            vocab = {term: offset + i for i, term in enumerate(block["terms"])}
            idf = np.asarray(block["idf"], dtype=np.float64)
            self.blocks.append((block["name"], vocab, idf, float(block.get("weight", 1.0)), offset))
            offset += len(block["terms"])
        self.idf = np.concatenate([b[2] for b in self.blocks]) if self.blocks else np.zeros(0)
        self.coef = np.asarray(data["coef"], dtype=np.float64).reshape(len(self.classes), offset)
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.thresholds = data.get("thresholds", {})

    @classmethod
    def load(cls, path: str | Path) -> LinearTextModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(json.load(handle))

    def save(self, path: str | Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
            json.dump(self.data, handle, ensure_ascii=False, separators=(",", ":"))

    def to_bytes(self) -> bytes:
        return gzip.compress(json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearTextModel:
        return cls(json.loads(gzip.decompress(data).decode("utf-8")))

    def vector(self, features: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF vector (indices, values) of already extracted features (sublinear tf, idf,
        l2-normalised per block, times the block's weight: scikit-learn's TfidfVectorizer)."""
        indices, values = [], []
        for name, vocab, _idf, weight, _offset in self.blocks:
            terms = features.get(name)
            if not terms:
                continue
            counted = Counter(terms)
            ids = np.fromiter(map(vocab.get, counted, itertools.repeat(-1)), dtype=np.int64, count=len(counted))
            known = ids >= 0
            if not known.any():
                continue
            idx = ids[known]
            counts = np.fromiter(counted.values(), dtype=np.float64, count=len(counted))[known]
            vals = (1.0 + np.log(counts)) * self.idf[idx]
            vals *= weight / math.sqrt(float(vals @ vals))
            indices.append(idx)
            values.append(vals)
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate(indices), np.concatenate(values)

    def decision(self, features: dict[str, list[str]]) -> np.ndarray:
        idx, vals = self.vector(features)
        return self.coef[:, idx] @ vals + self.intercept

    def proba(self, features: dict[str, list[str]]) -> dict[str, float]:
        z = self.decision(features)
        if self.kind == "multinomial":
            z = np.exp(z - z.max())
            p = z / z.sum()
        else:
            p = 1.0 / (1.0 + np.exp(-z))
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


_CACHE_SIZE = 128
_cache: OrderedDict[str, dict[str, list[str]]] = OrderedDict()


def text_features(text: str) -> dict[str, list[str]]:
    """``{"word": [...], "char": [...]}`` of a text; do not mutate the result.  The last few results are
    kept, so that sentiment and toxicity (run one after the other) featurize a text once."""
    hit = _cache.get(text)
    if hit is not None:
        with contextlib.suppress(KeyError):  # evicted meanwhile by another thread
            _cache.move_to_end(text)
        return hit
    words, chars = featurize(text)
    features = {"word": words, "char": chars}
    _cache[text] = features
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return features
