"""Topic evaluation: micro-F1 and per-topic precision/recall on nlp/eval/topics_testset.jsonl, or on an external set.

The set (written for Vigie, see README.md) has a ``split``: the taxonomy was tuned on ``dev``;
``test`` is the figure to report.  Run: ``.venv/bin/python -m vigie.nlp.eval.topics [--split dev|test|all]``.

An external set (e.g. labelled blind by someone who did not write the rules) comes as two JSONL
files, texts ``{"id", "text"}`` and labels ``{"id", "topics": [topic ids]}``, joined on ``id``:
``.venv/bin/python -m vigie.nlp.eval.topics --set texts.jsonl --labels labels.jsonl [--errors]``.
A text without labels, or labels without a text, is an error (named), not a silent skip.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vigie.nlp.eval._common import load_split, prf, text_rules_pipeline

TESTSET = Path(__file__).resolve().parent / "topics_testset.jsonl"


def load(split: str = "test") -> list[dict]:
    return load_split(TESTSET, split)


def load_external(texts: Path, labels: Path) -> list[dict]:
    """Rows ``{"id", "text", "topics"}`` from a texts file and a labels file joined on ``id``."""
    from vigie.jsonl import read_objects

    text_rows = {str(r["id"]): r["text"] for r in read_objects(texts)}
    label_rows = {str(r["id"]): list(r.get("topics") or []) for r in read_objects(labels)}
    missing = sorted(set(text_rows) ^ set(label_rows))
    if missing:
        raise ValueError(f"ids in only one of {texts} and {labels}: {', '.join(missing[:10])}"
                         + (" …" if len(missing) > 10 else ""))
    return [{"id": i, "text": text_rows[i], "topics": label_rows[i]} for i in text_rows]


def evaluate(nlp=None, split: str = "test", errors: bool = False, rows: list[dict] | None = None,
             name: str | None = None) -> dict:
    """Micro P/R/F1 over topic assignments, exact-set accuracy and per-topic P/R/F1 (of ``rows`` when given)."""
    nlp = text_rules_pipeline() if nlp is None else nlp
    if rows is None:
        rows, name = load(split), f"topics_testset.jsonl ({split})"
    counts: dict[str, list[int]] = {}
    tp = fp = fn = exact = 0
    mistakes = []
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        gold, pred = set(row["topics"]), set(doc._.topics or [])
        exact += gold == pred
        for topic in gold | pred:
            c = counts.setdefault(topic, [0, 0, 0])
            c[0] += topic in gold and topic in pred
            c[1] += topic in pred and topic not in gold
            c[2] += topic in gold and topic not in pred
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if gold != pred:
            mistakes.append({"id": row["id"], "text": row["text"], "gold": sorted(gold), "pred": sorted(pred)})
    result = {
        "set": name, "n": len(rows),
        "micro": prf(tp, fp, fn), "exact_match": round(exact / len(rows), 4) if rows else 0.0,
        "per_topic": {t: {**prf(*c), "support": c[0] + c[2]} for t, c in sorted(counts.items())},
    }
    if errors:
        result["errors"] = mistakes
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="test", choices=["dev", "test", "all"])
    parser.add_argument("--errors", action="store_true", help="list the texts where the topics differ")
    parser.add_argument("--set", type=Path, help="external texts, JSONL {id, text} (with --labels)")
    parser.add_argument("--labels", type=Path, help="labels of --set, JSONL {id, topics: [ids]}")
    args = parser.parse_args()
    if bool(args.set) != bool(args.labels):
        parser.error("--set and --labels go together")
    if args.set:
        result = evaluate(errors=args.errors, rows=load_external(args.set, args.labels),
                          name=f"{args.set} + {args.labels}")
    else:
        result = evaluate(split=args.split, errors=args.errors)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
