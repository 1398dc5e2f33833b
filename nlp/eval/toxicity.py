"""Evaluate ``vigie_toxicity``: ``.venv/bin/python -m vigie.nlp.eval.toxicity [--profile accurate|fast]``.

The profile defaults to ``accurate``, the product's default (since stop 36; the MLMA looks before it ran the
component's factory default, ``fast``).

- MLMA French held-out split (``vigie.nlp.train.data.read_mlma``: deduplicated, ~20 % held out by a hash of
  the text; from the shared data folder, "data not available" without it): precision / recall of
  ``insult`` (offensive, abusive or disrespectful), of ``hate`` against two readings of MLMA:
  ``hate_protected`` (hostile and MLMA ``target`` a protected trait: the moderator's definition, the one
  trained on) and ``hate_mlma_hateful`` (MLMA's own ``hateful`` label), and of ``flagged`` against "any
  hostile MLMA label";
- our rule-label set ``nlp/eval/toxicity_rules.jsonl`` (80 texts of our own writing, written while the
  rules were written: a sanity check, not an unbiased benchmark): precision / recall of every label;
- flag rates on texts expected to be mostly clean: DEFT 2017 val and the municipal sentiment test set.
"""

from __future__ import annotations

import argparse
import json

from vigie.nlp.train.data import EVAL, deft_path, mlma_path, read_deft, read_jsonl, read_mlma, read_municipal

LABELS = ("insult", "hate", "threat", "harassment", "obscenity", "personal_data")


def default_nlp(profile: str = "fast"):
    import spacy

    import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)

    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_toxicity", config={"profile": profile})
    return pipeline


def binary(gold: list[bool], pred: list[bool]) -> dict:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": tp + fn, "predicted": tp + fp}


def predict(nlp, texts: list[str]) -> list[dict]:
    return [doc._.toxicity for doc in nlp.pipe(texts, batch_size=256)]


def per_label(items: list[dict], preds: list[dict], labels) -> dict:
    return {label: binary([label in i["labels"] for i in items], [label in p["labels"] for p in preds])
            for label in labels}


def evaluate(nlp=None) -> dict:
    nlp = nlp or default_nlp()
    result: dict = {}
    if mlma_path().exists():
        _, test = read_mlma()
        preds = predict(nlp, [t["text"] for t in test])
        hate_pred = ["hate" in p["labels"] for p in preds]
        result["mlma_heldout"] = {
            "n": len(test),
            "insult": per_label(test, preds, ("insult",))["insult"],
            "hate_protected": binary([t["protected_hostile"] for t in test], hate_pred),
            "hate_mlma_hateful": binary(["hate" in t["labels"] for t in test], hate_pred),
            "flagged_vs_any_hostile": binary([bool(t["labels"]) for t in test], [p["flagged"] for p in preds]),
        }
    else:
        result["mlma_heldout"] = {"status": "data not available", "path": str(mlma_path())}
    result.update(checks(nlp))
    return result


def checks(nlp) -> dict:
    """What does not read MLMA's held-out part: the own rules set and the flag rates on texts expected to be
    clean (counts only); the training script prints these."""
    result: dict = {}
    own = read_jsonl(EVAL / "toxicity_rules.jsonl")
    preds = predict(nlp, [i["text"] for i in own])
    result["own_rules_set"] = {"n": len(own), **per_label(own, preds, LABELS),
                               "flagged_vs_any_label": binary([bool(i["labels"]) for i in own],
                                                              [p["flagged"] for p in preds])}
    clean = {"municipal_test": [m["text"] for m in read_municipal() if m["split"] == "test"]}
    if deft_path("val").exists():
        clean["deft_val"] = read_deft("val")[0]
    for name, texts in clean.items():
        preds = predict(nlp, texts)
        counts = {label: sum(1 for p in preds if label in p["labels"]) for label in LABELS}
        flagged = round(sum(p["flagged"] for p in preds) / len(texts), 4)
        result[f"flag_rate_{name}"] = {"n": len(texts), "flagged": flagged, "labels": counts}
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("accurate", "fast"), default="accurate",
                        help="NLP profile (default accurate, the product's default; fast: no e5 head)")
    args = parser.parse_args(argv)
    result = evaluate(default_nlp(args.profile))
    result["profile"] = args.profile
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
