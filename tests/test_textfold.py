"""The one French folding function and the one stop-word module: their rules, as a table."""

from __future__ import annotations

import pytest

from vigie.stopwords import ELASTICSEARCH_FRENCH, EMPTY_NOUNS, FRENCH
from vigie.textfold import fold

RULES = [
    # case
    ("Évacuation", "evacuation"),
    ("MAIRIE DE LAMBERSART", "mairie de lambersart"),
    ("STRAßE", "strasse"),
    # accents
    ("déjà fermée à l'été", "deja fermee a l'ete"),
    ("ça, garçon, Noël, maïs, où, côté", "ca, garcon, noel, mais, ou, cote"),
    ("e\u0301cole", "ecole"),  # already decomposed: the combining mark goes too
    # ligatures
    ("Barœul, cœur, ŒUVRE", "baroeul, coeur, oeuvre"),
    ("ex æquo, Æsop", "ex aequo, aesop"),
    ("Søren, Łódź, Đakovo", "soren, lodz, dakovo"),
    ("ﬁn, ﬂeur", "fin, fleur"),  # typographic ligatures by compatibility decomposition
    # apostrophes
    ("l’école, aujourd’hui", "l'ecole, aujourd'hui"),
    ("l‘eau, lʼété, l`an, l´an, l′an", "l'eau, l'ete, l'an, l'an, l'an"),
    # hyphens and dashes
    ("Saint\u2010André\u2011lez\u2010Lille", "saint-andre-lez-lille"),
    ("ramas\u00adsage", "ramassage"),  # a soft hyphen only marks a possible break
    ("travaux – fin — enfin", "travaux – fin — enfin"),  # dashes are punctuation: kept
    # whitespace: no-break spaces made plain, nothing collapsed or trimmed
    ("10\u00a0h\u202f30", "10 h 30"),
    ("  deux  espaces\tet\nligne ", "  deux  espaces\tet\nligne "),
    # compatibility forms
    ("Attendez…", "attendez..."),
    ("m² et 1ᵉʳ", "m2 et 1er"),
    ("𝗯𝗼𝗻𝗷𝗼𝘂𝗿", "bonjour"),  # "fancy" letters of social posts
    # what is not a letter to fold stays
    ("😡 #propreté @VilleDeLambersart", "😡 #proprete @villedelambersart"),
    ("Москва́", "москва"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "folded"), RULES)
def test_fold_rules(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("text", "_folded"), RULES)
def test_fold_is_idempotent(text, _folded):
    assert fold(fold(text)) == fold(text)


def test_stop_words_are_one_list_and_its_extension():
    # the index's `_french_` list, as Elasticsearch applies it (before folding)
    assert {"été", "même", "à", "les", "qu"} <= ELASTICSEARCH_FRENCH
    # the detection list is that list folded, plus the words of social posts
    assert {fold(word) for word in ELASTICSEARCH_FRENCH} <= FRENCH
    assert {"bonjour", "svp", "bcp", "the", "ete", "meme", "deja"} <= FRENCH
    assert all(word == fold(word) for word in FRENCH)
    # nouns that say nothing: not function words, a list of their own
    assert {"chose", "fois", "gens"} <= set(EMPTY_NOUNS)


def test_alerts_and_nlp_use_them():
    from vigie.alerts.detect import _french_light
    from vigie.alerts.text import LightLemmatizer
    from vigie.nlp.components.terms import STOP_NOUNS

    assert _french_light.STOP is ELASTICSEARCH_FRENCH
    # the shared list, plus the markers of relayed posts (a retweet storm must not make "rt" a term)
    assert LightLemmatizer().stop == FRENCH | {"rt", "via", "mt", "cc"}
    assert list(EMPTY_NOUNS) == STOP_NOUNS
    assert LightLemmatizer().tokens("Bonjour, l’Évacuation de la rue Pasteur à Lambersart") == \
        ["evacuation", "rue", "pasteur", "lambersart"]
