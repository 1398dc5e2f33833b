"""The demo's digest of 18 November lists only real citizen requests, answered ones out (issue 17).

The demo corpus goes through the real pipeline, the index stage (real Elasticsearch, which marks the
requests the town answered in their threads) and the digest's figures, as `vigie demo` does.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.support import run_settings

NOT_REQUESTS = ("Pour info, la mairie a confirmé que toutes les écoles sont ouvertes",
                "J'ai signalé un dépôt sauvage près du chemin de halage hier matin",
                "Je comprends, mais perso je suis pour")


@pytest.fixture(scope="module")
def nlp():
    from tests.nlp._vigie_nlp import full_pipeline

    return full_pipeline()


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_STATE_DIR", str(tmp_path / "state"))


def test_the_demo_digest_lists_only_real_unanswered_requests(es, nlp, tmp_path, state):
    from vigie.digest.figures import collect
    from vigie.nlp.enrich import Analyser, enrich_file
    from vigie.stages.index import index

    settings = run_settings(config=ROOT / "config" / "demo.yaml")
    watch = next(w for w in settings.watches if w.id == "lambersart")
    enriched = tmp_path / "lambersart.jsonl"
    enrich_file(ROOT / "vigie" / "demo" / "lambersart.jsonl", enriched, config=settings.config_path,
                watch_id="lambersart", progress=False, analyser=Analyser(processes=1, nlp=nlp))
    summary = index(settings, "lambersart", enriched, client=es)
    assert summary["answered_requests"] >= 1  # the town answered some requests in its threads

    docs = {d["item_id"]: d for d in map(json.loads, enriched.read_text(encoding="utf-8").splitlines())}
    for start in NOT_REQUESTS:
        doc = next(d for d in docs.values() if d["text"].startswith(start))
        assert not doc["request"]["is_request"], doc["text"]

    figures = collect(es, settings.names, watch, date(2026, 11, 18), per_service=50)
    listed = [item["snippet"] for service in figures["requests"]["services"] for item in service["items"]]
    assert listed and figures["requests"]["total"] == len(listed)
    for start in NOT_REQUESTS:
        assert not any(text.startswith(start[:40]) for text in listed), start
    answered = es.search(index=settings.names.watch_alias("lambersart"), size=50,
                         query={"term": {"request.answered": True}})["hits"]["hits"]
    assert answered and all(h["_source"]["request"]["answer_hours"] > 0 for h in answered)
    for hit in answered:  # an answered request is out of the list
        assert not any(text.startswith(hit["_source"]["text"][:40]) for text in listed)
