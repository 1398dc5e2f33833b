"""French full-text search on the real node: stemming, elision, accents, watch scope."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.support import names
from vigie.indexes.search import Filters, parse_since, search
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file

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
    install(es, ["lambersart", "marquette"], names=names)
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    assert index_file(es, path, names=names).indexed == len(DOCS)
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
    total, hits = search(indexed, query, names=names)
    assert ids(hits) == expected
    assert total == len(expected)


def test_watch_alias_scopes_the_search(indexed):
    _, hits = search(indexed, "inondation", watch_id="lambersart", names=names)
    assert ids(hits) == {"1"}
    _, hits = search(indexed, "inondation", watch_id="marquette", names=names)
    assert ids(hits) == {"4"}


def test_hits_are_highlighted(indexed):
    _, hits = search(indexed, "inondations", names=names)
    assert any("«inondations»" in h.snippet for h in hits)


def enriched(item_id, text, published_at, **fields):
    return {"item_id": item_id, "platform": fields.pop("platform", "facebook"),
            "source_id": fields.pop("source_id", "ville-fb"), "text": text, "published_at": published_at,
            "watch_ids": ["lambersart"], **fields}


ENRICHED = [
    enriched("e1", "Quand la rue Foch sera-t-elle réparée ? Toujours des nids-de-poule.",
             "2026-11-18T09:00:00+01:00", topics=["voirie"], sentiment={"label": "negative", "score": -0.6},
             request={"is_request": True, "kind": "question", "service": "voirie"},
             territory={"communes": [{"insee": "59328", "name": "Lambersart", "departement": "59"}]}),
    enriched("e2", "Merci pour le nouveau parc, les enfants adorent !", "2026-11-10T15:00:00+01:00",
             topics=["environnement"], sentiment={"label": "positive", "score": 0.8}, source_kind="facebook_page",
             author={"handle": "jeanne59"},
             territory={"communes": [{"insee": "59360", "name": "Lomme", "departement": "59"}]}),
    enriched("e3", "Les poubelles de la rue de Lille ne sont toujours pas ramassées.",
             "2026-11-19T08:00:00+01:00", topics=["proprete"], sentiment={"label": "negative", "score": -0.5},
             request={"is_request": True, "kind": "complaint", "service": "proprete", "answered": True},
             platform="mastodon", source_id="mastodon-59", source_kind="mastodon"),
]


@pytest.fixture
def enriched_index(es, tmp_path):
    install(es, ["lambersart"], names=names)
    path = tmp_path / "enriched.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in ENRICHED), encoding="utf-8")
    assert index_file(es, path, names=names).indexed == len(ENRICHED)
    return es


NOW = datetime.fromisoformat("2026-11-20T12:00:00+01:00")


@pytest.mark.parametrize(
    ("query", "filters", "expected"),
    [
        ("", Filters(topics=["voirie"]), {"e1"}),
        ("", Filters(topics=["voirie", "proprete"]), {"e1", "e3"}),
        ("", Filters(communes=["59328"]), {"e1"}),
        ("", Filters(communes=["lomme"]), {"e2"}),  # names match whatever their case
        ("", Filters(sentiment="negative"), {"e1", "e3"}),
        ("", Filters(since="2026-11-15"), {"e1", "e3"}),
        ("", Filters(since="2026-11-19"), {"e3"}),            # Paris midnight: 08:00 on the 19th is in
        ("", Filters(since="2026-11-19T07:30:00"), {"e3"}),    # 07:30 Paris time, not UTC (08:30 Paris)
        ("", Filters(sources=["mastodon"]), {"e3"}),        # a platform
        ("", Filters(sources=["ville-fb"]), {"e1", "e2"}),  # a source id
        ("", Filters(sources=["facebook_page"]), {"e2"}),   # a source kind
        ("", Filters(request=True), {"e1"}),                # e3 is answered
        ("", Filters(authors=["@Jeanne59"]), {"e2"}),       # handles match whatever their case
        ("rue", Filters(sentiment="negative", topics=["proprete"]), {"e3"}),
        ("parc", Filters(sentiment="negative"), set()),
    ],
)
def test_filters(enriched_index, query, filters, expected):
    _, hits = search(enriched_index, query, filters=filters, names=names)
    assert ids(hits) == expected


def test_relative_since():
    assert parse_since("2d", NOW) == "2026-11-18T12:00:00+01:00"
    assert parse_since("24h", NOW) == "2026-11-19T12:00:00+01:00"
    assert parse_since("1w", NOW) == "2026-11-13T12:00:00+01:00"
    with pytest.raises(ValueError, match="--since takes"):
        parse_since("last week")


def test_unknown_sentiment_is_refused():
    with pytest.raises(ValueError, match="sentiment must be one of"):
        Filters(sentiment="angry").clauses()
