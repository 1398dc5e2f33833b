"""One item collected by two watches (a regional feed shared by neighbouring communes): both keep it.

Against the real node: the second watch's write merges ``watch_ids`` instead of taking the document
from the first; both find it in search, in the digest figures and in their alerts; re-indexing
changes nothing (no duplicate, no new version); a pseudonymised copy is never replaced by a clear one.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import yaml

from tests.support import names
from vigie.indexes.search import search
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.schema import Document

WHEN = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
QUERY = {"name": "piscine", "query": "piscine AND fermeture", "threshold": 1, "window": "1h"}


def watches(tmp_path):
    from vigie.config import load_config

    data = {"watches": [
        {"id": watch_id, "name": f"Ville de {watch_id.title()}", "timezone": "Europe/Paris",
         "territory": {"communes": ["59328"]}, "alerts": {"saved_queries": [QUERY]}}
        for watch_id in ("nord", "sud")]}
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return {w.id: w for w in load_config(path).watches}


def item(watch_id: str, likes: int = 3, **fields) -> dict:
    return Document.model_validate({
        "item_id": "https://presse.example/fermeture-piscine", "platform": "web", "source_id": f"presse-{watch_id}",
        "source_kind": "feed", "kind": "article", "title": "Fermeture de la piscine", "published_at": WHEN,
        "text": "La piscine intercommunale annonce sa fermeture pour travaux pendant deux semaines.",
        "url": "https://presse.example/fermeture-piscine", "watch_ids": [watch_id],
        "engagement": {"likes": likes}, "territory": {"communes": [{"insee": "59328", "name": "Lambersart"}]},
        **fields}).to_json_dict()


def write(path, *docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def stored(es, doc_id):
    return es.get(index=names.documents_alias(), id=doc_id)


def test_two_watches_share_one_document(es, tmp_path):
    from vigie.alerts.runner import run_online
    from vigie.digest.figures import collect

    config = watches(tmp_path)
    install(es, list(config), names=names)
    nord = write(tmp_path / "nord.jsonl", item("nord"))
    sud = write(tmp_path / "sud.jsonl", item("sud", likes=5))
    assert index_file(es, nord, names=names).created == 1
    second = index_file(es, sud, names=names)
    assert (second.created, second.updated) == (0, 1)
    doc_id = item("nord")["doc_id"]
    first = stored(es, doc_id)
    assert first["_source"]["watch_ids"] == ["nord", "sud"]
    assert first["_source"]["engagement"]["likes"] == 5          # the rest of the newer copy is kept
    assert es.count(index=names.documents_alias())["count"] == 1

    for watch_id, watch in config.items():
        total, hits = search(es, "piscine", watch_id=watch_id, names=names)
        assert total == 1 and hits[0].doc_id == doc_id, watch_id
        figures = collect(es, names, watch, date(2026, 11, 17))
        assert figures["total"] == 1, watch_id
        events = [e for e in run_online(es, names, watch, now=NOW).events if e["kind"] == "saved_query"]
        assert events and doc_id in events[0]["sample_doc_ids"], watch_id

    # Re-indexing a file: nothing duplicated, nothing rewritten (same version).
    again = index_file(es, sud, names=names)
    assert (again.indexed, again.created, again.unchanged) == (1, 0, 1)
    assert stored(es, doc_id)["_version"] == first["_version"]
    # The first watch's file again (older engagement): written, and still shared.
    older = index_file(es, nord, names=names)
    assert (older.indexed, older.created, older.unchanged) == (1, 0, 0)
    after = stored(es, doc_id)
    assert after["_source"]["watch_ids"] == ["nord", "sud"] and after["_version"] == first["_version"] + 1
    assert index_file(es, nord, names=names).unchanged == 1 and stored(es, doc_id)["_version"] == after["_version"]
    assert es.count(index=names.documents_alias())["count"] == 1


def pseudonymised(watch_id: str) -> dict:
    token = "anon-0123456789abcdef"
    return item(watch_id, author={"handle": token, "name": token, "pseudonymised": True},
                text="La piscine annonce sa fermeture, merci @anon-fedcba9876543210.", flags=["pseudonymised"])


def clear(watch_id: str) -> dict:
    return item(watch_id, author={"handle": "alice.martin", "name": "Alice Martin",
                                  "url": "https://social.example/@alice.martin"},
                text="La piscine annonce sa fermeture, merci @jeanne59.")


def test_a_clear_copy_never_replaces_a_pseudonymised_one(es, tmp_path):
    install(es, ["nord", "sud"], names=names)
    doc_id = item("nord")["doc_id"]
    for order in ((pseudonymised("nord"), clear("sud")), (clear("sud"), pseudonymised("nord"))):
        es.options(ignore_status=404).delete(index=names.documents_index(WHEN), id=doc_id, refresh=True)
        for k, doc in enumerate(order):
            index_file(es, write(tmp_path / f"{k}.jsonl", doc), names=names)
        source = stored(es, doc_id)["_source"]
        assert sorted(source["watch_ids"]) == ["nord", "sud"]
        assert source["author"]["pseudonymised"] and source["author"]["handle"] == "anon-0123456789abcdef"
        text = json.dumps(source)
        assert "alice" not in text.lower() and "jeanne59" not in text


def test_two_watches_indexing_at_once_both_keep_every_document(es, tmp_path):
    """Concurrent writers: a write that lost the race (version conflict) reads and merges again."""
    from concurrent.futures import ThreadPoolExecutor

    from vigie.indexes.client import connect

    install(es, ["nord", "sud"], names=names)
    files = {w: write(tmp_path / f"{w}.jsonl", *[item(w, item_id=f"https://presse.example/{k}") for k in range(300)])
             for w in ("nord", "sud")}

    def run(watch_id):
        client = connect()
        try:
            return index_file(client, files[watch_id], chunk_size=50, names=names)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(run, ["nord", "sud", "nord", "sud"]))
    assert [r.rejects for r in reports] == [[], [], [], []]
    es.indices.refresh(index=names.documents_alias())
    assert es.count(index=names.documents_alias())["count"] == 300
    for watch_id in ("nord", "sud"):
        assert es.count(index=names.watch_alias(watch_id))["count"] == 300, watch_id
