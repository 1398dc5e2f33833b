"""The authors index on the real Elasticsearch node: idempotent, updated, stale records removed."""

from __future__ import annotations

from tests.analytics.builders import doc, local_vs_national
from tests.support import names
from vigie.analytics import influence, store
from vigie.analytics.load import frame
from vigie.indexes.setup import install


def _records(es) -> dict:
    es.indices.refresh(index=names.authors_index())
    hits = es.search(index=names.watch_authors_alias("lambersart"), size=100)["hits"]["hits"]
    return {h["_id"]: h["_source"] for h in hits}


def test_write_authors_is_idempotent(es):
    install(es, ["lambersart"], names=names)
    docs = local_vs_national()
    table = influence.score(frame(docs), ["59328"], [])
    first = store.write_authors(es, names, "lambersart", table)
    assert first == {"written": len(table), "deleted": 0}
    before = _records(es)
    assert store.write_authors(es, names, "lambersart", table)["written"] == len(table)
    after = _records(es)
    assert len(after) == len(before) == len(table)
    page = after["lambersart:facebook:lambersart_actu"]
    assert page["influence_score"] == table.loc["facebook:lambersart_actu", "influence_score"]
    assert page["followers"] == 900 and page["watch_id"] == "lambersart" and page["handle"] == "lambersart_actu"
    assert after["lambersart:mastodon:info_nationale"]["main_topics"] == []

    # new replies to the national account: its record is updated in place; an author gone is deleted
    docs = [d for d in docs if d["item_id"] != "gaelle-toot"]
    docs += [doc(f"r{i}", f"voisin{i}", platform="mastodon", parent="national-1", at=80 + i) for i in range(4)]
    updated = influence.score(frame(docs), ["59328"], [])
    result = store.write_authors(es, names, "lambersart", updated)
    records = _records(es)
    assert result["deleted"] == 1 and "lambersart:mastodon:gaelle" not in records
    assert len(records) == len(updated)
    national = records["lambersart:mastodon:info_nationale"]
    assert national["replies_received"] == 4
    assert national["influence_score"] > before["lambersart:mastodon:info_nationale"]["influence_score"]
