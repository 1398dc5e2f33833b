"""The trained request model of the ``accurate`` profile: two logistic-regression heads over the sentence
embedding of a text (multilingual-e5-small, the vectors the sentiment component already computed) and the
0/1 speech-act signals of the rules (``vigie.nlp.components.request.SIGNALS``).

- ``request``: p(the text is a citizen request); a request when p ≥ ``threshold`` (chosen by
  leave-one-set-out cross-validation for precision ≥ 0.90, see ``vigie.nlp.train.requests_encoder``);
- ``kind``: the kind of a request (``KINDS``), a multinomial head trained on requests only.

Stored as a numpy ``.npz`` without pickle (``nlp/data/models/request_e5_head_v1.npz``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vigie.nlp.components._textmodel import MODELS
from vigie.nlp.components._util import sigmoid

DEFAULT_HEAD = MODELS / "request_e5_head_v1.npz"
HEAD_FILE = "request_head.npz"
UNIT_CHARS = 300  # a longer text is embedded as the mean of a few of its sentences
UNITS = 4


def units(text: str) -> list[str]:
    """What is embedded for a text: the text without its greeting and closing thanks when it is short (the
    sentiment component's unit, so its vector is reused), else up to ``UNITS`` sentences spread over it."""
    from vigie.nlp.components.sentiment import courtesy_removed, sentences, spread

    text = text[:20000]
    if len(text) <= UNIT_CHARS:
        return [courtesy_removed(text)]
    return spread(sentences(text), UNITS) or [text[:UNIT_CHARS]]


def embeddings(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) vectors: each text's units embedded (one encoder call) and averaged."""
    from vigie.nlp.components._encoder import DIM, embed

    pieces, owner = [], []
    for i, text in enumerate(texts):
        for unit in units(text):
            pieces.append(unit)
            owner.append(i)
    vectors = embed(pieces, threads=1) if pieces else np.zeros((0, DIM), dtype=np.float32)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    owners = np.asarray(owner)
    for i in range(len(texts)):
        mean = vectors[owners == i].mean(axis=0)
        out[i] = mean / (np.linalg.norm(mean) or 1.0)
    return out


class RequestHead:
    """``coef`` (d,) and ``intercept`` of the request head over ``[embedding, signal_scale × signals]``,
    ``kind_coef`` (4, d) and ``kind_intercept`` (4,) of the kind head over ``[embedding, kind_scale ×
    signals]``; ``threshold``, ``signals`` (names, in order), ``kinds`` and ``meta`` (JSON text: training
    data, CV figures).  A small scale shrinks the signals' weights harder: the rules were tuned on most of
    the training texts, so their signals look better there than on new text."""

    def __init__(self, coef, intercept, kind_coef, kind_intercept, kinds, signals, threshold: float,
                 signal_scale: float, kind_scale: float, meta: dict | None = None):
        self.coef = np.asarray(coef, dtype=np.float32).reshape(-1)
        self.intercept = float(np.asarray(intercept).reshape(-1)[0])
        self.kind_coef = np.asarray(kind_coef, dtype=np.float32)
        self.kind_intercept = np.asarray(kind_intercept, dtype=np.float32).reshape(-1)
        self.kinds = [str(k) for k in kinds]
        self.signals = [str(s) for s in signals]
        self.threshold = float(threshold)
        self.signal_scale = float(signal_scale)
        self.kind_scale = float(kind_scale)
        self.meta = meta or {}
        d = self.coef.shape[0]
        if self.kind_coef.shape != (len(self.kinds), d) or self.kind_intercept.shape != (len(self.kinds),) \
                or d <= len(self.signals) or not 0.0 < self.threshold < 1.0 \
                or not (np.isfinite(self.coef).all() and np.isfinite(self.kind_coef).all()):
            raise ValueError(f"unexpected request head: coef {self.coef.shape}, kind_coef {self.kind_coef.shape}, "
                             f"{len(self.signals)} signals, threshold {self.threshold}")

    @property
    def dim(self) -> int:
        return self.coef.shape[0] - len(self.signals)

    @classmethod
    def load(cls, path: str | Path) -> RequestHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], data["intercept"], data["kind_coef"], data["kind_intercept"],
                       data["kinds"].tolist(), data["signals"].tolist(), float(data["threshold"]),
                       float(data["signal_scale"]), float(data["kind_scale"]), json.loads(str(data["meta"])))

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, coef=self.coef, intercept=np.float64(self.intercept),
                                kind_coef=self.kind_coef, kind_intercept=self.kind_intercept,
                                kinds=np.array(self.kinds), signals=np.array(self.signals),
                                threshold=np.float64(self.threshold), signal_scale=np.float64(self.signal_scale),
                                kind_scale=np.float64(self.kind_scale),
                                meta=np.array(json.dumps(self.meta, ensure_ascii=False)))

    def table(self, signals: list[dict[str, float]]) -> np.ndarray:
        """The signals of each text as rows, in the head's order."""
        table = np.array([[row[name] for name in self.signals] for row in signals], dtype=np.float32)
        return table.reshape(len(signals), len(self.signals))

    def proba(self, vectors: np.ndarray, table: np.ndarray) -> np.ndarray:
        """p(request) of each text from its embedding and its signals."""
        return sigmoid(features(vectors, table, self.signal_scale) @ self.coef + self.intercept)

    def kind_proba(self, vectors: np.ndarray, table: np.ndarray) -> np.ndarray:
        """(n, 4) probabilities of the kinds (``kinds``)."""
        z = features(vectors, table, self.kind_scale) @ self.kind_coef.T + self.kind_intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def features(vectors: np.ndarray, signals: np.ndarray, signal_scale: float) -> np.ndarray:
    return np.hstack([np.asarray(vectors, dtype=np.float32), signal_scale * np.asarray(signals, dtype=np.float32)])
