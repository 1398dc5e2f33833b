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


VARIED = [
    "Est-ce que quelqu'un sait quand les travaux vont finir ? C'est pas bon du tout.",
    "Qu'est-ce qu'on attend pour réparer l'éclairage ? On sait tous que ça va mal finir.",
    "Bon, ils vont encore fermer la piscine cet été, c'est pas bon pour les jeunes.",
    "Vont-ils enfin nettoyer le parc ? Personne ne sait.",
    "Accident grave sur la D933 à Armentières, la route est coupée.",
    "Le maire est un incapable et un voleur.",
    "Peut-on savoir pourquoi la cantine a encore servi des repas froids ? Faut arrêter.",
    "Y a-t-il quelqu'un pour ramasser les encombrants devant chez nous ? Ils disent qu'ils viennent mardi.",
    "Super soirée hier au marché de Noël, bravo aux bénévoles, on reviendra !",
    "Ça fait trois semaines que le lampadaire est éteint, vous pouvez faire quelque chose ?",
    "Franchement c'est nul, on veut juste un passage piéton sécurisé devant l'école.",
    "La rue des Saules est inondée, les pompiers sont sur place, évitez le secteur.",
    "Je crois qu'ils font exprès de laisser les trottoirs dans cet état, c'est dangereux pour les poussettes.",
    "Merci à la mairie, tout est réparé, c'est top.",
    "Où peut-on déposer les déchets verts le dimanche ? Je sais plus.",
]
FORBIDDEN = {"-ce", "-on", "-ils", "-il", "-t-il", "sait", "sais", "vont", "va", "faut", "font", "fait", "veut",
             "disent", "viennent", "crois", "pouvez", "finir", "réparer", "nettoyer", "fermer", "arrêter",
             "ramasser", "déposer", "savoir", "bon", "nul", "super", "top", "grave", "coupée", "inondée"}


def test_keyphrases_hold_no_pronoun_fragment_verb_adjective_alone_or_stop_word(nlp):
    from vigie.stopwords import FRENCH
    from vigie.textfold import fold

    linkers = {"de", "d'", "à", "en"}
    found = []
    for doc in nlp.pipe(VARIED):
        for phrase in doc._.keyphrases:
            found.append(phrase)
            words = phrase.split()
            assert phrase not in FORBIDDEN and words[0] not in FORBIDDEN, (phrase, doc.text)
            assert not any(w.startswith("-") for w in words), (phrase, doc.text)
            assert not any(fold(w) in FRENCH for w in words if w not in linkers), (phrase, doc.text)
    # what must be found: the noun phrases and the named places
    for expected in ("travaux", "éclairage", "piscine", "accident grave", "armentières", "cantine", "encombrant",
                     "lampadaire", "passage", "trottoir", "déchet vert"):
        assert any(expected in p for p in found), (expected, found)
