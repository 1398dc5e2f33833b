"""Indexing throughput: our bulk writer against one-request-per-document, in the same run.

Usage: .venv/bin/python bench/bench_index.py [--docs 20000] [--baseline-docs 1000]
Runs against ELASTICSEARCH_URL, or the local node (started if needed) with a bench index
prefix that is deleted at the end.  Prints docs/s for both and the ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO = ROOT / "vigie" / "demo" / "lambersart.jsonl"


def synthetic(n: int) -> list[dict]:
    """n realistic documents: the demo texts, each with its own id."""
    base = [json.loads(line) for line in DEMO.read_text().splitlines() if line.strip()]
    out = []
    for i in range(n):
        doc = dict(base[i % len(base)])
        doc.pop("doc_id", None)
        doc["item_id"] = f"{doc['item_id']}-{i}"
        doc["thread_id"] = doc["parent_id"] = None
        out.append(doc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--baseline-docs", type=int, default=1000)
    args = parser.parse_args()

    from tests.conftest import delete_prefixed
    from vigie.indexes.client import connect
    from vigie.indexes.local_node import LocalNode
    from vigie.indexes.setup import ensure_index, install
    from vigie.indexes.writer import index_file
    from vigie.indexnames import IndexNames
    from vigie.schema import Document
    from vigie.settings import ESSettings

    if not ESSettings.from_env().external:
        LocalNode().start()
    names = IndexNames(f"vigie-bench-{uuid.uuid4().hex[:6]}")
    client = connect()
    install(client, names=names)
    docs = synthetic(args.docs)
    try:
        # Baseline: one index request per document, as a naive writer would do.
        baseline = [Document.model_validate(d) for d in docs[: args.baseline_docs]]
        for doc in baseline:
            ensure_index(client, names.documents_index(doc.published_at))
        t0 = time.perf_counter()
        for doc in baseline:
            client.index(index=names.documents_index(doc.published_at), id=doc.doc_id,
                         document=doc.to_json_dict())
        client.indices.refresh(index=names.documents_alias())
        base_s = time.perf_counter() - t0
        base_rate = len(baseline) / base_s

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "docs.jsonl"
            path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            t0 = time.perf_counter()
            report = index_file(client, path, names=names)
            bulk_s = time.perf_counter() - t0
            assert report.indexed == len(docs), report.to_dict()
            t0 = time.perf_counter()
            again = index_file(client, path, names=names)
            rerun_s = time.perf_counter() - t0
            assert again.created == 0
        bulk_rate = len(docs) / bulk_s
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"baseline  one request per doc : {len(baseline):>6} docs in {base_s:6.2f}s = {base_rate:8.0f} docs/s")
        print(f"vigie     index_file (bulk)   : {len(docs):>6} docs in {bulk_s:6.2f}s = {bulk_rate:8.0f} docs/s")
        rerun_rate = len(docs) / rerun_s
        print(f"vigie     re-run, same file   : {len(docs):>6} docs in {rerun_s:6.2f}s = {rerun_rate:8.0f} docs/s")
        print(f"ratio     bulk / baseline     : {bulk_rate / base_rate:8.1f}x")
        print(f"peak RSS of this process      : {rss:8.0f} MiB")
    finally:
        delete_prefixed(client, names.prefix)


if __name__ == "__main__":
    main()
