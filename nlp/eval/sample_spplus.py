"""Build ``nlp/eval/reviews_spplus.jsonl`` from the Services Publics+ rows of ``LonneQuent/PE-x-DTIP``.

``.venv/bin/python -m vigie.nlp.eval.sample_spplus SOURCE.csv OUT.jsonl`` where SOURCE is
``balanced_dataset.csv`` of that repository (commit 7b4616eb761e; DITP's user experiences, see
nlp/eval/README.md).  Kept: the experiences felt positive or negative by their author ("Ressenti
usager"), title and description joined, longer than 300 characters (the long texts the issue asks
about), C1 control characters repaired (the students' copy decoded Windows-1252 as Latin-1: U+0092
back to ’, U+0080 to €).  Nothing else is changed; no pseudonym is kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import re

from vigie.jsonl import write_jsonl

MIN_CHARS = 300
LABELS = {"Positif": "positive", "Négatif": "negative"}
_C1 = re.compile("[\x80-\x9f]")


def repair(text: str) -> str:
    """Characters U+0080–U+009F read back as the Windows-1252 characters they were."""
    return _C1.sub(lambda m: m.group().encode("latin-1").decode("cp1252", "replace"), text)


def build(source: str, out: str) -> dict:
    kept, seen = [], set()
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = LABELS.get((row.get("Ressenti usager") or "").strip())
            title, body = (row.get("Titre") or "").strip(), (row.get("Description") or "").strip()
            text = repair(f"{title}. {body}" if title else body)
            if label is None or len(text) <= MIN_CHARS or text in seen:
                continue
            seen.add(text)
            kept.append({"id": row.get("ID expérience") or str(len(kept)), "text": text, "label": label,
                         "service": repair((row.get("Intitulé Typologie 1") or "").strip()) or None})
    write_jsonl(out, kept)
    return {"written": len(kept), "positive": sum(i["label"] == "positive" for i in kept),
            "negative": sum(i["label"] == "negative" for i in kept)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("out")
    args = parser.parse_args(argv)
    print(json.dumps(build(args.source, args.out)))


if __name__ == "__main__":
    main()
