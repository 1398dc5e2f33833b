"""Delete or update documents matching a query, on any cluster.

The local distribution has no ``reindex`` module, so no ``_delete_by_query`` or
``_update_by_query``: matching documents are scrolled and written back with bulk requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import scan, streaming_bulk


def matching(client: Elasticsearch, index: str, query: dict, source: list[str] | bool = False) -> Iterator[dict]:
    try:
        yield from scan(client, index=index, query={"query": query, "_source": source}, size=500,
                        scroll="2m", preserve_order=False)
    except NotFoundError:
        return


def rewrite_matching(client: Elasticsearch, index: str, query: dict, source: list[str],
                     decide: Callable[[dict], bool | dict]) -> dict:
    """For each match, ``decide(_source)`` returns False (delete), True (keep) or a partial update."""
    counts = {"deleted": 0, "updated": 0, "kept": 0, "deleted_ids": []}

    def actions():
        for hit in matching(client, index, query, source):
            decision = decide(hit.get("_source", {}))
            if decision is False:
                counts["deleted_ids"].append(hit["_id"])
                yield {"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]}
            elif decision is True:
                counts["kept"] += 1
            else:
                yield {"_op_type": "update", "_index": hit["_index"], "_id": hit["_id"], "doc": decision}

    for ok, item in streaming_bulk(client, actions(), chunk_size=500, raise_on_error=False, max_retries=3):
        op, result = next(iter(item.items()))
        if not ok and result.get("status") != 404:
            raise RuntimeError(f"{op} of {result.get('_id')} failed: {result.get('error')}")
        if op == "delete":
            counts["deleted"] += 1
        elif op == "update":
            counts["updated"] += 1
    if counts["deleted"] or counts["updated"]:
        client.indices.refresh(index=index, ignore_unavailable=True)
    return counts
