"""Functional moderation suite: ``.venv/bin/python -m vigie.nlp.eval.moderation [--suite PATH] [--errors]``.

A suite is JSONL, one case a line: ``{"id", "text", "functionality", "flag": bool, "target": group|null}``
and optionally ``"variant"`` (the form the case tests; accuracy per variant is then reported too)
(HateCheck-style: each functionality tests one thing, e.g. ``slur_obfuscated`` or ``counter_speech``).
Scores ``doc._.toxicity["flagged"]`` of ``vigie_toxicity`` against ``flag``: precision, recall and F1 of
hateful-vs-not (hateful = ``flag`` true), accuracy per functionality, and, among the flagged cases that
expect a protected group, how often the component names the same ``target``.  When cases also carry
``"hate": bool`` (hate towards a protected group, as opposed to an insult of a person or of an unprotected
group), the ``hate`` label of ``doc._.toxicity["labels"]`` is scored against it too (``hate_label``).

The default suite ``nlp/eval/moderation_dev.jsonl`` is our development suite: the rules were tuned on
it, so its figures are not held out.  A blind suite written by someone else is scored with ``--suite``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from vigie.jsonl import read_objects
from vigie.nlp.eval._common import prf

DEV_SUITE = Path(__file__).with_name("moderation_dev.jsonl")
PROTECTED = ("origin", "religion", "gender", "sexual_orientation", "disability")


def default_nlp(profile: str = "fast"):
    """``vigie_toxicity`` alone: profile ``fast`` (rules and linear model) or ``accurate`` (plus the e5
    functional head, the product's default)."""
    import spacy

    import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)

    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_toxicity", config={"profile": profile})
    return pipeline


def score_suite(cases: list[dict], preds: list[dict], errors: bool = False) -> dict:
    tp = sum(1 for c, p in zip(cases, preds, strict=True) if c["flag"] and p["flagged"])
    fp = sum(1 for c, p in zip(cases, preds, strict=True) if not c["flag"] and p["flagged"])
    fn = sum(1 for c, p in zip(cases, preds, strict=True) if c["flag"] and not p["flagged"])
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    target_hits = [0, 0]
    wrong = []
    for case, pred in zip(cases, preds, strict=True):
        ok = bool(pred["flagged"]) == bool(case["flag"])
        per[case["functionality"]][0] += ok
        per[case["functionality"]][1] += 1
        if case.get("variant"):  # the form a case tests (question, negated positive, spelling game…), if given
            per_variant[case["variant"]][0] += ok
            per_variant[case["variant"]][1] += 1
        if case["flag"] and pred["flagged"] and case.get("target") in PROTECTED:
            target_hits[0] += pred.get("target") == case["target"]
            target_hits[1] += 1
        if not ok:
            wrong.append({"id": case.get("id"), "functionality": case["functionality"], "text": case["text"],
                          "expected": case["flag"], "got": {k: pred.get(k) for k in ("category", "target", "cue",
                                                                                       "labels", "score")}})
    result = {"n": len(cases), "hateful_vs_not": prf(tp, fp, fn, counts=True),
              "accuracy": round(sum(v[0] for v in per.values()) / max(1, len(cases)), 4),
              "per_functionality": {f: {"accuracy": round(a / n, 4), "n": n} for f, (a, n) in sorted(per.items())},
              "target_accuracy": {"accuracy": round(target_hits[0] / target_hits[1], 4) if target_hits[1] else None,
                                  "n": target_hits[1]}}
    if all("hate" in c for c in cases):
        hate = [(bool(c["hate"]), "hate" in (p.get("labels") or [])) for c, p in zip(cases, preds, strict=True)]
        result["hate_label"] = prf(sum(g and h for g, h in hate), sum(h and not g for g, h in hate),
                                   sum(g and not h for g, h in hate), counts=True)
    if per_variant:
        result["per_variant"] = {v: {"accuracy": round(a / n, 4), "n": n} for v, (a, n) in sorted(per_variant.items())}
    if errors:
        result["errors"] = wrong
    return result


def evaluate(nlp=None, suite: Path | str = DEV_SUITE, errors: bool = False) -> dict:
    nlp = nlp or default_nlp()
    cases = list(read_objects(Path(suite)))
    preds = [doc._.toxicity for doc in nlp.pipe([c["text"] for c in cases], batch_size=256)]
    return {"suite": str(suite), **score_suite(cases, preds, errors)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=DEV_SUITE, help="JSONL suite (default: our dev suite)")
    parser.add_argument("--errors", action="store_true", help="list the cases the component gets wrong")
    parser.add_argument("--profile", choices=("accurate", "fast"), default="accurate",
                        help="NLP profile (default accurate, the product's default; fast: rules and linear model)")
    args = parser.parse_args(argv)
    result = evaluate(default_nlp(args.profile), suite=args.suite, errors=args.errors)
    result["profile"] = args.profile
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
