"""spip: articles and their forums (SPIP 4 and SPIP 2 markup)."""

from __future__ import annotations

from tests.crawlers.sites import BASE, fixture_text
from vigie.crawlers.extract import spip
from vigie.schema import make_doc_id


def test_article_and_threaded_forum():
    data = spip.article(fixture_text("spip", "spip.php@article12"), f"{BASE}/spip.php?article12")
    assert data["id"] == "12" and data["url"] == f"{BASE}/spip.php?article12"
    assert data["text"].startswith("La ville ouvre jusqu’au 15 décembre")
    assert "Le troisième scénario est le seul" not in data["text"]  # forum messages are not the article
    assert data["author"] == "Comité de quartier du Bourg"
    assert [(m["id"], m["parent"]) for m in data["messages"]] == [("34", None), ("36", "34"), ("35", None)]
    reply = spip.message_fields(data["messages"][1], data, f"{BASE}/spip.php?article12")
    assert reply["parent_id"] == make_doc_id("spip", "lambersart.example/forum34")
    assert reply["thread_id"] == make_doc_id("spip", "lambersart.example/article12")
    assert reply["url"] == f"{BASE}/spip.php?article12#forum36"


def test_old_forum_markup_and_links():
    data = spip.article(fixture_text("spip", "spip.php@article15"), f"{BASE}/spip.php?article15")
    assert "Compost" not in data["text"]
    [message] = data["messages"]
    assert (message["id"], message["author"], message["title"]) == ("41", "Nadia", "Compost")
    assert message["published_at"].isoformat() == "2026-10-21T10:05:00+02:00"
    links = spip.article_links(fixture_text("spip", "spip.php@rubrique2"), f"{BASE}/spip.php?rubrique2")
    assert links == [f"{BASE}/spip.php?article12", f"{BASE}/spip.php?article15"]


def test_spip_crawl_and_incremental(fixture_site, watch_file, run_crawl):
    server = fixture_site("spip")
    config = watch_file([{"id": "quartiers", "kind": "spip", "url": server.url("/spip.php?rubrique2")}])
    summary, docs = run_crawl(config, "quartiers")
    kinds = sorted((d["kind"], d["item_id"].rsplit("/", 1)[1]) for d in docs)
    assert kinds == [("article", "article12"), ("article", "article15"), ("comment", "forum34"),
                     ("comment", "forum35"), ("comment", "forum36"), ("comment", "forum41")]
    assert summary["errors"] == 0
    again, docs2 = run_crawl(config, "quartiers", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    assert docs2 == [] and again["new"] == 0 and again["not_modified"] == 2
