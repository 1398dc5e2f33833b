"""Elasticsearch store per document, for the sizing in docs/DEPLOY.md.

Builds N documents from the demo's French texts (sentences recombined across documents and identifiers
made unique, so that Elasticsearch's compression does not see the same text twice), enriches them with
Vigie's real pipeline (profile ``fast``), indexes them with Vigie's writer under a throw-away prefix,
force-merges to one segment and prints the primary store size per document. The prefix is deleted.

    ELASTICSEARCH_URL=http://127.0.0.1:9250 .venv/bin/python deploy/tools/store_per_doc.py --docs 5000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "vigie" / "demo" / "lambersart.jsonl"


def documents(n: int, seed: int = 18) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    base = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [s.strip() for d in base for s in (d.get("text") or "").replace("\n", " ").split(". ") if s.strip()]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        doc = dict(base[i % len(base)])
        doc.pop("doc_id", None)
        length = max(1, min(12, int(rng.expovariate(1 / 3)) + 1))
        doc["text"] = ". ".join(rng.choice(sentences) for _ in range(length)) + "."
        doc["item_id"] = f"{doc['item_id']}-{uuid.UUID(int=rng.getrandbits(128)).hex}"
        doc["url"] = doc["canonical_url"] = f"{doc['url']}?p={i}"
        doc["thread_id"] = doc["parent_id"] = None
        doc["published_at"] = (start + timedelta(seconds=rng.randrange(86400 * 28))).isoformat()
        out.append(doc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    args = parser.parse_args()

    from vigie.indexes.client import connect
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file
    from vigie.indexnames import IndexNames
    from vigie.nlp.enrich import enrich_file

    names = IndexNames(f"vigie-store-{uuid.uuid4().hex[:6]}")
    client = connect()
    install(client, names=names)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            raw, enriched = Path(tmp) / "raw.jsonl", Path(tmp) / "enriched.jsonl"
            docs = documents(args.docs)
            raw.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            enrich_file(raw, enriched, processes=1, progress=False, profile="fast")
            report = index_file(client, enriched, names=names)
            source_bytes = enriched.stat().st_size
        pattern = f"{names.prefix}-documents-*"
        client.indices.refresh(index=pattern)
        client.indices.forcemerge(index=pattern, max_num_segments=1)
        stats = client.indices.stats(index=pattern, metric="store,docs")["_all"]["primaries"]
        count, size = stats["docs"]["count"], stats["store"]["size_in_bytes"]
        print(json.dumps({"documents": count, "indexed": report.indexed, "store_bytes": size,
                          "store_bytes_per_document": round(size / max(count, 1)),
                          "enriched_json_bytes_per_document": round(source_bytes / max(len(docs), 1)),
                          "mean_text_chars": round(sum(len(d["text"]) for d in docs) / len(docs))}))
    finally:
        for index in client.indices.get(index=f"{names.prefix}*", expand_wildcards="all"):
            client.indices.delete(index=index)
        client.indices.delete_index_template(name=names.documents_template())


if __name__ == "__main__":
    sys.exit(main())
