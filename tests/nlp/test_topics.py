"""vigie_topics: taxonomy, matching on lemmas, routing, watch overrides, save and reload."""

from __future__ import annotations

import pytest
from spacy.util import registry

from tests.nlp._vigie_nlp import own_pipeline
from vigie.nlp.components.topics import load_taxonomy
from vigie.nlp.extensions import WatchContext

REQUIRED = {
    "voirie-travaux", "proprete-dechets", "transports-mobilite", "stationnement", "securite-tranquillite",
    "urbanisme-logement", "environnement-espaces-verts", "eau-assainissement", "culture", "sport",
    "evenements-fetes", "education-enfance", "petite-enfance", "social-solidarites", "sante",
    "economie-commerce", "emploi", "democratie-elections", "risques-crise", "services-publics-demarches",
    "numerique",
}


@pytest.fixture(scope="module")
def nlp():
    return own_pipeline()


def test_taxonomy_has_every_required_topic_with_a_service():
    taxonomy = registry.misc.get("vigie.taxonomy.v1")()
    topics = {t["id"]: t for t in taxonomy["topics"]}
    assert set(topics) >= REQUIRED
    for topic in topics.values():
        assert topic["label"] and topic["service"]["id"] and topic["service"]["label"]
        assert topic["keywords"], topic["id"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Toujours pas de ramassage des poubelles rue Victor Hugo", {"proprete-dechets"}),
    ("Quand est-ce que la rue sera réparée ? Les nids-de-poule sont partout.", {"voirie-travaux"}),
    ("IMPOSSIBLE DE SE GARER PRÈS DE LA GARE LE MATIN", {"stationnement"}),
    ("Le bus 12 est encore en retard, j'ai raté mon train", {"transports-mobilite"}),
    ("Les travaux du tramway bloquent la circulation boulevard Carnot", {"voirie-travaux", "transports-mobilite"}),
    ("Fuite d'eau sur le trottoir depuis ce matin", {"eau-assainissement", "voirie-travaux"}),
    ("Toujours pas de place en crèche pour mon bébé", {"petite-enfance"}),
    ("Vigilance orange aux orages, rentrez vos objets de balcon", {"risques-crise"}),
    ("Inscriptions sur les listes électorales jusqu'au 6 février", {"democratie-elections"}),
    ("La médiathèque prolonge ses horaires le samedi", {"culture"}),  # a venue alone speaks
])
def test_expected_topics(nlp, text, expected):
    doc = nlp(text)
    assert set(doc._.topics) == expected


def test_a_venue_does_not_tag_a_text_about_something_else(nlp):
    doc = nlp("Enfin des arceaux pour attacher les vélos devant la médiathèque !")
    assert doc._.topics == ["transports-mobilite"]


@pytest.mark.parametrize("text", ["Bonne journée à tous !", "Joyeux anniversaire ma sœur", "", "😀😀"])
def test_no_topic_for_chit_chat(nlp, text):
    doc = nlp(text)
    assert doc._.topics == [] and doc._.services == []


def test_services_follow_topics_in_order(nlp):
    doc = nlp("Dépôt sauvage de déchets et de poubelles au bord du trottoir")
    taxonomy = {t["id"]: t["service"]["id"] for t in load_taxonomy()["topics"]}
    assert doc._.topics[0] == "proprete-dechets"
    assert doc._.services == list(dict.fromkeys(taxonomy[t] for t in doc._.topics))


def test_other_languages_get_no_topics(nlp):
    doc = nlp("The bins have not been collected in our street for two weeks, rubbish everywhere.")
    assert doc._.language == "en" and doc._.topics == []


def test_watch_adds_topics_keywords_and_routing(nlp):
    watch = WatchContext(watch_id="w", topics=(
        {"id": "marche-de-wazemmes", "label": "Marché de Wazemmes", "keywords": ["wazemmes"], "service": "halles"},
        {"id": "proprete-dechets", "label": None, "keywords": ["glouton"], "service": "metropole-dechets"},
    ))
    doc = nlp.make_doc("Le glouton de la place de Wazemmes est cassé")
    doc._.watch = watch
    doc = nlp(doc)
    assert set(doc._.topics) == {"marche-de-wazemmes", "proprete-dechets"}
    assert set(doc._.services) == {"halles", "metropole-dechets"}
    # without the watch, neither the new topic nor the new keyword exists
    plain = nlp("Le glouton de la place de Wazemmes est cassé")
    assert "marche-de-wazemmes" not in plain._.topics and "proprete-dechets" not in plain._.topics


def test_component_saves_and_loads_its_taxonomy(nlp, tmp_path):
    tagger = nlp.get_pipe("vigie_topics")
    taxonomy = load_taxonomy()
    taxonomy["topics"].append({"id": "zz-test", "label": "Test", "service": {"id": "zz", "label": "ZZ"},
                               "keywords": ["xylophone"], "weak": [], "venues": []})
    from vigie.nlp.components.topics import TopicTagger

    custom = TopicTagger(nlp, "vigie_topics", taxonomy)
    custom.to_disk(tmp_path / "topics")
    restored = TopicTagger(nlp, "vigie_topics", load_taxonomy()).from_disk(tmp_path / "topics")
    assert "zz-test" in restored.order
    doc = restored(nlp.make_doc("Un xylophone géant sur la place"))
    assert doc._.topics == ["zz-test"] and doc._.services == ["zz"]
    assert "zz-test" not in tagger.order


def test_topic_figures_on_the_test_split(nlp):
    from vigie.nlp.eval.topics import evaluate

    result = evaluate(nlp, split="test")
    assert result["n"] >= 200
    assert result["micro"]["f1"] >= 0.80, result["micro"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Accident grave sur la D933 à Armentières, la route est coupée.", {"voirie-travaux"}),
    ("Le pont sera fermé à la circulation tout le week-end.", {"voirie-travaux"}),
    ("Carambolage ce matin sur la rocade, trois blessés légers.", {"voirie-travaux"}),
    ("La RD 652 est bloquée après une collision entre deux camions.", {"voirie-travaux"}),
    ("Le tram est arrêté après un accident de personne.", {"transports-mobilite"}),  # the longest cue wins
])
def test_road_accidents_and_closures_go_to_the_roads_service(nlp, text, expected):
    doc = nlp(text)
    assert set(doc._.topics) == expected
    assert doc._.services[0] == ("voirie" if "voirie-travaux" in expected else "mobilite")


@pytest.mark.parametrize(("text", "expected"), [
    ("le maire est un incapable et un voleur", {"democratie-elections"}),
    ("Bande de voleurs à la mairie, vous vous servez dans nos impôts !", {"democratie-elections"}),
    ("Ces élus sont des menteurs et des incompétents.", {"democratie-elections"}),
    # real offences stay public safety, even next to an official or an insult
    ("Des voleurs ont vidé les caves de la résidence cette nuit.", {"securite-tranquillite"}),
    ("Le maire a été agressé à la sortie de la réunion.", {"securite-tranquillite", "democratie-elections"}),
])
def test_insults_towards_officials_are_local_democracy_not_public_safety(nlp, text, expected):
    assert set(nlp(text)._.topics) == expected


def test_external_set_scoring(tmp_path):
    from vigie.nlp.eval import topics as topic_eval

    texts, labels = tmp_path / "texts.jsonl", tmp_path / "labels.jsonl"
    texts.write_text('{"id": "a", "text": "Les poubelles débordent rue Nationale."}\n'
                     '{"id": "b", "text": "Belle journée à tous !"}\n', encoding="utf-8")
    labels.write_text('{"id": "a", "topics": ["proprete-dechets"]}\n{"id": "b", "topics": ["culture"]}\n',
                      encoding="utf-8")
    result = topic_eval.evaluate(rows=topic_eval.load_external(texts, labels), name="ext", errors=True)
    assert result["n"] == 2 and result["micro"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert result["per_topic"]["culture"]["recall"] == 0.0 and result["errors"][0]["id"] == "b"
    labels.write_text('{"id": "a", "topics": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="b"):
        topic_eval.load_external(texts, labels)
