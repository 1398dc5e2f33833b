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
    assert (local["group"], national["group"]) == ("media_institutions", "national")
    assert local["influence_score"] > national["influence_score"] + 20
    assert local["local_replies"] == 6 and national["mentions_received"] == 1
    assert national["engagement_received"] > local["engagement_received"]  # it wins on reach, not on influence
    assert table["influence_score"].min() >= 0 and table["influence_score"].max() <= 100
    assert local["reasons"][0] == "6 réponses de comptes locaux" and "250 000 abonnés" in national["reasons"]


def _daily_outlet(days: int = 30) -> list[dict]:
    """A local news site publishing one article a day, a few reactions each, no reply in the corpus."""
    outlet = {"id": "lambersart-infos", "handle": "lambersartinfos", "name": "Lambersart Infos", "followers": 9120}
    return [doc(f"article-{i}", "lambersartinfos", platform="rss", source_kind="feed", kind="article",
                author=outlet, engagement=(8, 2, 1), at=24 * i) for i in range(days)]


def _reddit_foursome() -> list[dict]:
    """Four Reddit accounts, two posts each and one reply received each (from the next one)."""
    people = ["Quai_de_la_Deule", "Lambersartois_du_dimanche", "Chti_en_velo", "biloute_59"]
    docs = []
    for i, person in enumerate(people):
        docs.append(doc(f"{person}-post", person, platform="reddit", source_kind="reddit", followers=200,
                        engagement=(60, 0, 20), at=24 * (3 + i)))
        docs.append(doc(f"{person}-reply", people[(i + 1) % 4], platform="reddit", source_kind="reddit",
                        followers=200, parent=f"{person}-post", engagement=(10, 0, 0), at=24 * (3 + i) + 1))
    return docs


def test_an_account_with_one_reply_cannot_outrank_a_local_outlet_publishing_daily():
    table = influence.score(frame(_daily_outlet() + _reddit_foursome()), COMMUNES, [], days=30)
    outlet = table.loc["rss:lambersartinfos"]
    reddit = table[table["platform"] == "reddit"]
    assert len(reddit) == 4 and (reddit["replies_received"] == 1).all() and (reddit["documents"] == 2).all()
    assert outlet["influence_score"] > reddit["influence_score"].max() + 15
    assert outlet["confidence"] > 0.9 and reddit["confidence"].max() <= 0.5  # 30 observations vs 3
    assert (outlet["group"], outlet["account_kind"]) == ("media_institutions", "media")
    assert set(reddit["group"]) == {"local"}
    assert "publie 30 jours sur 30" in outlet["reasons"] and "9 120 abonnés" in outlet["reasons"]
    assert table.index[0] == "rss:lambersartinfos"


def _associations() -> list[dict]:
    collectif = {"id": "u-1", "handle": "collectif_deule", "name": "Collectif Berges de la Deûle", "followers": 184}
    parents = {"id": "u-2", "handle": "ape_canondor", "name": "Parents d'élèves du Canon d'Or", "followers": 233}
    return [doc("collectif-1", "", author=collectif, platform="decidim", source_kind="decidim",
                engagement=(87, 14, 12)),
            doc("collectif-2", "", author=collectif, platform="decidim", source_kind="decidim",
                engagement=(20, 3, 4), at=72),
            doc("parents-1", "", author=parents, platform="decidim", source_kind="decidim",
                engagement=(142, 33, 19), at=30)]


def test_a_national_weather_account_ranks_in_the_national_group_below_local_associations():
    weather = {"id": "108400115", "handle": "infos_meteo_fr@social-info.example",
               "name": "Infos Météo France Direct", "followers": 250_000}
    docs = [doc("orage", "", author=weather, platform="mastodon", source_kind="mastodon",
                engagement=(1240, 865, 97), at=50), *_associations(),
            doc("voisin-1", "voisin", parent="collectif-1", platform="decidim", source_kind="decidim", at=5)]
    table = influence.score(frame(docs), COMMUNES, [], days=30)
    national = table.loc["mastodon:infos_meteo_fr@social-info.example"]
    associations = table.loc[["decidim:collectif_deule", "decidim:ape_canondor"]]
    assert national["group"] == "national" and set(associations["group"]) == {"local"}
    assert set(associations["account_kind"]) == {"association"}
    assert national["influence_score"] < associations["influence_score"].min()
    assert list(table.index[:2]) == ["decidim:collectif_deule", "decidim:ape_canondor"]
    assert "association locale" in table.loc["decidim:ape_canondor", "reasons"]
    # the same account with few followers and a local name is a resident of the local group
    small = influence.score(frame([doc("orage", "meteo_du_quartier", followers=300)]), COMMUNES, [])
    assert small.loc["facebook:meteo_du_quartier", "group"] == "local"


@pytest.mark.parametrize(("handle", "name", "followers", "documents", "local_share", "articles", "kind"), [
    ("lambersartinfos", "Lambersart Infos", 9120, 7, 1.0, 0, "media"),
    ("cderoo", "Claire Deroo", None, 3, 1.0, 3, "media"),                    # a press feed's author
    ("mairie_marquette", "Mairie de Marquette", 800, 2, 1.0, 0, "institution"),
    ("collectif_deule", "Collectif Berges de la Deûle", 184, 1, 1.0, 0, "association"),
    ("pacot_vandracq@mastodon.example", "Pacot-Vandracq en transition", 745, 2, 1.0, 0, "association"),
    ("franceinfo", "franceinfo", 900, 1, 1.0, 0, "national"),                # known national outlet
    ("meteo_nord", "Météo Nord", 120_000, 1, 1.0, 0, "national"),           # followers
    ("voyageur", "Voyageur", 300, 8, 0.1, 0, "national"),                   # mostly elsewhere
    ("brigitte.delcroix.3", "Brigitte Delcroix", 86, 2, 0.5, 0, "resident"),
    ("grandclub59", "Thomas", 86, 2, 1.0, 0, "resident"),                  # "club" is not a whole word here
])
def test_account_kinds(handle, name, followers, documents, local_share, articles, kind):
    assert influence.account_kind(handle, name, followers, documents, local_share, articles) == kind


def test_confidence_grows_with_evidence_and_the_points_add_up():
    docs = [doc(f"a{i}", "assidu", engagement=(5, 0, 1), at=24 * i) for i in range(12)]
    docs += [doc("once", "unefois", engagement=(5, 0, 1))]
    table = influence.score(frame(docs), COMMUNES, [], days=12)
    steady, once = table.loc["facebook:assidu"], table.loc["facebook:unefois"]
    assert once["confidence"] == pytest.approx(1 / (1 + influence.EVIDENCE_PRIOR), abs=1e-3)
    assert steady["confidence"] == pytest.approx(12 / (12 + influence.EVIDENCE_PRIOR), abs=1e-3)
    assert steady["influence_score"] > once["influence_score"]
    points = [c for c in table.columns if c.startswith("points_")]
    assert (table[points].sum(axis=1).round(1) - table["influence_score"]).abs().max() < 0.06
    # one observation keeps a resident near the prior, however strong it looks
    viral = influence.score(frame([doc("viral", "buzz", followers=9000, engagement=(900, 90, 9))]), COMMUNES, [])
    assert viral.loc["facebook:buzz", "influence_score"] < 30


def test_replies_from_own_accounts_and_national_accounts_are_not_local_interactions():
    docs = [doc("post", "habitante"), doc("town", "VilleDeTest", parent="post", at=1),
            doc("far", "franceinfo", parent="post", at=2, followers=2_000_000),
            doc("near", "voisin", parent="post", at=3), doc("near-m", "voisine", mentions=["habitante"], at=4)]
    table = influence.score(frame(docs), COMMUNES, ["VilleDeTest"])
    row = table.loc["facebook:habitante"]
    assert (row["replies_received"], row["local_replies"], row["local_mentions"]) == (3, 1, 1)
    assert "1 réponse et 1 mention de comptes locaux" in row["reasons"]


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


def test_locality_comes_from_communes_places_and_the_thread():
    docs = [doc("p", "page", local=True), doc("c", "commenter", parent="p", local=False, at=1),
            doc("far", "elsewhere", local=False, at=2)]
    quarter = doc("q", "quartier", local=False, at=3)
    quarter["territory"] = {"places": ["Canon d'Or"]}  # a place of the watch, no commune named
    table = influence.score(frame([*docs, quarter]), COMMUNES, [])
    assert table.loc["facebook:commenter", "local_documents"] == 1  # under a local post
    assert table.loc["facebook:elsewhere", "local_share"] == 0
    assert table.loc["facebook:quartier", "local_share"] == 1


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
