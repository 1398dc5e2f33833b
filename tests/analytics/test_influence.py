"""Influence ranking on constructed graphs where the right answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analytics.builders import doc, local_vs_national
from vigie.analytics import graph, influence
from vigie.analytics.load import frame

COMMUNES = ["59328"]


def dense_pagerank(nodes, edges, damping=0.85):
    """Reference: the principal eigenvector of the dense Google matrix."""
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    m = np.zeros((n, n))
    for s, t, w in edges:
        m[index[s], index[t]] += w
    rows = m.sum(axis=1, keepdims=True)
    p = np.where(rows > 0, m / np.where(rows > 0, rows, 1), 1.0 / n)
    google = damping * p + (1 - damping) / n
    values, vectors = np.linalg.eig(google.T)
    v = np.real(vectors[:, np.argmax(np.real(values))])
    return v / v.sum()


def test_pagerank_matches_the_dense_reference():
    nodes = ["a", "b", "c", "d", "e"]
    edges = [("a", "b", 1), ("b", "c", 2), ("c", "a", 1), ("d", "c", 3), ("a", "c", 0.5)]  # e isolated
    got = influence.pagerank(nodes, pd.DataFrame(edges, columns=["source", "target", "weight"]))
    assert got.to_numpy() == pytest.approx(dense_pagerank(nodes, edges), abs=1e-8)
    assert got.idxmax() == "c"


def test_local_page_outranks_the_national_account():
    table = influence.score(frame(local_vs_national()), COMMUNES, [])
    local, national = table.loc["facebook:lambersart_actu"], table.loc["mastodon:info_nationale"]
    assert table.index[0] == "facebook:lambersart_actu"
    assert local["influence_score"] > national["influence_score"] + 20
    assert local["local_replies"] == 6 and national["mentions_received"] == 1
    assert national["engagement_received"] > local["engagement_received"]  # it wins on reach, not on influence
    assert table["influence_score"].min() >= 0 and table["influence_score"].max() <= 100
    assert "900 followers" in local["reasons"] and "6 local replies" in local["reasons"]


def test_replies_from_central_accounts_count_more():
    # hub receives replies from x, y, z; x receives one reply from hub's fans... known order: hub > x > others
    docs = [doc("hub", "hub"), doc("x-post", "x"), doc("y-post", "y"), doc("z-post", "z"), doc("w-post", "w")]
    docs += [doc(f"{a}-to-hub", a, parent="hub", at=1) for a in ("x", "y", "z", "w")]
    docs += [doc("y-to-x", "y", parent="x-post", at=2), doc("hub-to-x", "hub", parent="x-post", at=3)]
    table = influence.score(frame(docs), COMMUNES, [])
    assert list(table.index[:2]) == ["facebook:hub", "facebook:x"]
    assert table.loc["facebook:x", "pagerank"] > table.loc["facebook:z", "pagerank"]


def test_own_accounts_are_flagged_and_their_answers_endorse_no_one():
    docs = [doc("town-post", "VilleDeTest", followers=18000, engagement=(100, 10, 3)),
            doc("c1", "citizen1", parent="town-post", at=1), doc("c2", "citizen2", parent="town-post", at=2),
            doc("town-answer", "VilleDeTest", parent="c1", at=3), doc("c3", "citizen3", parent="c1", at=4)]
    table = influence.score(frame(docs), COMMUNES, ["@villedetest"])
    assert table.loc["facebook:villedetest", "own_account"]
    assert not table.loc[~table.index.str.contains("villedetest"), "own_account"].any()
    # citizen1 got the town's answer and one citizen's: only the citizen's reply counts in PageRank
    alone = influence.score(frame([d for d in docs if d["item_id"] != "town-answer"]), COMMUNES, ["VilleDeTest"])
    assert table.loc["facebook:citizen1", "pagerank"] == pytest.approx(alone.loc["facebook:citizen1", "pagerank"])
    assert table.loc["facebook:citizen1", "replies_received"] == 2


def test_locality_is_smoothed_and_comes_from_the_thread():
    docs = [doc("p", "page", local=True), doc("c", "commenter", parent="p", local=False, at=1),
            doc("far", "elsewhere", local=False, at=2)]
    table = influence.score(frame(docs), COMMUNES, [])
    assert table.loc["facebook:commenter", "local_documents"] == 1  # under a local post
    assert table.loc["facebook:elsewhere", "local_share"] == 0
    one_local = influence.score(frame([doc("once", "once")]), COMMUNES, [])
    assert one_local.loc["facebook:once", "influence_score"] == pytest.approx(100 * influence.W_LOCALITY / 3, abs=0.1)


def test_mentions_resolve_to_authors_and_unknown_accounts():
    docs = [doc("a", "hugo@masto.example", platform="mastodon"),
            doc("b", "lea@masto.example", platform="mastodon", mentions=["hugo", "mairie"])]
    links = graph.edges(graph.with_keys(frame(docs)))
    assert set(zip(links["source"], links["target"], strict=True)) == {
        ("mastodon:lea@masto.example", "mastodon:hugo@masto.example"),
        ("mastodon:lea@masto.example", "mastodon:mairie"),
    }
    table = influence.score(frame(docs), COMMUNES, [])
    assert table.loc["mastodon:mairie", "documents"] == 0 and table.loc["mastodon:mairie", "mentions_received"] == 1


def test_topic_restriction_keeps_the_threads():
    docs = local_vs_national()
    restricted = influence.restrict_to_topic(frame(docs), "voirie-travaux")
    assert set(restricted["handle"]) == {"lambersart_actu", "anne", "david"}  # page-1 and its replies


def test_author_key_treats_missing_values_from_pandas_as_missing():
    from vigie.analytics.graph import author_key

    nan = float("nan")
    assert author_key("facebook", nan, "100064518273940", "Ville de Lambersart") == "facebook:100064518273940"
    assert author_key("rss", None, nan, "Claire Martin") == "rss:claire martin"
    assert author_key("rss", nan, nan, nan) is None


def test_a_page_known_by_its_id_or_name_is_an_own_account():
    page = {"id": "100064518273940", "name": "Ville de Test"}  # a crawled Facebook page (Graph API): no handle
    docs = [doc("page-post", "", author=page, followers=18000, engagement=(100, 10, 3)),
            doc("c1", "citizen1", parent="page-post", at=1),
            doc("namesake", "", author={"id": "42", "name": "Les amis de la Ville de Test"}, parent="page-post",
                at=2)]
    for own in (["VilleDeTest", "Ville de Test"], ["100064518273940"]):
        table = influence.score(frame(docs), COMMUNES, own)
        assert table.index[table["own_account"]].tolist() == ["facebook:100064518273940"]
