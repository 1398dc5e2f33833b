from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from vigie.schema import Document, Kind, from_record, make_doc_id

BASE = {"item_id": "42", "platform": "mastodon", "source_id": "m59",
        "published_at": "2026-11-17T19:42:00+01:00", "text": "La Deûle déborde"}


def test_doc_id_is_stable_and_distinct():
    assert make_doc_id("mastodon", "42") == make_doc_id("Mastodon", " 42 ")
    assert make_doc_id("mastodon", "42") != make_doc_id("reddit", "42")
    assert len(make_doc_id("rss", "https://x.example/a")) == 32
    assert Document(**BASE).doc_id == make_doc_id("mastodon", "42")


def test_doc_id_that_does_not_match_is_refused():
    with pytest.raises(ValidationError, match="does not match"):
        Document(**BASE, doc_id="0" * 32)


def test_naive_dates_are_refused():
    with pytest.raises(ValidationError, match="timezone"):
        Document(**{**BASE, "published_at": "2026-11-17T19:42:00"})


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="surprise"):
        Document(**BASE, surprise=1)


def test_json_round_trip():
    doc = Document(**BASE, kind="comment", author={"handle": "jeanne", "followers": 12},
                   engagement={"likes": 3}, territory={"location": {"lat": 50.65, "lon": 3.02}})
    again = Document.model_validate(json.loads(json.dumps(doc.to_json_dict())))
    assert again == doc
    assert again.kind is Kind.comment
    assert again.engagement.total == 3


def test_minimal_record_is_filled():
    now = datetime(2026, 11, 20, tzinfo=UTC)
    doc = from_record({"id": "a1", "text": "Bonjour", "published_at": "2026-11-18T10:00:00Z",
                       "url": "https://x.example/a1", "watch_ids": ["lambersart"]}, now=now)
    assert doc.platform == "import" and doc.source_id == "import"
    assert doc.item_id == "a1" and doc.canonical_url == "https://x.example/a1"
    assert doc.crawled_at == now and doc.kind is Kind.post
    assert doc.doc_id == make_doc_id("import", "a1")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "x", "published_at": "2026-11-18T10:00:00Z"}, "missing 'id'"),
        ({"id": "1", "text": "x", "published_at": "2026-11-18T10:00:00Z", "likes": 3}, "unknown keys"),
        (["not", "an", "object"], "expected a JSON object"),
    ],
)
def test_bad_minimal_records(record, message):
    with pytest.raises(ValueError, match=message):
        from_record(record)
