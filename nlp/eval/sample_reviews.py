"""Rebuild ``nlp/eval/reviews_books_babelio.jsonl`` from the Babelio file of ``french_book_reviews``.

``.venv/bin/python -m vigie.nlp.eval.sample_reviews SOURCE.jsonl OUT.jsonl`` where SOURCE is
``Scrape_Babelio_Site/Babelio_reviews/spiders/babelio_reviews.jsonl`` of the GitHub repository
Abirate/Dataset_Creation_Scrapy_Project_French_book_reviews (CC0, see nlp/eval/README.md).
Reviews of 300+ characters, 4-5 stars positive, at most 2 stars negative, 90 of each, seed 16.

The short-review set ``nlp/eval/reviews_books_babelio_short.jsonl`` (texts of 20 to 299 characters, the
short path of ``vigie_sentiment``): ``--min-chars 20 --max-chars 299 --per-class 150 --seed 17``.
"""

from __future__ import annotations

import argparse
import json
import random

from vigie.jsonl import write_jsonl

MIN_CHARS = 300
PER_CLASS = 90
SEED = 16


def sample(source: str, out: str, min_chars: int = MIN_CHARS, max_chars: int | None = None,
           per_class: int = PER_CLASS, seed: int = SEED) -> dict:
    seen: set[str] = set()
    positive, negative = [], []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = " ".join((row.get("reader_review") or "").split())
            rating = row.get("rating")
            too_long = max_chars is not None and len(text) > max_chars
            if len(text) < min_chars or too_long or text in seen or rating is None or rating > 5:
                continue
            seen.add(text)
            if rating >= 4:
                positive.append((text, rating))
            elif rating <= 2:
                negative.append((text, rating))
    rng = random.Random(seed)  # noqa: S311  (reproducible sampling, not security)
    rng.shuffle(positive)
    rng.shuffle(negative)
    items = [(t, r, "positive") for t, r in positive[:per_class]]
    items += [(t, r, "negative") for t, r in negative[:per_class]]
    rng.shuffle(items)
    write_jsonl(out, ({"id": i, "text": text, "label": label, "rating": rating}
                      for i, (text, rating, label) in enumerate(items)))
    return {"positive_found": len(positive), "negative_found": len(negative), "written": len(items)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--min-chars", type=int, default=MIN_CHARS)
    parser.add_argument("--max-chars", type=int, default=None, help="longest text kept (default: no limit)")
    parser.add_argument("--per-class", type=int, default=PER_CLASS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    print(json.dumps(sample(args.source, args.out, args.min_chars, args.max_chars, args.per_class, args.seed)))


if __name__ == "__main__":
    main()
