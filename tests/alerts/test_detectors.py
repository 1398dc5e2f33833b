"""Each detector on constructed streams."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from vigie.alerts.detect.bursts import Series, poisson_significance
from vigie.alerts.detect.first_story import FirstStory
from vigie.alerts.detect.saved_queries import Query, QueryError
from vigie.alerts.engine import Engine
from vigie.alerts.text import LightLemmatizer, SpacyLemmatizer

from .conftest import T0, background, load_watch, make_doc


def test_light_lemmatizer_folds_elisions_plurals_and_feminines():
    terms = LightLemmatizer().terms("L'inondation : caves inondées, rue inondée, l'Évacuation des Écoles")
    assert terms == ["inondation", "cave", "inond", "rue", "inond", "evacuation", "ecol"]


@pytest.fixture(scope="module")
def spacy_lemmas():
    return SpacyLemmatizer()


def test_first_story_on_spacy_lemmas(spacy_lemmas):
    """fr_core_news_sm lemmas: inflected forms of one story land in one thread; another story starts a new one."""
    texts = ["Les pompiers évacuent la rue des Saules inondée par la crue de la Deûle.",
             "La rue des Saules est inondée, les pompiers ont évacué les habitants à cause de la crue.",
             "Crue de la Deûle : les pompiers évacuent les habitants de la rue des Saules inondée.",
             "Le marché de Noël ouvre samedi avec trente chalets d'artisans sur la place."]
    lemmas = spacy_lemmas.terms_many(texts)
    assert "inonder" in lemmas[0] and "inonder" in lemmas[1] and "evacuer" in lemmas[0]
    fsd = FirstStory(threshold=0.3)
    threads = [fsd.add(f"d{i}", 1000.0 + i, terms)[0] for i, terms in enumerate(lemmas)]
    assert threads[0] == threads[1] == threads[2] == "d0"
    assert threads[3] == "d3"


def test_first_story_window_and_platform_threads():
    fsd = FirstStory(threshold=0.5, window_seconds=3600)
    words = ["fuite", "gaz", "rue", "foch"]
    assert fsd.add("a", 0, words) == ("a", 0.0)
    thread, sim = fsd.add("b", 60, words)
    assert thread == "a" and sim == pytest.approx(1.0)
    # two hours later the first two are out of the window: the same words start a new thread
    assert fsd.add("c", 7300, words)[0] == "c"
    # a dissimilar reply joins its platform thread
    assert fsd.add("d", 7400, ["merci", "info"], roots=("c",))[0] == "c"
    assert fsd.add("e", 7500, ["autre", "chose"], roots=("inconnu",))[0] == "e"


def test_series_burst_against_own_history():
    series = Series(horizon_slices=96 * 7, lookback=8)
    for i in range(400):              # a steady key: 2 of 10 documents every slice
        series.add_total(i, 10)
        series.add("steady", i, 2)
    for i in range(396, 400):         # a new key: 0, then 1, 4, 6 documents
        series.add("new", i, (0, 1, 4, 6)[i - 396])
    assert series.burst("steady", 399) is None or series.burst("steady", 399).significance < 2
    burst = series.burst("new", 399)
    assert burst.count == 11 and burst.start == 397 and burst.duration == 3
    assert burst.magnitude == pytest.approx(11 - 30 * (1 / (400 * 10 - 40 + 200)), rel=1e-3)
    assert burst.growth > 50 and burst.significance > 10


def test_poisson_significance():
    assert poisson_significance(0, 1.0) == 0.0
    assert poisson_significance(1, 1.0) == 0.0                     # no more than expected: not significant
    assert poisson_significance(2, 1.0) == pytest.approx(-math.log10(1 - 2 * math.exp(-1)), rel=1e-6)
    assert poisson_significance(5, 0.9) == pytest.approx(2.63, abs=0.02)
    assert poisson_significance(20, 0.1) > 25


def _events(engine, docs):
    return engine.run(sorted(docs, key=lambda d: (d.published_at, d.doc_id)))


def test_emerging_topic_fires_within_two_slices_and_not_on_background(tmp_path):
    watch = load_watch(tmp_path)
    quiet = _events(Engine(watch), background())
    assert quiet == []
    start = T0 + timedelta(days=1, hours=14, minutes=1)
    burst = [make_doc(f"ev-{i}", f"Des chiens errants dans le parc Coubertin, message {i} : les enfants ont peur.",
                      start + timedelta(minutes=3 * i)) for i in range(20)]
    events = _events(Engine(watch), background() + burst)
    emerging = [e for e in events if e["kind"] == "emerging_topic"]
    assert emerging and emerging[0]["event"] == "new"
    first = emerging[0]
    assert first["fired_at"] <= "2026-11-11T13:30:00Z"   # 14:01 local = 13:01Z, slices end 13:15Z and 13:30Z
    assert {"chiens", "errants"} <= set(first["terms"])
    assert all(s["doc_id"] in {d.doc_id for d in burst} for s in first["samples"])
    assert [e["level"] for e in events if e["alert_id"] == first["alert_id"]] == sorted(
        {e["level"] for e in events if e["alert_id"] == first["alert_id"]})


def test_crisis_pack_fires_and_packs_merge(tmp_path):
    watch = load_watch(tmp_path)
    start = T0 + timedelta(days=1, hours=19)
    texts = ["Le passage souterrain est complètement sous l'eau !", "Ma cave est inondée, 30 cm d'eau.",
             "Inondation rue des Saules, évacuation en cours par les pompiers.",
             "Orage violent, rue inondée et évacuation des riverains."]
    flood = [make_doc(f"f{i}", texts[i % 4], start + timedelta(minutes=5 * i)) for i in range(8)]
    events = _events(Engine(watch), background() + flood)
    crisis = [e for e in events if e["kind"] == "crisis_keywords"]
    assert crisis and crisis[0]["event"] == "new" and crisis[0]["key"] == "inondation"
    assert crisis[0]["fired_at"] == "2026-11-11T18:15:00Z"      # third flood post at 19:10 local
    assert len({e["alert_id"] for e in crisis}) == 1            # inondation and évacuation: one alert
    assert crisis[0]["title"].startswith("Information : Inondation")   # level name, then the event in words
    # one distinct post names rue des Saules (its copies are relays): not enough to be the event's place
    assert "rue des Saules" not in crisis[-1]["title"]


def test_negative_spike_per_topic_and_degrades_without_enrichment(tmp_path):
    watch = load_watch(tmp_path, kinds=["negative_spike"])  # alone: with emerging topics on, it joins that alert
    start = T0 + timedelta(days=1, hours=9)
    angry = [make_doc(f"n{i}", f"Toujours rien de fait pour la voirie, c'est honteux {i}",
                      start + timedelta(minutes=4 * i), topics=["voirie"],
                      sentiment={"label": "negative", "score": -0.8}) for i in range(8)]
    events = _events(Engine(watch), background() + angry)
    neg = [e for e in events if e["kind"] == "negative_spike"]
    assert neg and neg[0]["key"] == "voirie" and neg[0]["sentiment"]["negative"] >= 5
    # the same texts without topics nor sentiment: no negative spike, and no crash
    bare = [make_doc(f"n{i}", d.text, d.published_at) for i, d in enumerate(angry)]
    assert not [e for e in _events(Engine(watch), background() + bare) if e["kind"] == "negative_spike"]


def test_toxicity_spike_on_own_pages_only(tmp_path):
    watch = load_watch(tmp_path)
    start = T0 + timedelta(days=1, hours=20)
    post = make_doc("own", "Conseil municipal ce soir.", start, platform="facebook",
                    author={"handle": "VilleDeTestville"})
    toxic = [make_doc(f"x{i}", f"Bande d'incapables, démission ! {i}", start + timedelta(minutes=2 + 3 * i),
                      platform="facebook", thread_id=post.doc_id, parent_id=post.doc_id,
                      toxicity={"score": 0.9, "labels": ["insult"], "flagged": True}) for i in range(4)]
    elsewhere = [make_doc(f"y{i}", d.text, d.published_at, toxicity={"score": 0.9, "flagged": True})
                 for i, d in enumerate(toxic)]
    tox = [e for e in _events(Engine(watch), [*background(), post, *toxic]) if e["kind"] == "toxicity_spike"]
    assert tox and tox[0]["doc_count"] == 4 and tox[0]["key"] == "own_pages"
    assert not [e for e in _events(Engine(watch), [*background(), *elsewhere]) if e["kind"] == "toxicity_spike"]


def test_saved_query_threshold_per_window(tmp_path):
    watch = load_watch(tmp_path, saved_queries=[{"name": "piscine", "query": "piscine AND (fermée OR fermeture)",
                                                 "threshold": 3, "window": "1h"}])
    start = T0 + timedelta(days=1, hours=10)
    spread = [make_doc(f"p{i}", "La piscine est fermée ?", start + timedelta(hours=2 * i)) for i in range(4)]
    assert not [e for e in _events(Engine(watch), background() + spread) if e["kind"] == "saved_query"]
    close = [make_doc(f"q{i}", "Fermeture de la piscine ce week-end", start + timedelta(minutes=10 * i))
             for i in range(3)]
    events = [e for e in _events(Engine(watch), background() + close) if e["kind"] == "saved_query"]
    assert len(events) == 1 and events[0]["doc_count"] == 3 and events[0]["fired_at"] == "2026-11-11T09:30:00Z"


@pytest.mark.parametrize("query, expected", [
    ("inondation", True), ("inondée", True), ("inondations", True), ("crue", False),
    ('"rue des saules"', True), ('"saules rue"', False),
    ("saules AND -pluie", True), ("saules NOT inondée", False), ("saules OR pluie", True), ("pluie", False),
    ("topics:voirie && inond*", True), ("topics:(eau OR voirie) (crue OR inondés)", True), ("title:inondée", False),
    ("+passage +souterrain", True), ("!passage", False), ("hashtags:orage", True), ("Pacot", True),
])
def test_query_evaluator(query, expected):
    doc = make_doc(1, "La rue des Saules est inondée, passage souterrain fermé à Pacot-Vandracq", T0,
                   topics=["voirie"], hashtags=["Orage"])
    assert Query(query).matches(doc) is expected


@pytest.mark.parametrize("query", ["prix:[1 TO 5]", "inond~2", "a^2", "(saules", "unknown:x", "/regex/"])
def test_query_evaluator_refuses_what_it_does_not_support(query):
    with pytest.raises(QueryError):
        Query(query)
