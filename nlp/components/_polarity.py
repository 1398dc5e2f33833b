"""The polarity model of short texts (``vigie_sentiment``): which way an opinion leans, trained on tweets
*and* real short reviews (``vigie.nlp.train.sentiment_polarity``).

The tweet models give p(negative), p(neutral), p(positive).  ``resplit`` keeps p(neutral) and the polar
mass p(negative) + p(positive), and shares that mass out again with
``(1 − share) × p(positive) / polar mass + share × q``, where ``q`` is this model's p(positive | polar).

Stored as one gzipped JSON (no pickle): a ``LinearTextModel`` of one class (``positive``, a sigmoid over the
word and char TF-IDF blocks) read by both profiles, plus a ``polarity`` object with a logistic regression
over the multilingual-e5-small embedding (``embed_coef``, ``embed_intercept``: the ``accurate`` profile,
for the texts the encoder reads) and the shares ``fast_share`` and ``accurate_share``.
"""

from __future__ import annotations

import numpy as np

from vigie.nlp.components._savedmodel import ModelSource
from vigie.nlp.components._textmodel import MODELS, LinearTextModel

DEFAULT_POLARITY = MODELS / "sentiment_polarity_v1.json.gz"


def resplit(proba: np.ndarray, q: np.ndarray, share) -> np.ndarray:
    """(n, 3) probabilities with the polar mass shared out again (see the module docstring); ``share`` is
    one number or one per row."""
    proba = np.asarray(proba, dtype=np.float64)
    polar = proba[:, 0] + proba[:, 2]
    ratio = np.divide(proba[:, 2], polar, out=np.full(len(proba), 0.5), where=polar > 0)
    share = np.asarray(share, dtype=np.float64)
    mixed = (1.0 - share) * ratio + share * np.asarray(q, dtype=np.float64)
    return np.stack([polar * (1.0 - mixed), proba[:, 1], polar * mixed], axis=1)


class PolarityModel:
    def __init__(self, linear: LinearTextModel):
        extra = linear.data.get("polarity") or {}
        self.linear = linear
        self.embed_coef = np.asarray(extra.get("embed_coef", []), dtype=np.float32)
        self.embed_intercept = float(extra.get("embed_intercept", 0.0))
        self.fast_share = float(extra.get("fast_share", 0.0))
        self.accurate_share = float(extra.get("accurate_share", 0.0))
        if linear.classes != ["positive"] or linear.kind != "ovr":
            raise ValueError(f"unexpected polarity model: classes {linear.classes}, kind {linear.kind}")
        if self.embed_coef.ndim != 1 or not 0.0 <= self.fast_share <= 1.0 or not 0.0 <= self.accurate_share <= 1.0:
            raise ValueError("unexpected polarity model: embed_coef must be a vector, shares within 0..1")

    @classmethod
    def build(cls, linear: LinearTextModel, embed_coef, embed_intercept: float, fast_share: float,
              accurate_share: float) -> PolarityModel:
        linear.data["polarity"] = {"embed_coef": [float(f"{x:.6g}") for x in np.asarray(embed_coef).ravel()],
                                   "embed_intercept": float(embed_intercept), "fast_share": float(fast_share),
                                   "accurate_share": float(accurate_share)}
        return cls(linear)

    @classmethod
    def load(cls, path) -> PolarityModel:
        return cls(LinearTextModel.load(path))

    def save(self, path) -> None:
        self.linear.save(path)

    def linear_q(self, features: list[dict]) -> np.ndarray:
        """p(positive | polar) of texts from their ``text_features``."""
        return np.array([self.linear.proba(f)["positive"] for f in features], dtype=np.float64)

    def embed_q(self, embeddings: np.ndarray) -> np.ndarray:
        """p(positive | polar) of texts from their e5 embeddings."""
        if embeddings.shape[1:] != self.embed_coef.shape:
            raise ValueError(f"embeddings of {embeddings.shape[1:]} for a polarity head of {self.embed_coef.shape}")
        return 1.0 / (1.0 + np.exp(-(embeddings @ self.embed_coef + self.embed_intercept)))


class PolaritySource(ModelSource):
    def get(self) -> PolarityModel:
        if self._model is None:
            self._model = PolarityModel.load(self.path)
        return self._model
