"""French full-text search on the real node: stemming, elision, accents, watch scope."""

from __future__ import annotations

import json

import pytest

from indexes.search import search
from indexes.setup import install
from indexes.writer import index_file

DOCS = [
    {"id": "1", "text": "Les inondations ont touché la rue des Saules cette nuit.",
     "published_at": "2026-11-17T20:00:00+01:00", "watch_ids": ["lambersart"]},
    {"id": "2", "text": "Toutes les ecoles resteront ouvertes lundi, annonce la mairie.",
     "published_at": "2026-11-18T08:00:00+01:00", "watch_ids": ["lambersart"]},
    {"id": "3", "text": "Travaux de voirie : déviation avenue de l'Hippodrome.", "title": "Voirie",
     "published_at": "2026-11-12T09:00:00+01:00", "watch_ids": ["marquette"]},
    {"id": "4", "text": "Réunion publique sur l'inondation du 17 novembre.",
     "published_at": "2026-11-19T18:00:00+01:00", "watch_ids": ["marquette"]},
]


@pytest.fixture
def indexed(es, tmp_path):
    install(es, ["lambersart", "marquette"])
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    assert index_file(es, path).indexed == len(DOCS)
    return es


def ids(hits) -> set[str]:
    return {h.source["item_id"] for h in hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inondation", {"1", "4"}),           # singular finds plural
        ("inondations", {"1", "4"}),          # and the other way round
        ("école", {"2"}),                     # accents folded: "école" finds "ecoles"
        ("ECOLES", {"2"}),
        ("hippodrome", {"3"}),                # elision: "l'Hippodrome"
        ("voirie déviation", {"3"}),          # all words required
        ('"rue des saules"', {"1"}),          # phrase
        ("inondation -réunion", {"1"}),       # exclusion
        ("saules | hippodrome", {"1", "3"}),  # either
        ("neige", set()),
    ],
)
def test_french_queries(indexed, query, expected):
    total, hits = search(indexed, query)
    assert ids(hits) == expected
    assert total == len(expected)


def test_watch_alias_scopes_the_search(indexed):
    _, hits = search(indexed, "inondation", watch_id="lambersart")
    assert ids(hits) == {"1"}
    _, hits = search(indexed, "inondation", watch_id="marquette")
    assert ids(hits) == {"4"}


def test_hits_are_highlighted(indexed):
    _, hits = search(indexed, "inondations")
    assert any("«inondations»" in h.snippet for h in hits)
