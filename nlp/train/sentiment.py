"""Train the sentiment model: ``.venv/bin/python -m vigie.nlp.train.sentiment [--cv]``.

Data: DEFT 2017 French tweets (train split; read from the shared data folder, never copied), plus the
``dev`` part of our municipal set (sample weight ``--municipal-weight``, default 1).  Model choice
(C, weight of the char block) by 5-fold stratified cross-validation on DEFT train (seed 13) with
``--cv``; without it, the parameters that CV chose (C=2, char weight 2) are used, so the default run
rebuilds the packaged model.  Then one fit, and one report on DEFT val and on the municipal ``test``
part.  Writes ``nlp/data/models/sentiment_v1.json.gz``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold

from vigie.nlp.components._textmodel import MODELS, text_features
from vigie.nlp.train.data import read_deft, read_municipal
from vigie.nlp.train.export import Blocks, check_same, export_model

SEED = 13
CLASSES = ["negative", "neutral", "positive"]
GRID = {"C": [0.5, 1.0, 2.0, 4.0, 8.0], "char_weight": [0.5, 1.0, 2.0]}
MIN_DF = {"word": 2, "char": 2}  # a term must occur in 2 texts: no n-gram unique to one tweet
OUT = MODELS / "sentiment_v1.json.gz"


def fit(feats, labels, C, char_weight, sample_weight=None):
    blocks = Blocks({"word": 1.0, "char": char_weight}, MIN_DF)
    x = blocks.fit_transform(feats)
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED)
    clf.fit(x, labels, sample_weight=sample_weight)
    return blocks, clf


def cross_validate(feats, labels) -> list[tuple[float, dict]]:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    labels = np.asarray(labels)
    results = []
    for C, char_weight in itertools.product(GRID["C"], GRID["char_weight"]):
        scores = []
        for tr, te in folds.split(np.zeros(len(labels)), labels):
            blocks, clf = fit([feats[i] for i in tr], labels[tr], C, char_weight)
            pred = clf.predict(blocks.transform([feats[i] for i in te]))
            scores.append(f1_score(labels[te], pred, average="macro"))
        params = {"C": C, "char_weight": char_weight}
        results.append((float(np.mean(scores)), params))
        print(f"cv macro-F1 {np.mean(scores):.4f} ± {np.std(scores):.4f}  {params}", flush=True)
    return sorted(results, key=lambda r: -r[0])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipal-weight", type=float, default=1.0,
                        help="sample weight of the municipal 'dev' texts added to training (0: not added)")
    parser.add_argument("--cv", action="store_true", help="choose C and the char weight by cross-validation")
    parser.add_argument("--C", type=float, default=2.0)
    parser.add_argument("--char-weight", type=float, default=2.0)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)

    started = time.time()
    texts, labels = read_deft("train")
    feats = [text_features(t) for t in texts]
    if args.cv:
        cv_score, best = cross_validate(feats, labels)[0]
    else:
        best = {"C": args.C, "char_weight": args.char_weight}
        cv_score = None
    print("chosen", best, "cv", cv_score)

    municipal = read_municipal()
    weights = [1.0] * len(texts)
    train_feats, train_labels = list(feats), list(labels)
    if args.municipal_weight > 0:
        for item in municipal:
            if item["split"] == "dev":
                train_feats.append(text_features(item["text"]))
                train_labels.append(item["label"])
                weights.append(args.municipal_weight)
    blocks, clf = fit(train_feats, train_labels, best["C"], best["char_weight"], np.asarray(weights))
    assert list(clf.classes_) == CLASSES

    val_texts, val_labels = read_deft("val")
    val_feats = [text_features(t) for t in val_texts]
    meta = {
        "task": "sentiment", "trained_on": "DEFT 2017 fr train (1,839 tweets)"
        + (f" + municipal dev part (weight {args.municipal_weight})" if args.municipal_weight else ""),
        "params": best, "cv_macro_f1_train": cv_score, "seed": SEED,
    }
    model = export_model(blocks, CLASSES, clf.coef_, clf.intercept_, "multinomial", meta)
    gap = check_same(model, val_feats, clf.decision_function(blocks.transform(val_feats)))
    print(f"exported model vs scikit-learn: max decision gap {gap:.2e}")
    assert gap < 1e-3, gap

    pred = [max(model.proba(f).items(), key=lambda kv: kv[1])[0] for f in val_feats]
    val_f1 = f1_score(val_labels, pred, average="macro")
    print(classification_report(val_labels, pred, digits=3))
    test = [m for m in municipal if m["split"] == "test"]
    mpred = [max(model.proba(text_features(m["text"])).items(), key=lambda kv: kv[1])[0] for m in test]
    mun_f1 = f1_score([m["label"] for m in test], mpred, average="macro")
    meta.update({"deft_val_macro_f1": round(val_f1, 4), "municipal_test_macro_f1": round(mun_f1, 4)})
    model.save(args.out)
    report = {"deft_val_macro_f1": val_f1, "municipal_test_macro_f1": mun_f1, "params": best, "cv": cv_score,
              "seconds": round(time.time() - started, 1)}
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
