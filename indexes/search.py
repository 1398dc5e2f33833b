"""Full-text search over the documents, for the CLI and for those without Kibana."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch

from indexes import names

SEARCH_FIELDS = ["title^2", "text", "author.name"]


@dataclass
class Hit:
    doc_id: str
    score: float
    source: dict
    highlight: list[str]

    @property
    def snippet(self) -> str:
        if self.highlight:
            return " … ".join(self.highlight)
        return (self.source.get("text") or "")[:200]


def build_query(query: str) -> dict:
    """French full-text query; users may write "phrases", -exclusions and OR (|)."""
    return {
        "simple_query_string": {
            "query": query,
            "fields": SEARCH_FIELDS,
            "default_operator": "and",
        }
    }


def search(client: Elasticsearch, query: str, watch_id: str | None = None, size: int = 10) -> tuple[int, list[Hit]]:
    index = names.watch_alias(watch_id) if watch_id else names.documents_alias()
    resp = client.search(
        index=index,
        query=build_query(query),
        size=size,
        sort=["_score", {"published_at": "desc"}],
        highlight={
            "fields": {"text": {"fragment_size": 160, "number_of_fragments": 2}, "title": {}},
            "pre_tags": ["«"], "post_tags": ["»"],
        },
        track_total_hits=True,
    )
    hits = [
        Hit(h["_id"], h.get("_score") or 0.0, h["_source"],
            h.get("highlight", {}).get("text") or h.get("highlight", {}).get("title") or [])
        for h in resp["hits"]["hits"]
    ]
    return resp["hits"]["total"]["value"], hits
