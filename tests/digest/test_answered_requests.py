"""Citizen requests end to end: raw crawl files → real pipeline → index stage (real Elasticsearch) → digest.

A first crawl brings the town's post and citizen comments (a real request and three texts that are
not: thanks, relayed news, a debate opinion); a later crawl brings the town's reply to the request.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.support import names, run_settings

from .conftest import OWN, at, doc_id, watch_file, write_jsonl

DAY = date(2026, 11, 17)
REQUEST = ("Le lampadaire devant le 12 rue Pasteur est en panne depuis une semaine, "
           "pouvez-vous intervenir ?")
NOT_REQUESTS = [
    "J'ai signalé un dépôt sauvage près du chemin de halage hier matin, enlevé dans l'après-midi. "
    "Bravo et merci aux agents de la propreté 👏",
    "Pour info, la mairie a confirmé que toutes les écoles sont ouvertes demain, sauf la garderie du matin.",
    "Je comprends, mais perso je suis pour : les voitures ventouses, ça suffit. "
    "Par contre une deuxième carte payante serait une bonne idée.",
]


def raw(item_id: str, when, text: str, author: dict, parent: str | None = None) -> dict:
    """A document as a crawl writes it (not enriched)."""
    return {"item_id": item_id, "platform": "facebook", "source_id": "ville-fb", "source_kind": "facebook_page",
            "watch_ids": ["testville"], "kind": "comment" if parent else "post", "text": text,
            "thread_id": doc_id("post") if parent else None, "parent_id": doc_id(parent) if parent else None,
            "url": f"https://social.example/{item_id}", "author": author,
            "engagement": {"likes": 1, "shares": 0, "replies": 0},
            "published_at": when.isoformat(), "crawled_at": when.isoformat()}


FIRST_CRAWL = [
    raw("post", at(16, 9), "Travaux d'éclairage public dans le quartier Pasteur cette semaine.", OWN),
    raw("request", at(17, 10), REQUEST, {"handle": "marie59", "name": "Marie"}, parent="post"),
    *[raw(f"not-{k}", at(17, 11 + k), text, {"handle": f"voisin{k}", "name": f"Voisin {k}"}, parent="post")
      for k, text in enumerate(NOT_REQUESTS)],
]
REPLY = raw("reply", at(17, 15, 30), "Bonjour Marie, nos équipes passent demain matin. Merci du signalement.", OWN,
            parent="request")


@pytest.fixture(scope="module")
def nlp():
    from tests.nlp._vigie_nlp import own_pipeline

    return own_pipeline()


def crawl_and_index(settings, es, nlp, tmp_path, name: str, records: list[dict]) -> dict:
    """One crawl's file enriched by the real pipeline, then the index stage (which marks answers)."""
    from vigie.nlp.enrich import Analyser, enrich_file
    from vigie.stages.index import index

    src, dst = write_jsonl(tmp_path / f"{name}.raw.jsonl", records), tmp_path / f"{name}.jsonl"
    enrich_file(src, dst, config=settings.config_path, watch_id="testville", progress=False,
                analyser=Analyser(processes=1, nlp=nlp))
    return index(settings, "testville", dst, client=es)


def digest_html(es, watch) -> tuple[dict, str]:
    from vigie.digest.figures import collect
    from vigie.digest.render import render

    figures = collect(es, names, watch, DAY)
    return figures, render(figures, "cid:c@vigie.invalid").html


def requests_section(html: str) -> str:
    """The digest's "awaiting an answer" section (the other sections may show the same documents)."""
    start = html.index("Demandes citoyennes en attente de réponse")
    return html[start:html.index("Commentaires à modérer", start)]


def stored_request(es, item_id: str) -> dict:
    return es.get(index=names.watch_alias("testville"), id=doc_id(item_id))["_source"]["request"]


def test_a_request_leaves_the_digest_when_a_later_crawl_brings_the_towns_reply(es, nlp, tmp_path, state):
    config = watch_file(tmp_path)
    settings = run_settings(config=config)
    watch = settings.watches[0]

    first = crawl_and_index(settings, es, nlp, tmp_path, "crawl-1", FIRST_CRAWL)
    assert first["indexed"] == 5 and first["answered_requests"] == 0
    request = stored_request(es, "request")
    assert request["is_request"] and request["kind"] == "service_request" and request["cue"] == "pouvez-vous"
    assert not request.get("answered")
    for k in range(len(NOT_REQUESTS)):
        assert not stored_request(es, f"not-{k}")["is_request"], NOT_REQUESTS[k]

    figures, html = digest_html(es, watch)
    html = requests_section(html)
    items = [i for s in figures["requests"]["services"] for i in s["items"]]
    assert len(items) == 1 and items[0]["snippet"].startswith("Le lampadaire devant le 12 rue Pasteur")
    assert "demande de service" in html and "indice : « pouvez-vous »" in html and "service : " in html
    assert "lampadaire devant le 12 rue Pasteur" in html
    for text in ("dépôt sauvage près du chemin", "Pour info, la mairie", "perso je suis pour"):
        assert text not in html

    second = crawl_and_index(settings, es, nlp, tmp_path, "crawl-2", [REPLY])
    assert second["answered_requests"] == 1
    request = stored_request(es, "request")
    assert request["answered"] is True and request["answer_hours"] == pytest.approx(5.5)
    assert request["answered_by"] == doc_id("reply") and request["answered_at"].startswith("2026-11-17T14:30")

    figures, html = digest_html(es, watch)
    html = requests_section(html)
    assert figures["requests"]["total"] == 0
    assert "lampadaire devant le 12 rue Pasteur" not in html and "Aucune demande en attente de réponse." in html

    # idempotent: indexing again marks nothing new, and a re-crawl of the request keeps it answered
    assert crawl_and_index(settings, es, nlp, tmp_path, "crawl-2b", [REPLY])["answered_requests"] == 0
    crawl_and_index(settings, es, nlp, tmp_path, "crawl-1b", FIRST_CRAWL)
    assert stored_request(es, "request")["answered"] is True
    assert digest_html(es, watch)[0]["requests"]["total"] == 0


def test_the_engagement_report_keeps_the_stored_answer_outside_its_window(es, nlp, tmp_path, state):
    from vigie.analytics import engagement
    from vigie.analytics.load import frame

    settings = run_settings(config=watch_file(tmp_path))
    crawl_and_index(settings, es, nlp, tmp_path, "crawl-1", FIRST_CRAWL)
    crawl_and_index(settings, es, nlp, tmp_path, "crawl-2", [REPLY])
    hits = es.search(index=names.watch_alias("testville"), size=20)["hits"]["hits"]
    without_reply = [h["_source"] for h in hits if h["_id"] != doc_id("reply")]  # the reply out of the window
    responses = engagement.response_times(frame(without_reply), ["VilleDeTestville"]).set_index("doc_id")
    assert list(responses.index) == [doc_id("request")]
    assert responses.loc[doc_id("request"), "answered"]
    assert responses.loc[doc_id("request"), "delay_hours"] == pytest.approx(5.5)
    assert json.dumps(stored_request(es, "request"), ensure_ascii=False)
