"""Citizen request evaluation: the own set (nlp/eval/requests_testset.jsonl) or an external set.

Figures: precision/recall/F1 of ``is_request``; precision/recall of each kind (question, report,
complaint, service_request: a predicted kind counts when the text is a request of that kind); among
the true requests found, how often the ``kind`` and the routed ``service`` agree with the labels.

Own set: ``.venv/bin/python -m vigie.nlp.eval.requests [--split dev|test|all] [--errors]``.
``--profile accurate`` (default: the trained model over the sentence encoder and the rules' signals) or
``fast`` (the rules alone), as in ``vigie enrich``.
External set: ``--set texts.jsonl --labels labels.jsonl``, texts as {"id", "text", "context": null |
{"parent_text", "parent_author": "mairie|citizen|media"}, "source"}, labels as {"id", "is_request",
"kind", "service"} (joined on ``id``; a text without a label is skipped and counted).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vigie.jsonl import read_objects
from vigie.nlp.components.request import KINDS, META
from vigie.nlp.eval._common import load_split, prf

TESTSET = Path(__file__).resolve().parent / "requests_testset.jsonl"


def load(split: str = "test") -> list[dict]:
    return load_split(TESTSET, split)


def load_external(texts: Path, labels: Path) -> tuple[list[dict], int]:
    """Rows {id, text, context, is_request, kind, service} of an external set, and how many texts had no label."""
    gold = {str(row["id"]): row for row in read_objects(labels)}
    rows, unlabelled = [], 0
    for row in read_objects(texts):
        label = gold.get(str(row.get("id")))
        if label is None or not isinstance(row.get("text"), str):
            unlabelled += 1
            continue
        rows.append({"id": row["id"], "text": row["text"], "context": row.get("context"),
                     "is_request": bool(label.get("is_request")), "kind": label.get("kind"),
                     "service": label.get("service")})
    return rows, unlabelled


def docs_with_context(nlp, rows: list[dict]):
    """The rows' texts as docs, each reply carrying its parent post as the crawl would give it."""
    for row in rows:
        doc = nlp.make_doc(row["text"])
        context = row.get("context")
        if isinstance(context, dict):
            doc.user_data[META] = {"parent_text": context.get("parent_text"),
                                   "parent_author": context.get("parent_author")}
        yield doc


def score(nlp, rows: list[dict], name: str, errors: bool = False) -> dict:
    tp = fp = fn = kind_ok = service_ok = 0
    kinds = {k: [0, 0, 0] for k in KINDS}  # tp, fp, fn per kind
    mistakes = []
    for row, doc in zip(rows, nlp.pipe(docs_with_context(nlp, rows)), strict=True):
        pred = doc._.request or {}
        gold_req, pred_req = bool(row["is_request"]), bool(pred.get("is_request"))
        gold_kind = row.get("kind") if gold_req else None
        pred_kind = pred.get("kind") if pred_req else None
        tp += gold_req and pred_req
        fp += pred_req and not gold_req
        fn += gold_req and not pred_req
        if gold_req and pred_req:
            kind_ok += pred_kind == gold_kind
            service_ok += pred.get("service") == row.get("service")
        for k, counts in kinds.items():
            counts[0] += gold_kind == k and pred_kind == k
            counts[1] += pred_kind == k and gold_kind != k
            counts[2] += gold_kind == k and pred_kind != k
        if (gold_req, gold_kind, row.get("service") if gold_req else None) != \
                (pred_req, pred_kind, pred.get("service") if pred_req else None):
            mistakes.append({"id": row["id"], "text": row["text"], "context": row.get("context"),
                             "gold": [gold_req, gold_kind, row.get("service")],
                             "pred": [pred_req, pred_kind, pred.get("service"), pred.get("cue")]})
    result = {
        "set": name, "n": len(rows), "requests": sum(bool(row["is_request"]) for row in rows),
        **prf(tp, fp, fn, counts=True),
        "kinds": {k: {**prf(*c), "support": c[0] + c[2]} for k, c in kinds.items()},
        "kind_accuracy": round(kind_ok / tp, 4) if tp else 0.0,
        "service_accuracy": round(service_ok / tp, 4) if tp else 0.0,
    }
    if errors:
        result["errors"] = mistakes
    return result


def request_pipeline(profile: str = "accurate"):
    """The pipeline the request component needs (topics route the service); ``profile``: its model."""
    from vigie.nlp.pipeline import build_pipeline

    return build_pipeline(exclude=["vigie_territory", "vigie_sentiment", "vigie_toxicity", "vigie_terms"],
                          config={"vigie_request": {"profile": profile}})


def evaluate(nlp=None, split: str = "test", errors: bool = False, profile: str = "accurate") -> dict:
    nlp = request_pipeline(profile) if nlp is None else nlp
    rows = [{**r, "context": r.get("context")} for r in load(split)]
    return score(nlp, rows, f"requests_testset.jsonl ({split})", errors)


def evaluate_external(texts: Path, labels: Path, nlp=None, errors: bool = False,
                      profile: str = "accurate") -> dict:
    nlp = request_pipeline(profile) if nlp is None else nlp
    rows, unlabelled = load_external(Path(texts), Path(labels))
    return {**score(nlp, rows, str(texts), errors), "unlabelled": unlabelled}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=["dev", "test", "holdout", "holdout2", "all"])
    parser.add_argument("--set", dest="texts", type=Path, help="external texts (JSONL)")
    parser.add_argument("--labels", type=Path, help="labels of the external texts (JSONL)")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--profile", default="accurate", choices=["accurate", "fast"],
                        help="accurate: the trained model (default); fast: the rules alone")
    args = parser.parse_args()
    if bool(args.texts) != bool(args.labels):
        parser.error("--set and --labels go together")
    if args.texts:
        result = evaluate_external(args.texts, args.labels, errors=args.errors, profile=args.profile)
    else:
        result = evaluate(split=args.split, errors=args.errors, profile=args.profile)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
