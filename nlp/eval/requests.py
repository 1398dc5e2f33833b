"""Citizen request evaluation on nlp/eval/requests_testset.jsonl.

Figures: precision/recall/F1 of ``is_request``; among the true requests found, how often the
``kind`` (question, complaint, report, suggestion) and the routed ``service`` agree with the labels.
The rules were tuned on ``dev``; ``test`` is the figure to report.
Run: ``.venv/bin/python -m vigie.nlp.eval.requests [--split dev|test|all] [--errors]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vigie.nlp.eval._common import load_split, prf, text_rules_pipeline

TESTSET = Path(__file__).resolve().parent / "requests_testset.jsonl"


def load(split: str = "test") -> list[dict]:
    return load_split(TESTSET, split)


def evaluate(nlp=None, split: str = "test", errors: bool = False) -> dict:
    nlp = text_rules_pipeline() if nlp is None else nlp
    rows = load(split)
    tp = fp = fn = kind_ok = service_ok = 0
    mistakes = []
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        pred = doc._.request or {}
        gold_req, pred_req = row["is_request"], bool(pred.get("is_request"))
        tp += gold_req and pred_req
        fp += pred_req and not gold_req
        fn += gold_req and not pred_req
        if gold_req and pred_req:
            kind_ok += pred.get("kind") == row["kind"]
            service_ok += pred.get("service") == row["service"]
        if (gold_req, row["kind"], row["service"]) != (pred_req, pred.get("kind"), pred.get("service")):
            mistakes.append({"id": row["id"], "text": row["text"],
                             "gold": [gold_req, row["kind"], row["service"]],
                             "pred": [pred_req, pred.get("kind"), pred.get("service")]})
    result = {
        "set": f"requests_testset.jsonl ({split})", "n": len(rows),
        "requests": sum(row["is_request"] for row in rows),
        **prf(tp, fp, fn),
        "kind_accuracy": round(kind_ok / tp, 4) if tp else 0.0,
        "service_accuracy": round(service_ok / tp, 4) if tp else 0.0,
    }
    if errors:
        result["errors"] = mistakes
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="test", choices=["dev", "test", "all"])
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    print(json.dumps(evaluate(split=args.split, errors=args.errors), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
