"""Territory evaluation: commune tagging precision/recall/F1 on nlp/eval/territory_testset.jsonl.

Each row gives a text, the watch it belongs to (or null) and the expected INSEE codes and watch
places (see README.md).  Scores are micro-averaged over commune mentions (the set of communes
of each text); places are scored the same way.  The rules were tuned on ``dev`` and ``test``;
``holdout`` (the default) was written later and is the least tuned (see README.md).
Run: ``.venv/bin/python -m vigie.nlp.eval.territory [--split dev|test|holdout|all] [--errors]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from vigie.nlp.eval._common import load_split, prf
from vigie.nlp.extensions import WatchContext

TESTSET = Path(__file__).resolve().parent / "territory_testset.jsonl"


def load(split: str = "holdout") -> list[dict]:
    return load_split(TESTSET, split)



def _context(watch: dict | None) -> WatchContext | None:
    if not watch:
        return None
    return WatchContext(watch_id=watch.get("name"), communes=tuple(watch["communes"]),
                        departements=tuple(watch.get("departements", ())), places=tuple(watch.get("places", ())))


def default_pipeline():
    """``spacy.blank("fr")`` + ``vigie_territory``: the component needs no model annotation."""
    import spacy

    import vigie.nlp.components.territory  # noqa: F401  (registers the factory)

    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_territory")
    return pipeline


def evaluate(nlp=None, split: str = "holdout", errors: bool = False) -> dict:
    """Micro P/R/F1 over commune mentions (INSEE codes) and over watch places."""
    nlp = nlp or default_pipeline()
    rows = load(split)
    docs = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        doc._.watch = _context(row["watch"])
        docs.append(doc)
    start = time.perf_counter()
    docs = list(nlp.pipe(docs))
    seconds = time.perf_counter() - start
    c = [0, 0, 0]
    p = [0, 0, 0]
    mistakes = []
    for row, doc in zip(rows, docs, strict=True):
        territory = doc._.territory or {}
        gold = {x["insee"] for x in row["communes"]}
        pred = {x["insee"] for x in territory.get("communes", [])}
        gold_places, pred_places = set(row["places"]), set(territory.get("places", []))
        for counts, g, pr in ((c, gold, pred), (p, gold_places, pred_places)):
            counts[0] += len(g & pr)
            counts[1] += len(pr - g)
            counts[2] += len(g - pr)
        if gold != pred or gold_places != pred_places:
            names = {x["insee"]: x["name"] for x in row["communes"] + territory.get("communes", [])}
            mistakes.append({
                "id": row["id"], "text": row["text"], "watch": (row["watch"] or {}).get("name"),
                "missed": sorted(f"{k} {names[k]}" for k in gold - pred),
                "wrong": sorted(f"{k} {names[k]}" for k in pred - gold),
                "places_missed": sorted(gold_places - pred_places), "places_wrong": sorted(pred_places - gold_places),
            })
    result = {
        "set": f"territory_testset.jsonl ({split})", "texts": len(rows),
        "communes": prf(*c, counts=True), "places": prf(*p, counts=True), "seconds": round(seconds, 3),
    }
    if errors:
        result["errors"] = mistakes
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="holdout", choices=["dev", "test", "holdout", "all"])
    parser.add_argument("--errors", action="store_true", help="list the texts where the result differs")
    args = parser.parse_args()
    print(json.dumps(evaluate(split=args.split, errors=args.errors), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
