"""Train the polarity model of ``vigie_sentiment``'s short texts:
``.venv/bin/python -m vigie.nlp.train.sentiment_polarity [--cv] [--embeddings CACHE.npz]``.

Why: the short-text models are trained on DEFT tweets, where opinions are blunt; on real short reviews
their positive recall is low (Allociné short film reviews, before this model: polarity 0.82 ``accurate``,
0.68 ``fast``, out of fold).  The polarity model decides only *which way* an opinion leans; whether there
is one (neutral or not) stays the tweet models' call, so tweets keep their neutral class.

Data: the polar (negative/positive) DEFT 2017 train tweets (shared data folder, never copied), the polar
texts of the municipal ``dev`` part, and the real Allociné film reviews of 300 characters or fewer
(``nlp/train/data/allocine_reviews.jsonl``, MIT; those longer go to the long-text model), the latter with
sample weight ``review_weight``.  Two binary logistic regressions: one over the linear model's features
(TF-IDF word and char blocks, as ``vigie.nlp.train.sentiment``), one over the multilingual-e5-small
embedding.  At run time a short text's p(positive | polar) is ``(1 − share) ×`` the tweet models' own
ratio ``+ share ×`` the polarity model's, p(neutral) unchanged (``vigie.nlp.components._polarity``).

``--cv``: 5-fold stratified CV on DEFT train, with the Allociné short reviews dealt over the same five
folds; in each fold the tweet models (linear, e5 head, as packaged: their parameters and the encoder's
``confident`` skip) and the polarity models are refitted on the training part.  Scores out of fold: DEFT
macro-F1 (3 classes, neutral margin as packaged) and the reviews' polarity (sign of the score).  Rule,
per profile: the highest review polarity among the settings whose DEFT macro-F1 is within ``TOLERANCE``
of the tweet models alone.  Without ``--cv``, ``DEFAULTS`` (what CV chose) rebuild the packaged model.
DEFT val is never read.  Writes ``nlp/data/models/sentiment_polarity_v1.json.gz``.
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
from vigie.nlp.components._polarity import DEFAULT_POLARITY, PolarityModel, resplit
from vigie.nlp.components._textmodel import text_features
from vigie.nlp.components.sentiment import DEFAULT_HEAD, EncoderHead, courtesy_removed, decide
from vigie.nlp.train.data import read_deft, read_municipal
from vigie.nlp.train.export import check_same, export_model
from vigie.nlp.train.sentiment import SEED
from vigie.nlp.train.sentiment import fit as fit_linear
from vigie.nlp.train.sentiment_encoder import LINEAR, head_fit

REVIEWS = Path(__file__).resolve().parent / "data" / "allocine_reviews.jsonl"
SHORT_CHARS = 300  # the component's unit_chars: longer texts go to the long-text model
GRID = {"C": [1.0, 4.0, 16.0], "review_weight": [0.5, 1.0, 2.0], "share": [0.3, 0.5, 0.7, 1.0]}
LINEAR_C_RATIO = 0.25  # the linear polarity model's C is this times the grid's C (its features are sparser)
TOLERANCE = 0.003  # DEFT out-of-fold macro-F1 a setting may lose against the tweet models alone
# chosen by --cv (see nlp/eval/README.md, "Short reviews"); the default run rebuilds the packaged model.
# ``accurate``: CV chose C 16, share 0.7, but at the held-out look DEFT val fell from 0.708 to 0.697 (below
# the 0.70) while short reviews gained 5 points: the profile keeps its tweet models alone (share 0;
# its head is still trained, so that the choice can be revisited with more data).
DEFAULTS = {"fast": {"C": 4.0, "review_weight": 1.0, "share": 0.7},
            "accurate": {"C": 16.0, "review_weight": 1.0, "share": 0.0}}


def read_short_reviews(path: Path = REVIEWS) -> tuple[list[str], np.ndarray]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [r for r in rows if r.get("label") in ("negative", "positive") and 0 < len(r["text"]) <= SHORT_CHARS]
    return [r["text"] for r in kept], np.asarray([r["label"] for r in kept])


def fit_polar_linear(feats: list[dict], labels, C: float, sample_weight=None):
    """The linear model's own fit (its blocks and class weights) on polar labels."""
    blocks, clf = fit_linear(feats, labels, C * LINEAR_C_RATIO, LINEAR["char_weight"], sample_weight)
    assert list(clf.classes_) == ["negative", "positive"]
    return blocks, clf


def fit_polar_embed(x: np.ndarray, labels, C: float, sample_weight=None) -> LogisticRegression:
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=SEED)
    clf.fit(x, labels, sample_weight=sample_weight)
    assert list(clf.classes_) == ["negative", "positive"]
    return clf


def training_set(y_tweets, y_reviews, tweets_idx, reviews_idx, review_weight):
    """Indices of the polar tweets, the reviews, their labels and sample weights."""
    polar = tweets_idx[y_tweets[tweets_idx] != "neutral"]
    labels = np.concatenate([y_tweets[polar], y_reviews[reviews_idx]])
    weights = np.concatenate([np.ones(len(polar)), np.full(len(reviews_idx), review_weight)])
    return polar, labels, weights


def scores(proba_tweets, y_tweets, proba_reviews, y_reviews, margin) -> tuple[float, float]:
    f1 = f1_score(y_tweets, [decide(p, margin)["label"] for p in proba_tweets], average="macro")
    signs = np.array([decide(p, margin)["score"] for p in proba_reviews])
    polarity = float(np.mean(np.where(y_reviews == "positive", signs > 0, signs < 0)))
    return round(float(f1), 4), round(polarity, 4)


def cross_validate(tw_x, tw_f, tw_y, rv_x, rv_f, rv_y, head: EncoderHead) -> dict:
    tw_folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(tw_x, tw_y))
    rv_folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(rv_x, rv_y))
    n_tw, n_rv = len(tw_y), len(rv_y)
    lin = {"tw": np.zeros((n_tw, 3)), "rv": np.zeros((n_rv, 3))}
    enc = {"tw": np.zeros((n_tw, 3)), "rv": np.zeros((n_rv, 3))}
    keys = list(itertools.product(GRID["C"], GRID["review_weight"]))
    q_lin = {k: {"tw": np.zeros(n_tw), "rv": np.zeros(n_rv)} for k in keys}
    q_enc = {k: {"tw": np.zeros(n_tw), "rv": np.zeros(n_rv)} for k in keys}
    for (tr, te), (rtr, rte) in zip(tw_folds, rv_folds, strict=True):
        blocks, clf = fit_linear([tw_f[i] for i in tr], tw_y[tr], LINEAR["C"], LINEAR["char_weight"])
        lin["tw"][te] = clf.predict_proba(blocks.transform([tw_f[i] for i in te]))
        lin["rv"][rte] = clf.predict_proba(blocks.transform([rv_f[i] for i in rte]))
        h = head_fit(tw_x[tr], tw_y[tr], head.meta.get("C", 8.0))
        enc["tw"][te], enc["rv"][rte] = h.predict_proba(tw_x[te]), h.predict_proba(rv_x[rte])
        for C, w in keys:
            polar, labels, weights = training_set(tw_y, rv_y, tr, rtr, w)
            b2, c2 = fit_polar_linear([tw_f[i] for i in polar] + [rv_f[i] for i in rtr], labels, C, weights)
            q_lin[(C, w)]["tw"][te] = c2.predict_proba(b2.transform([tw_f[i] for i in te]))[:, 1]
            q_lin[(C, w)]["rv"][rte] = c2.predict_proba(b2.transform([rv_f[i] for i in rte]))[:, 1]
            c3 = fit_polar_embed(np.vstack([tw_x[polar], rv_x[rtr]]), labels, C, weights)
            q_enc[(C, w)]["tw"][te] = c3.predict_proba(tw_x[te])[:, 1]
            q_enc[(C, w)]["rv"][rte] = c3.predict_proba(rv_x[rte])[:, 1]
    margin = head.margin

    def accurate_base(part):  # the packaged mix: the encoder skipped where the linear model is sure
        sure = lin[part].max(axis=1) >= head.confident
        mixed = (1 - head.weight) * lin[part] + head.weight * enc[part]
        return np.where(sure[:, None], lin[part], mixed), sure

    base = {"fast": scores(lin["tw"], tw_y, lin["rv"], rv_y, margin),
            "accurate": scores(accurate_base("tw")[0], tw_y, accurate_base("rv")[0], rv_y, margin)}
    print(f"tweet models alone: fast {base['fast']}, accurate {base['accurate']} (DEFT macro-F1, review polarity)")
    results: dict[str, list] = {"fast": [], "accurate": []}
    for (C, w), share in itertools.product(keys, GRID["share"]):
        got = {}
        for part in ("tw", "rv"):
            got[("fast", part)] = resplit(lin[part], q_lin[(C, w)][part], share)
        results["fast"].append((scores(got[("fast", "tw")], tw_y, got[("fast", "rv")], rv_y, margin),
                                {"C": C, "review_weight": w, "share": share}))
    chosen_fast = pick(results["fast"], base["fast"][0], "fast")
    fast_q = q_lin[(chosen_fast["C"], chosen_fast["review_weight"])]
    for (C, w), share in itertools.product(keys, GRID["share"]):
        got = {}
        for part in ("tw", "rv"):
            proba, sure = accurate_base(part)
            # sure texts are read by the linear model alone, so by the linear polarity model of `fast`
            q = np.where(sure, fast_q[part], q_enc[(C, w)][part])
            s = np.where(sure, chosen_fast["share"], share)
            got[part] = resplit(proba, q, s)
        results["accurate"].append((scores(got["tw"], tw_y, got["rv"], rv_y, margin),
                                    {"C": C, "review_weight": w, "share": share}))
    chosen_accurate = pick(results["accurate"], base["accurate"][0], "accurate")
    return {"fast": chosen_fast, "accurate": chosen_accurate, "before": base}


def pick(results: list, base_f1: float, profile: str) -> dict:
    allowed = [r for r in results if r[0][0] >= base_f1 - TOLERANCE]
    allowed.sort(key=lambda r: (-r[0][1], -r[0][0]))
    for (f1, polarity), params in sorted(results, key=lambda r: -r[0][1])[:6]:
        print(f"{profile}: DEFT cv macro-F1 {f1:.4f}  review polarity {polarity:.4f}  {params}")
    (f1, polarity), params = allowed[0]
    print(f"{profile} chosen: DEFT {f1:.4f} (tweet models alone {base_f1:.4f}), reviews {polarity:.4f}  {params}")
    return {**params, "cv_deft_macro_f1": f1, "cv_review_polarity": polarity}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="choose C, the reviews' weight and the shares by CV")
    parser.add_argument("--embeddings", help="cache (.npz) of the embeddings: read when it matches, else written")
    parser.add_argument("--out", default=str(DEFAULT_POLARITY))
    args = parser.parse_args(argv)
    started = time.time()
    tw_texts, tw_labels = read_deft("train")
    tw_y = np.asarray(tw_labels)
    rv_texts, rv_y = read_short_reviews()
    # the component reads a short text without its courtesy formulas (``courtesy_removed``)
    rv_units = [courtesy_removed(t) for t in rv_texts]
    tw_x = rv_x = None
    if args.embeddings and Path(args.embeddings).exists():
        with np.load(args.embeddings, allow_pickle=False) as cached:
            if cached["tweets"].shape[0] == len(tw_texts) and cached["reviews"].shape[0] == len(rv_units):
                tw_x, rv_x = cached["tweets"], cached["reviews"]
    if tw_x is None:
        tw_x, rv_x = embed(tw_texts), embed(rv_units)
        if args.embeddings:
            np.savez(args.embeddings, tweets=tw_x, reviews=rv_x)
    print(f"{len(tw_texts)} tweets, {len(rv_units)} short reviews embedded in {time.time() - started:.0f} s",
          flush=True)
    tw_f = [text_features(t) for t in tw_texts]
    rv_f = [text_features(t) for t in rv_units]
    head = EncoderHead.load(DEFAULT_HEAD)
    params = cross_validate(tw_x, tw_f, tw_y, rv_x, rv_f, rv_y, head) if args.cv else DEFAULTS

    dev = [m for m in read_municipal() if m["split"] == "dev" and m["label"] != "neutral"]
    polar = np.flatnonzero(tw_y != "neutral")
    models = {}
    for profile in ("fast", "accurate"):
        p = params[profile]
        labels = np.concatenate([tw_y[polar], [m["label"] for m in dev], rv_y])
        weights = np.concatenate([np.ones(len(polar) + len(dev)), np.full(len(rv_y), p["review_weight"])])
        if profile == "fast":
            feats = [tw_f[i] for i in polar] + [text_features(m["text"]) for m in dev] + rv_f
            blocks, clf = fit_polar_linear(feats, labels, p["C"], weights)
            models["linear"] = (blocks, clf, feats)
        else:
            x = np.vstack([tw_x[polar], embed([m["text"] for m in dev]), rv_x])
            models["embed"] = fit_polar_embed(x, labels, p["C"], weights)
    blocks, clf, feats = models["linear"]
    meta = {"task": "sentiment polarity of short texts",
            "trained_on": f"DEFT 2017 fr train polar tweets ({len(polar)}) + municipal dev polar ({len(dev)}) + "
                          f"Allociné short film reviews ({len(rv_y)}, MIT)",
            "params": params, "seed": SEED}
    linear = export_model(blocks, ["positive"], clf.coef_, clf.intercept_, "ovr", meta)
    gap = check_same(linear, feats[:300], clf.decision_function(blocks.transform(feats[:300]))[:, None])
    assert gap < 1e-3, gap
    embed_clf = models["embed"]
    model = PolarityModel.build(linear, embed_clf.coef_[0], float(embed_clf.intercept_[0]),
                                params["fast"]["share"], params["accurate"]["share"])
    model.save(args.out)
    report = {"params": params, "out": args.out, "seconds": round(time.time() - started, 1)}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
