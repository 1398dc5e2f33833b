"""Fit helpers: TF-IDF blocks over our own features, and export to the JSON model format."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from vigie.nlp.components._textmodel import LinearTextModel

SIGNIFICANT = 6  # digits kept for weights in the exported model


def _identity(features):
    return features


class Blocks:
    """One TfidfVectorizer per feature block (``word``, ``char``), weighted and stacked."""

    def __init__(self, weights: dict[str, float], min_df: dict[str, int]):
        self.weights = weights
        self.vectorizers = {name: TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df.get(name, 1),
                                                  dtype=np.float64)
                            for name in weights}

    def fit_transform(self, feats: list[dict]) -> sparse.csr_matrix:
        return sparse.hstack([self.weights[n] * v.fit_transform([f[n] for f in feats])
                              for n, v in self.vectorizers.items()]).tocsr()

    def transform(self, feats: list[dict]) -> sparse.csr_matrix:
        return sparse.hstack([self.weights[n] * v.transform([f[n] for f in feats])
                              for n, v in self.vectorizers.items()]).tocsr()

    def export(self) -> list[dict]:
        blocks = []
        for name, vec in self.vectorizers.items():
            terms = vec.get_feature_names_out().tolist()
            blocks.append({"name": name, "weight": self.weights[name], "terms": terms,
                           "idf": [float(f"{x:.{SIGNIFICANT}g}") for x in vec.idf_]})
        return blocks


def export_model(blocks: Blocks, classes: list[str], coef: np.ndarray, intercept: np.ndarray, kind: str,
                 meta: dict, thresholds: dict | None = None) -> LinearTextModel:
    data = {
        "format": "vigie-linear-text-model/1",
        "kind": kind,
        "classes": list(classes),
        "blocks": blocks.export(),
        "coef": [float(f"{x:.{SIGNIFICANT}g}") for x in np.asarray(coef).ravel()],
        "intercept": [float(x) for x in np.asarray(intercept).ravel()],
        "thresholds": thresholds or {},
        "meta": meta,
    }
    return LinearTextModel(data)


def check_same(model: LinearTextModel, feats: list[dict], reference: np.ndarray) -> float:
    """Largest gap between the exported model's decision function and scikit-learn's."""
    ours = np.vstack([model.decision(f) for f in feats])
    return float(np.abs(ours - reference.reshape(ours.shape)).max())
