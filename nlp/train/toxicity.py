"""Train the toxicity model: ``.venv/bin/python -m vigie.nlp.train.toxicity``.

Data:
- MLMA French (``toxicity/mlma_fr.csv`` in the shared data folder, MIT): duplicates (same folded text)
  removed, then a fixed held-out split: a text is held out when ``blake2b("mlma:" + folded text) % 5 == 0``
  (``vigie.nlp.train.data.stable_fold``), about 20 %; the rest trains.  Label mapping: ``insult`` when the
  ``sentiment`` column holds offensive, abusive or disrespectful; ``hate`` when it holds hateful
  (a label counts even when annotators also said normal); fearful alone maps to nothing (it is
  the annotators' fear, not a threat); normal maps to nothing.
- Clean negatives, because MLMA was collected with hostile keywords (80 % of it is hostile): the DEFT
  2017 train tweets and the ``dev`` part of our municipal set, with no label.

One binary logistic regression per label (``insult``, ``hate``) over the sentiment features plus our
lexicon markers; C and the decision threshold (best F0.5 on out-of-fold probabilities, 5 folds,
seed 13: precision first) are chosen on the training part only.  Writes ``nlp/data/models/toxicity_v1.json.gz``.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import fbeta_score
from sklearn.model_selection import StratifiedKFold

from vigie.nlp.components._textmodel import MODELS
from vigie.nlp.components.toxicity import toxicity_features
from vigie.nlp.train.data import MLMA_MAP, read_deft, read_mlma, read_municipal
from vigie.nlp.train.export import Blocks, check_same, export_model

SEED = 13
BETA = 0.5
MODEL_LABELS = ["insult", "hate"]
GRID_C = [1.0, 4.0]
WEIGHTS = {"word": 1.0, "char": 1.0}
MIN_DF = {"word": 2, "char": 2}  # a term must occur in 2 texts: no n-gram unique to one tweet
OUT = MODELS / "toxicity_v1.json.gz"


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The threshold of best F0.5 (precision counts twice as much as recall: a moderation label shown
    on a clean post costs more than a missed one)."""
    best = (0.5, -1.0)
    for t in np.arange(0.1, 0.91, 0.02):
        f = fbeta_score(y, p >= t, beta=BETA, zero_division=0)
        if f > best[1]:
            best = (round(float(t), 2), float(f))
    return best


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    started = time.time()

    train, test = read_mlma()
    negatives = [{"text": t, "labels": []} for t in read_deft("train")[0]]
    negatives += [{"text": m["text"], "labels": []} for m in read_municipal() if m["split"] == "dev"]
    rows = train + negatives
    feats = [toxicity_features(r["text"])[0] for r in rows]
    y = {label: np.array([label in r["labels"] for r in rows]) for label in MODEL_LABELS}
    print(f"MLMA train {len(train)}, held out {len(test)}, clean negatives {len(negatives)}", flush=True)

    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(rows)), y["hate"]))
    chosen = {}
    for label in MODEL_LABELS:
        results = []
        for C in GRID_C:
            oof = np.zeros(len(rows))
            for tr, te in folds:
                blocks = Blocks(WEIGHTS, MIN_DF)
                x = blocks.fit_transform([feats[i] for i in tr])
                clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED)
                clf.fit(x, y[label][tr])
                oof[te] = clf.predict_proba(blocks.transform([feats[i] for i in te]))[:, 1]
            threshold, f1 = best_threshold(y[label], oof)
            print(f"{label}: C={C} out-of-fold F0.5 {f1:.4f} at threshold {threshold}", flush=True)
            results.append((f1, C, threshold))
        f1, C, threshold = max(results)
        chosen[label] = {"C": C, "threshold": threshold, "cv_f05": round(f1, 4)}

    blocks = Blocks(WEIGHTS, MIN_DF)
    x = blocks.fit_transform(feats)
    coefs, intercepts = [], []
    for label in MODEL_LABELS:
        clf = LogisticRegression(C=chosen[label]["C"], max_iter=3000, class_weight="balanced", random_state=SEED)
        clf.fit(x, y[label])
        coefs.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
    coef, intercept = np.vstack(coefs), np.array(intercepts)
    meta = {"task": "toxicity", "trained_on": f"MLMA fr train part ({len(train)} tweets) + {len(negatives)} clean "
            "negatives (DEFT 2017 train, municipal dev)", "mapping": MLMA_MAP, "chosen": chosen, "seed": SEED}
    model = export_model(blocks, MODEL_LABELS, coef, intercept, "ovr", meta,
                         thresholds={label: chosen[label]["threshold"] for label in MODEL_LABELS})
    test_feats = [toxicity_features(r["text"])[0] for r in test]
    gap = check_same(model, test_feats, blocks.transform(test_feats) @ coef.T + intercept)
    print(f"exported model vs scikit-learn: max decision gap {gap:.2e}")
    assert gap < 1e-3, gap
    model.save(args.out)
    report = {"chosen": chosen, "seconds": round(time.time() - started, 1)}
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
