"""Pipeline assembly, language, normalisation, and a save-and-reload round trip of the whole pipeline."""

from __future__ import annotations

import pytest

from tests.nlp._vigie_nlp import full_pipeline, own_pipeline
from vigie.nlp.enrich import doc_enrichment
from vigie.nlp.normalize import MAX_CHARS, normalize, strip_html
from vigie.nlp.pipeline import COMPONENTS, build_pipeline, load_pipeline

ORDER = ["vigie_language", "vigie_lexicon", "vigie_territory", "vigie_topics", "vigie_sentiment", "vigie_toxicity",
         "vigie_request", "vigie_terms"]


@pytest.fixture(scope="module")
def nlp():
    return full_pipeline()


def test_assembly_order_and_trimmed_model(nlp):
    names = nlp.pipe_names
    assert names[0] == "vigie_language"
    # the default lexicon tagger replaces tok2vec, morphologizer and attribute_ruler; the lemmatizer
    # stays (disabled) for its tables; ner is kept but run by vigie_terms where names can be
    assert names[1] == "vigie_lexicon"
    assert not {"parser", "tok2vec", "morphologizer", "attribute_ruler"} & set(nlp.component_names)
    assert set(nlp.disabled) == {"lemmatizer", "ner"}
    ours = [n for n in names if n.startswith("vigie_")]
    assert ours == [n for n in ORDER if n in ours]
    assert {"vigie_language", "vigie_topics", "vigie_request", "vigie_terms"} <= set(ours)
    meta = nlp.meta["vigie"]
    assert set(meta["components"]) == set(ours)
    # every component of the project builds: none may be left out silently
    assert meta["skipped"] == {}
    assert {factory for factory, _module, _optional in COMPONENTS} <= set(ours)


def test_exclude_leaves_components_out():
    small = own_pipeline()
    assert not {"vigie_territory", "vigie_sentiment", "vigie_toxicity"} & set(small.pipe_names)


@pytest.mark.parametrize(("text", "language", "flags"), [
    ("Merci !", "fr", []),
    ("Top", "fr", []),
    ("Bravo aux équipes de la mairie pour le déneigement", "fr", []),
    ("The road is closed again, when will it be fixed?", "en", ["not_french"]),
    ("Hoy hay mercado en la plaza mayor del pueblo", "es", ["not_french"]),
    ("😀😀😀", None, ["no_text"]),
    ("", None, ["no_text"]),
    ("https://lambersart.example @VilleDeLambersart", None, ["no_text"]),
])
def test_language(nlp, text, language, flags):
    doc = nlp(text)
    assert doc._.language == language
    assert doc._.flags == flags


def test_normalize_repairs_mojibake():
    norm = normalize("La rue est fermÃ©e depuis lundi, câ€™est pÃ©nible")
    assert norm.text == "La rue est fermée depuis lundi, c’est pénible"
    assert norm.flags == ["mojibake_repaired"]
    assert normalize("Déjà fermée à l'été").flags == []


def test_normalize_strips_html_leftovers():
    norm = normalize("<p>Travaux&nbsp;rue Pasteur&amp;Carnot</p><br/><script>var x = 1;</script>Fin")
    assert norm.text == "Travaux\xa0rue Pasteur&Carnot\n\nFin"
    assert norm.flags == ["html_stripped"]
    assert strip_html("3 < 5 et 7 > 2 & co") == "3 < 5 et 7 > 2 & co"


def test_normalize_truncates_long_texts():
    text = "mot " * 300_000
    norm = normalize(text)
    assert norm.text == text and len(norm.analysed) <= MAX_CHARS
    assert norm.flags == ["truncated"]


def test_enrichment_fields_are_json_ready(nlp):
    import json

    fields = doc_enrichment(nlp("Toujours pas de ramassage des poubelles rue Victor Hugo 😡 #propreté"))
    assert json.loads(json.dumps(fields)) == fields
    assert {"language", "flags", "topics", "services", "request", "entities", "hashtags", "mentions", "links",
            "emojis", "keyphrases"} <= set(fields)


def test_save_and_reload_round_trip(nlp, tmp_path):
    texts = ["Toujours pas de ramassage des poubelles rue Victor Hugo à Lambersart ! 😡",
             "Quand est-ce que la piscine rouvre ? #sport @VilleDeLambersart",
             "The bins were not collected", ""]
    nlp.to_disk(tmp_path / "pipeline")
    reloaded = load_pipeline(tmp_path / "pipeline")
    assert reloaded.pipe_names == nlp.pipe_names
    for before, after in zip(nlp.pipe(texts), reloaded.pipe(texts), strict=True):
        assert doc_enrichment(after) == doc_enrichment(before)


def test_model_tagger_gives_the_same_topics_and_requests():
    model = build_pipeline(tagger="model", exclude=["vigie_territory", "vigie_sentiment", "vigie_toxicity"])
    assert {"tok2vec", "morphologizer", "lemmatizer"} <= set(model.pipe_names)
    assert "vigie_lexicon" not in model.pipe_names
    lexicon = own_pipeline()
    texts = ["Toujours pas de ramassage des poubelles rue Victor Hugo !", "Quand la piscine rouvre-t-elle ?",
             "Il faudrait une piste cyclable protégée sur l'avenue Foch", "Bonne journée à tous"]
    for a, b in zip(model.pipe(texts), lexicon.pipe(texts), strict=True):
        assert (a._.topics, a._.request) == (b._.topics, b._.request)
    with pytest.raises(ValueError):
        build_pipeline(tagger="neural")


def test_md_model_builds():
    md = build_pipeline("md", exclude=["vigie_territory", "vigie_sentiment", "vigie_toxicity"])
    assert md.meta["vigie"]["model"] == "fr_core_news_md"
    assert md("Les poubelles débordent rue Pasteur")._.topics == ["proprete-dechets"]


def test_angle_brackets_that_are_not_html_are_kept():
    from vigie.nlp.normalize import normalize

    text = "Réunion <mairie> demain ; le collectif <Les Amis du Parc> organise"
    assert normalize(text).text == text
    assert normalize("<p>Bonjour <b>la</b> mairie</p>").text == "Bonjour la mairie"
