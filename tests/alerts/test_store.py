"""The alert store and the saved-query evaluator against the real Elasticsearch node."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import names
from vigie.alerts.detect.saved_queries import Query
from vigie.alerts.model import Alert
from vigie.alerts.store import AlertStore
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.jsonl import write_jsonl

from .conftest import T0, make_doc


def test_store_writes_are_idempotent_and_seen_per_watch(es):
    store = AlertStore(es, names)
    store.ensure("ville-a")
    store.ensure("ville-b")
    a = Alert(alert_id="a1", watch_id="ville-a", kind="crisis_keywords", key="inondation", title="Crise possible",
              fired_at="2026-11-17T18:45:00Z", last_seen="2026-11-17T18:40:00Z", doc_count=3, communes=["59328"],
              samples=[{"doc_id": "d", "url": "https://x.example/1", "title": None, "excerpt": "<b>x</b>",
                        "published_at": "2026-11-17T18:40:00Z", "platform": "rss", "source_id": "s"}],
              history=[{"level": 1, "fired_at": "2026-11-17T18:45:00Z", "doc_count": 3}], doc_ids=["d"])
    b = Alert(alert_id="b1", watch_id="ville-b", kind="saved_query", key="q", title="Requête",
              fired_at="2026-11-17T19:00:00Z", last_seen="2026-11-17T18:59:00Z", doc_count=4)
    store.save([a, b])
    a.level, a.doc_count = 2, 6
    store.save([a])
    assert es.count(index=names.alerts_index())["count"] == 2
    assert store.get("a1").level == 2 and store.get("a1").samples[0]["excerpt"] == "<b>x</b>"
    assert [x.alert_id for x in store.search("ville-a")] == ["a1"]
    assert store.get("b1", watch_id="ville-a") is None
    mapping = es.indices.get_mapping(index=names.alerts_index())[names.alerts_index()]["mappings"]
    assert mapping["dynamic"] == "strict"
    for field in ("fired_at", "kind", "title", "status", "level", "doc_count", "communes", "topics"):
        assert field in mapping["properties"]


QUERIES = ["inondation", "inondée", '"rue des saules"', "saules AND -pluie", "saules OR piscine", "caves",
           "topics:voirie", "topics:voirie AND inondée", "(piscine OR marché) AND NOT fermée", "évacuation",
           '"passage souterrain" OR (pacot AND crue)', "école*", "orages", "noël"]


@pytest.fixture
def indexed(es, tmp_path):
    texts = ["La rue des Saules est inondée, évacuation en cours.", "Caves inondées rue des Saules après les orages.",
             "La piscine est fermée pour travaux.", "Le marché de Noël ouvre samedi.",
             "Passage souterrain fermé à Pacot, la Deûle en crue.", "Les écoles sont ouvertes demain.",
             "Il pleut sur les Saules mais rien d'inondé.", "Orage et pluie : inondation du sous-sol de l'école."]
    docs = [make_doc(i, t, T0 + timedelta(minutes=i), topics=["voirie"] if i % 2 else []) for i, t in enumerate(texts)]
    path = tmp_path / "docs.jsonl"
    write_jsonl(path, docs)
    install(es, ["testville"], names=names)
    index_file(es, path, watch_id="testville", names=names)
    es.indices.refresh(index=names.documents_alias())
    return docs


@pytest.mark.parametrize("query", QUERIES)
def test_offline_evaluator_agrees_with_elasticsearch_query_string(es, indexed, query):
    res = es.search(index=names.watch_alias("testville"), size=50, query={"query_string": {
        "query": query, "fields": ["title", "text"], "default_operator": "AND"}} if not query.startswith("topics")
        else {"query_string": {"query": query, "default_field": "text", "default_operator": "AND"}})
    online = {h["_id"] for h in res["hits"]["hits"]}
    offline = {d.doc_id for d in indexed if Query(query).matches(d)}
    assert offline == online, query
