"""Evaluate ``vigie_sentiment``: ``.venv/bin/python -m vigie.nlp.eval.sentiment``.

- DEFT 2017 French val (324 tweets, from the shared data folder; "data not available" without it);
- our municipal-style set ``nlp/eval/sentiment_municipal.jsonl``: the ``test`` part (never trained on)
  and, for information, the ``dev`` part (added to training only when the model's meta says so);
- polarity of long reviews from a domain never trained on: ``nlp/eval/reviews_books_babelio.jsonl`` (180
  French book reviews of 300+ characters from Babelio, CC0, see nlp/eval/README.md) or any JSONL file of
  ``{"text", "label": "positive"|"negative"}`` given with ``--reviews PATH``: a review is read as
  positive when its score is > 0, negative when < 0, and counted wrong when the score is 0 or None;
- polarity of short reviews of the same never-trained domain, the same way:
  ``nlp/eval/reviews_books_babelio_short.jsonl`` (300 Babelio reviews of 20 to 299 characters: the short
  path of the component; ``--short-reviews PATH``, or ``--short-reviews ''`` to leave it out);
- ``--texts PATH`` (repeatable): any JSONL of ``{"text", "label"}`` with neutral texts too, scored over
  three classes (e.g. the short Services Publics+ accounts, see nlp/eval/README.md);
- ``--no-deft``: leaves DEFT val unscored (every scoring of it is a look to record).

Macro-F1 over negative / neutral / positive.  A text the component leaves unlabelled (``label`` None,
e.g. detected as another language) counts as neutral and is counted in ``unlabelled``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vigie.nlp.train.data import EVAL, deft_path, read_deft, read_jsonl, read_municipal

REVIEWS = EVAL / "reviews_books_babelio.jsonl"
SHORT_REVIEWS = EVAL / "reviews_books_babelio_short.jsonl"

CLASSES = ("negative", "neutral", "positive")


def default_nlp(profile: str = "accurate"):
    import spacy

    import vigie.nlp.components.sentiment  # noqa: F401  (registers the factory)

    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_sentiment", config={"profile": profile})
    return pipeline


def scores(gold: list[str], pred: list[str]) -> dict:
    """Macro-F1, accuracy and per-class precision / recall / F1 (no scikit-learn needed)."""
    per_class = {}
    for c in CLASSES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        n_pred = sum(1 for p in pred if p == c)
        n_gold = sum(1 for g in gold if g == c)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                        "support": n_gold}
    present = [c for c in CLASSES if per_class[c]["support"]]
    macro = sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0
    accuracy = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0
    return {"n": len(gold), "macro_f1": round(macro, 4), "accuracy": round(accuracy, 4), "per_class": per_class}


def predict(nlp, texts: list[str]) -> tuple[list[str], int]:
    labels, unlabelled = [], 0
    for doc in nlp.pipe(texts, batch_size=256):
        label = (doc._.sentiment or {}).get("label")
        if label is None:
            unlabelled += 1
            label = "neutral"
        labels.append(label)
    return labels, unlabelled


def polarity(nlp, path: str | Path) -> dict:
    """Accuracy and per-class figures of the sign of the score on texts labelled positive / negative."""
    items = read_jsonl(Path(path))
    pred = []
    for doc in nlp.pipe([item["text"] for item in items], batch_size=64):
        score = (doc._.sentiment or {}).get("score")
        pred.append("positive" if score and score > 0 else "negative" if score and score < 0 else "none")
    gold = [item["label"] for item in items]
    result = scores(gold, pred)
    result["per_class"] = {c: v for c, v in result["per_class"].items() if c != "neutral"}
    f1s = [v["f1"] for v in result["per_class"].values() if v["support"]]
    result["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    result["no_sign"] = pred.count("none")
    result["set"] = str(path)
    return result


def labelled(nlp, path: str | Path) -> dict:
    """Three-class figures (and the polarity of the polar texts) on a JSONL of short texts {text, label}."""
    items = read_jsonl(Path(path))
    pred, unlabelled = predict(nlp, [item["text"] for item in items])
    gold = [item["label"] for item in items]
    polar = [(g, p) for g, p in zip(gold, pred, strict=True) if g != "neutral"]
    result = {**scores(gold, pred), "unlabelled": unlabelled, "set": str(path)}
    result["polar_labelled_right"] = round(sum(g == p for g, p in polar) / len(polar), 4) if polar else None
    return result


def evaluate(nlp=None, reviews: str | Path | None = REVIEWS, deft: bool = True, labelled_sets=(),
             short_reviews: str | Path | None = SHORT_REVIEWS) -> dict:
    nlp = nlp or default_nlp()
    result: dict = {}
    if not deft:
        result["deft_val"] = {"status": "not scored (--no-deft)"}
    elif deft_path("val").exists():
        texts, gold = read_deft("val")
        pred, unlabelled = predict(nlp, texts)
        result["deft_val"] = {**scores(gold, pred), "unlabelled": unlabelled}
    else:
        result["deft_val"] = {"status": "data not available", "path": str(deft_path("val"))}
    municipal = read_municipal()
    for split in ("test", "dev"):
        items = [m for m in municipal if m["split"] == split]
        pred, unlabelled = predict(nlp, [m["text"] for m in items])
        result[f"municipal_{split}"] = {**scores([m["label"] for m in items], pred), "unlabelled": unlabelled}
    if reviews:
        result["reviews"] = polarity(nlp, reviews)
    if short_reviews:
        result["short_reviews"] = polarity(nlp, short_reviews)
    for path in labelled_sets:
        result[f"texts:{Path(path).name}"] = labelled(nlp, path)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=["accurate", "fast"], default="accurate")
    parser.add_argument("--reviews", default=str(REVIEWS), help="JSONL of long reviews {text, label}")
    parser.add_argument("--short-reviews", default=str(SHORT_REVIEWS), help="JSONL of short reviews {text, label}")
    parser.add_argument("--texts", action="append", default=[],
                        help="JSONL of short texts {text, label} scored over three classes (repeatable)")
    parser.add_argument("--no-deft", action="store_true",
                        help="do not score DEFT val (a held-out look: record every one in nlp/eval/README.md)")
    args = parser.parse_args(argv)
    print(json.dumps(evaluate(default_nlp(args.profile), args.reviews or None, not args.no_deft, args.texts,
                              args.short_reviews or None), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
