"""Figures of one day on documents built by hand, where every number is known; snippets and escaping."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from tests.support import names

from .conftest import HOSTILE, WATCH, at, doc_id, index_docs, make, write_jsonl

DAY = date(2026, 11, 17)


@pytest.fixture
def figures(constructed, watch):
    from vigie.digest.figures import collect

    return collect(constructed, names, watch, DAY)


def test_volume_vs_previous_day_and_seven_day_average_by_source_kind(figures):
    # the day is 00:00–24:00 in Paris: 00:10 local (23:10 UTC the day before) is in, 18 Nov 00:30 is out
    assert figures["total"] == 16
    assert figures["previous_day"] == 4
    assert figures["avg_7d"] == pytest.approx(10 / 7)            # 10–15 Nov: 1 each, 16 Nov: 4; 9 Nov outside
    assert figures["change_previous_pct"] == pytest.approx(300.0)
    kinds = {k["kind"]: (k["total"], k["previous_day"], round(k["avg_7d"], 4)) for k in figures["by_source_kind"]}
    assert kinds == {"facebook_page": (12, 0, 0.0), "mastodon": (3, 2, round(8 / 7, 4)),
                     "feed": (1, 2, round(2 / 7, 4))}
    assert figures["by_source_kind"][0]["label"] == "Pages Facebook"
    assert [d["date"] for d in figures["daily"]] == [f"2026-11-{d}" for d in range(11, 18)]
    assert figures["daily"][-1]["total"] == 16 and figures["daily"][-2]["positive"] == 2
    assert figures["sentiment"] == {"negative": 2, "neutral": 0, "positive": 0, "unknown": 14}


def test_topics_with_french_labels_and_trend(figures):
    topics = {t["id"]: t for t in figures["topics"]}
    assert topics["voirie-travaux"]["label"] == "Voirie et travaux"
    assert topics["voirie-travaux"]["total"] == 2 and topics["voirie-travaux"]["avg_7d"] == pytest.approx(6 / 7)
    assert topics["risques-crise"]["trend"] == "new"
    assert topics["proprete-dechets"]["label"] == "Propreté et déchets"


def test_requests_awaiting_an_answer_grouped_by_service(figures):
    requests = figures["requests"]
    # r1, r2 (voirie) wait; r3 was answered under our own post by an own account; r4 is marked answered
    assert requests["total"] == 2 and requests["new"] == 2
    assert [(s["service"], s["label"], s["count"]) for s in requests["services"]] == [
        ("voirie", "Voirie et travaux", 2)]
    assert [i["request_kind"] for i in requests["services"][0]["items"]] == ["question", "signalement"]


def test_comments_to_moderate_only_on_own_pages_with_the_reason(figures):
    moderation = figures["moderation"]
    assert len(moderation) == 1                                  # c2 is under a citizen's post: not ours
    assert moderation[0]["snippet"] == "Espèce d'abruti de maire" and moderation[0]["reasons"] == ["insulte"]


def test_own_posts_without_any_reaction(figures):
    # p2 has likes, p3 has a reply in the corpus; the own answer a1 is a comment, not a publication
    assert [p["snippet"] for p in figures["silent_posts"]] == ["Collecte des encombrants jeudi."]


def test_most_engaging_documents_snippets_and_unsafe_links(figures):
    top = figures["top_documents"]
    assert [t["engagement"] for t in top] == [530, 40, 7]
    hostile, article = top[0], top[1]
    assert hostile["url"] is None                                # javascript: dropped
    assert hostile["snippet"].startswith(HOSTILE) and len(hostile["snippet"]) <= 300
    assert hostile["snippet"].endswith("…") and " " not in hostile["snippet"][-2:]
    assert article["snippet"] == "Budget : les écoles d'abord"   # an article shows its title, never its text
    assert all(len(t["snippet"]) <= 300 for t in top)
    assert figures["influencers"] and all(p["handle"] != "villedetestville" for p in figures["influencers"])
    groups = [p["group"] for p in figures["influencers"]]
    assert set(groups) <= {"Médias et institutions locales", "Comptes locaux"}
    assert groups == sorted(groups, key=["Médias et institutions locales", "Comptes locaux"].index)
    assert all(len(p["reasons"]) <= 3 and p["kind"] not in p["reasons"] and p["confidence"].startswith("confiance ")
               for p in figures["influencers"])
    assert figures["places"] == [{"name": "Canon d'Or", "count": 1}]
    assert figures["communes"] == [{"name": "Lambersart", "count": 16}]


def test_snippet_cut_at_a_word_boundary():
    from vigie.digest.figures import snippet

    text = "mot " * 200
    cut = snippet(None, text)
    assert len(cut) <= 300 and cut.endswith("mot…")
    assert snippet("  Un   titre\n sur deux lignes ", "texte") == "Un titre sur deux lignes"
    assert snippet(None, "x" * 1000).endswith("…") and len(snippet(None, "x" * 1000)) == 300
    assert snippet(None, "court") == "court"


def test_hostile_content_is_shown_as_text(figures):
    from vigie.digest.render import render

    rendered = render(figures, "cid:chart@vigie.invalid")
    html, text = rendered.html, rendered.text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a href=\"javascript" not in html and "&lt;a href=&#34;javascript:alert(2)&#34;&gt;" in html
    assert 'href="javascript' not in html.lower() and "javascript:alert(3)" not in html
    assert "<b onmouseover" not in html and "&lt;b onmouseover" in html
    assert "<script>alert(1)</script>" in text                   # plain text: shown as is, never interpreted
    assert "javascript:alert(3)" not in text
    assert 'src="cid:chart@vigie.invalid"' in html
    assert rendered.subject == "Veille Ville de Testville – 17 nov. 2026 : 16 publications (+300 % vs veille)"
    for heading in ("Volume par type de source", "Thèmes principaux", "Tonalité", "Publications les plus engageantes",
                    "Demandes citoyennes en attente de réponse", "Commentaires à modérer sur vos pages",
                    "Comptes locaux influents", "Communes et quartiers les plus cités",
                    "Vos publications sans réaction", "À surveiller"):
        assert heading in html
    assert "Mardi 17 novembre 2026" in text and "motif : insulte" in text


def test_open_alerts_of_the_day(constructed, watch):
    from vigie.alerts.model import Alert
    from vigie.alerts.store import AlertStore
    from vigie.digest.figures import collect

    store = AlertStore(constructed, names)
    store.ensure("testville")
    store.save([
        Alert("a-open", "testville", "crisis_keywords", "inondation", "Crise possible (inondation) : rue Foch",
              status="open", fired_at="2026-11-17T18:00:00Z", last_seen="2026-11-17T19:00:00Z", doc_count=12),
        Alert("a-later", "testville", "emerging_topic", "", "Sujet émergent : plus tard",
              fired_at="2026-11-18T08:00:00Z", last_seen="2026-11-18T09:00:00Z"),
        Alert("a-closed", "testville", "emerging_topic", "", "Sujet émergent : ancien", status="closed",
              fired_at="2026-11-10T08:00:00Z", last_seen="2026-11-11T09:00:00Z"),
    ])
    figures = collect(constructed, names, watch, DAY)
    assert [(a["alert_id"], a["status_label"], a["kind_label"]) for a in figures["alerts"]] == [
        ("a-open", "ouverte", "Crise possible")]
    from vigie.digest.render import subject

    assert subject(figures).endswith(", 1 alerte ouverte")


def test_a_page_known_by_its_id_and_name_is_ours(es, tmp_path):
    """Crawled Facebook page documents carry the page's id and name, no handle; a namesake is not the town."""
    from vigie.config import load_config
    from vigie.digest.figures import collect

    page = {"id": "100064518273940", "name": "Ville de Testville"}
    namesake = {"id": "555", "name": "Les amis de la Ville de Testville"}
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"watches": [{**WATCH, "own_accounts": [
        "VilleDeTestville", "Ville de Testville", "100064518273940"]}]}, allow_unicode=True), encoding="utf-8")
    watch = load_config(path).watches[0]
    toxic = {"score": 0.9, "labels": ["insult"], "flagged": True}
    request = {"is_request": True, "kind": "report", "service": "voirie"}
    index_docs(es, "testville", write_jsonl(tmp_path / "docs.jsonl", [
        make("p1", at(17, 8), author=page, text="Collecte des encombrants jeudi."),
        make("p2", at(17, 9), author=page, text="Travaux rue Foch.", request=request),
        make("n1", at(17, 10), author=namesake, text="Nid-de-poule rue Foch", request=request),
        make("c1", at(17, 11), kind="comment", parent_id=doc_id("p2"), thread_id=doc_id("p2"), author={},
             text="Espèce d'abruti de maire", toxicity=toxic),
        make("c2", at(17, 12), kind="comment", parent_id=doc_id("n1"), thread_id=doc_id("n1"), author={},
             text="Insulte sous le post du voisin", toxicity=toxic),
    ]))
    figures = collect(es, names, watch, DAY)
    assert [i["snippet"] for s in figures["requests"]["services"] for i in s["items"]] == ["Nid-de-poule rue Foch"]
    assert [m["snippet"] for m in figures["moderation"]] == ["Espèce d'abruti de maire"]
    assert [p["snippet"] for p in figures["silent_posts"]] == ["Collecte des encombrants jeudi."]
    assert all(p["name"] != "Ville de Testville" for p in figures["influencers"])


def test_comment_to_moderate_says_why_and_whom_it_targets(es, tmp_path):
    """The moderation fields of vigie_toxicity (category, target, cue) are indexed (strict mapping) and
    read by the digest: the reason names the category and the protected trait it targets."""
    from vigie.config import load_config
    from vigie.digest.figures import collect

    page = {"id": "100064518273940", "name": "Ville de Testville"}
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"watches": [{**WATCH, "own_accounts": ["Ville de Testville"]}]},
                                   allow_unicode=True), encoding="utf-8")
    watch = load_config(path).watches[0]
    hate = {"score": 0.9, "labels": ["hate"], "flagged": True, "category": "hate", "target": "religion",
            "cue": "musulmans … n'ont rien a faire ici"}
    slur = {"score": 0.88, "labels": ["insult", "hate"], "flagged": True, "category": "slur",
            "target": "sexual_orientation", "cue": "pd"}
    index_docs(es, "testville", write_jsonl(tmp_path / "docs.jsonl", [
        make("p1", at(17, 8), author=page, text="Fête du quartier samedi."),
        make("c1", at(17, 11), kind="comment", parent_id=doc_id("p1"), thread_id=doc_id("p1"), author={},
             text="Les musulmans n'ont rien à faire ici", toxicity=hate),
        make("c2", at(17, 12), kind="comment", parent_id=doc_id("p1"), thread_id=doc_id("p1"), author={},
             text="Sale p.d", toxicity=slur),
    ]))
    figures = collect(es, names, watch, DAY)
    assert [m["reasons"] for m in figures["moderation"]] == [
        ["propos haineux (visant : religion)"],
        ["injure discriminatoire (visant : orientation sexuelle ou identité de genre)"]]
