"""vigie_terms: entities, hashtags, mentions, links, emojis, keyphrases."""

from __future__ import annotations

import pytest

from tests.nlp._vigie_nlp import own_pipeline
from vigie.nlp.components.terms import surface_terms


@pytest.fixture(scope="module")
def nlp():
    return own_pipeline()


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("Bravo #Lambersart et #fête2026 !", "hashtags", ["Lambersart", "fête2026"]),
    ("Merci @VilleDeLambersart et @ilevia.", "mentions", ["VilleDeLambersart", "ilevia"]),
    ("Infos : https://lambersart.example/travaux?id=3, et www.ilevia.fr.", "links",
     ["https://lambersart.example/travaux?id=3", "www.ilevia.fr"]),
    ("Trop bien 👏👏 🇫🇷 👍🏽", "emojis", ["👏", "🇫🇷", "👍🏽"]),
    ("Écrivez à contact@ville.fr, C# et #1 ne sont pas des hashtags", "hashtags", []),
    ("Écrivez à contact@ville.fr", "mentions", []),
    ("Le lien https://a.example/#section ne donne pas de hashtag", "hashtags", []),
])
def test_surface_terms(text, field, expected):
    assert surface_terms(text)[field] == expected


def test_entities_from_the_model(nlp):
    doc = nlp("Emmanuel Macron a rencontré Martine Aubry à Lille avec la SNCF.")
    assert "Emmanuel Macron" in doc._.entities["persons"]
    assert "Martine Aubry" in doc._.entities["persons"]
    assert "Lille" in doc._.entities["locations"]
    assert set(doc._.entities) == {"persons", "organisations", "locations"}


def test_entities_skip_hashtags_mentions_and_duplicates(nlp):
    doc = nlp("Lille, Lille et encore Lille ! #Lille @Lille")
    assert doc._.entities["locations"].count("Lille") == 1
    for values in doc._.entities.values():
        assert not any(v.startswith(("#", "@")) for v in values)


@pytest.mark.parametrize(("text", "phrase"), [
    ("Toujours pas de ramassage des poubelles rue Victor Hugo", "ramassage de poubelle"),
    ("Il faudrait une piste cyclable protégée sur l'avenue", "piste cyclable"),
    ("La fermeture de la piscine municipale est une mauvaise nouvelle", "piscine municipal"),
])
def test_keyphrases_are_lemmatised_noun_phrases(nlp, text, phrase):
    phrases = nlp(text)._.keyphrases
    assert any(phrase in p for p in phrases), phrases
    assert all(p == p.lower() for p in phrases)


def test_keyphrases_drop_empty_words(nlp):
    phrases = nlp("Merci pour tout, bonne journée, à demain !")._.keyphrases
    assert "merci" not in phrases and "demain" not in phrases


def test_other_languages_keep_surface_terms_only(nlp):
    doc = nlp("The bins were not collected again in our street #rubbish @council https://x.example 😡")
    assert doc._.language == "en"
    assert doc._.hashtags == ["rubbish"] and doc._.mentions == ["council"] and doc._.emojis == ["😡"]
    assert doc._.keyphrases == [] and doc._.entities == {"persons": [], "organisations": [], "locations": []}


def test_ner_runs_only_where_names_can_be(nlp):
    from vigie.nlp.components.terms import may_hold_names

    assert "ner" in nlp.disabled
    assert not may_hold_names(nlp("les poubelles débordent encore ce matin"))
    assert may_hold_names(nlp("les poubelles débordent, merci Martine Aubry"))
    assert not may_hold_names(nlp("les poubelles débordent rue Victor Hugo"))  # a street, not a person
    assert may_hold_names(nlp("Lambersart est belle"))  # an unknown capitalised word at the start
    doc = nlp("Rencontre avec Martine Aubry")
    assert doc._.entities["persons"] == ["Martine Aubry"]


def test_street_names_are_not_people(nlp):
    doc = nlp("Martine Aubry a inauguré la rue Victor Hugo et l'avenue Jean Jaurès.")
    assert doc._.entities["persons"] == ["Martine Aubry"]
