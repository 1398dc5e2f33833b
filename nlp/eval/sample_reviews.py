"""Rebuild ``nlp/eval/reviews_books_babelio.jsonl`` from the Babelio file of ``french_book_reviews``.

``.venv/bin/python -m vigie.nlp.eval.sample_reviews SOURCE.jsonl OUT.jsonl`` where SOURCE is
``Scrape_Babelio_Site/Babelio_reviews/spiders/babelio_reviews.jsonl`` of the GitHub repository
Abirate/Dataset_Creation_Scrapy_Project_French_book_reviews (CC0, see nlp/eval/README.md).
Reviews of 300+ characters, 4-5 stars positive, at most 2 stars negative, 90 of each, seed 16.
"""

from __future__ import annotations

import argparse
import json
import random

from vigie.jsonl import write_jsonl

MIN_CHARS = 300
PER_CLASS = 90
SEED = 16


def sample(source: str, out: str) -> dict:
    seen: set[str] = set()
    positive, negative = [], []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = " ".join((row.get("reader_review") or "").split())
            rating = row.get("rating")
            if len(text) < MIN_CHARS or text in seen or rating is None or rating > 5:
                continue
            seen.add(text)
            if rating >= 4:
                positive.append((text, rating))
            elif rating <= 2:
                negative.append((text, rating))
    rng = random.Random(SEED)  # noqa: S311  (reproducible sampling, not security)
    rng.shuffle(positive)
    rng.shuffle(negative)
    items = [(t, r, "positive") for t, r in positive[:PER_CLASS]]
    items += [(t, r, "negative") for t, r in negative[:PER_CLASS]]
    rng.shuffle(items)
    write_jsonl(out, ({"id": i, "text": text, "label": label, "rating": rating}
                      for i, (text, rating, label) in enumerate(items)))
    return {"positive_found": len(positive), "negative_found": len(negative), "written": len(items)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("out")
    args = parser.parse_args(argv)
    print(json.dumps(sample(args.source, args.out)))


if __name__ == "__main__":
    main()
