"""vigie_territory: gazetteer facts, pipeline from config, save and reload, text -> communes and places."""

from __future__ import annotations

import math

import pytest
import spacy

import vigie.nlp.components.territory  # noqa: F401  (registers the factory)
from vigie.nlp.extensions import WatchContext
from vigie.nlp.territory.gazetteer import load_gazetteer

LAMBERSART = WatchContext(
    watch_id="lambersart", communes=("59328",), departements=("59",),
    places=("Canon d'Or", "Pacot-Vandracq", "Les Conquérants", "Le Bourg", "Verhaeren", "Deûle", "Citadelle"),
)
GRENOBLE = WatchContext(watch_id="grenoble", communes=("38185",), departements=("38",),
                        places=("Villeneuve", "Bastille"))
MARSEILLE = WatchContext(watch_id="marseille", communes=("13055",), departements=("13",),
                         places=("Noailles", "Vieux-Port"))


def _km(a, b):
    return math.hypot((a[1] - b[1]) * 111.32 * math.cos(math.radians(a[0])), (a[0] - b[0]) * 110.57)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("fr")
    pipeline.add_pipe("vigie_territory")
    return pipeline


def run(nlp, text: str, watch: WatchContext | None = None) -> dict:
    doc = nlp.make_doc(text)
    doc._.watch = watch
    return nlp(doc)._.territory


def codes(nlp, text: str, watch: WatchContext | None = None) -> list[str]:
    return [c["insee"] for c in run(nlp, text, watch)["communes"]]


def test_gazetteer_has_every_current_commune(gazetteer):
    assert 34_900 <= len(gazetteer) <= 35_000
    lambersart = gazetteer.get("59328")
    assert (lambersart.name, lambersart.dep) == ("Lambersart", "59")
    assert _km(lambersart.point, (50.65, 3.02)) < 3
    assert gazetteer.departements["59"]["name"] == "Nord"
    # communes missing from the 2018 centroids (split again or merged since) still get a point
    caen = gazetteer.get("14118").point
    assert _km(gazetteer.get("14666").point, caen) < 30  # Sannerville, restored in 2025
    assert gazetteer.get("49126").point is not None  # Orée d'Anjou, merged after 2018
    with_point = sum(c.point is not None for c in gazetteer.communes)
    assert with_point >= len(gazetteer) - 100  # only overseas collectivities lack one


def test_pipeline_from_config_and_round_trip(nlp, tmp_path):
    assert nlp.get_pipe_meta("vigie_territory").default_config["gazetteer"]["@misc"] == "vigie.territory_gazetteer.v1"
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "vigie_territory" / "communes.tsv.gz").exists()
    reloaded = spacy.load(tmp_path / "pipeline")
    assert reloaded.pipe_names == ["vigie_territory"]
    text = "Fête au Canon d'Or à Lambersart et à St André"
    assert run(reloaded, text, LAMBERSART) == run(nlp, text, LAMBERSART)
    assert run(reloaded, text, LAMBERSART)["places"] == ["Canon d'Or"]


def test_output_shape_and_location(nlp):
    result = run(nlp, "Bouchons entre Lille et Lambersart, puis Lille encore.", LAMBERSART)
    assert result["communes"] == [
        {"insee": "59350", "name": "Lille", "departement": "59"},
        {"insee": "59328", "name": "Lambersart", "departement": "59"},
    ]
    assert result["location"] == pytest.approx({"lat": 50.652, "lon": 3.025}, abs=0.01)  # the watch's commune
    most_named = run(nlp, "Grève à Lille, Lille à l'arrêt, et à Roubaix.")["location"]
    assert most_named["lat"] == pytest.approx(50.63, abs=0.02)
    assert run(nlp, "La Deûle déborde.", LAMBERSART) == {
        "communes": [], "places": ["Deûle"], "location": {"lat": 50.65193, "lon": 3.02546}}


@pytest.mark.parametrize(("text", "watch", "expected"), [
    # neighbours of Lille, hyphen/space/abbreviation variants, elision, short forms near the watch
    ("Embouteillage entre Lambersart et Saint-André-lez-Lille", LAMBERSART, ["59328", "59527"]),
    ("coupure d'eau a st andre lez lille mardi", LAMBERSART, ["59527"]),
    ("Je bosse à Marquette, j'habite à St André", LAMBERSART, ["59386", "59527"]),
    ("Bouchons vers Marcq-en-Baroeul et Villeneuve d'Ascq", LAMBERSART, ["59378", "59009"]),
    ("Le maire d'Armentières est venu", LAMBERSART, ["59017"]),
    ("Les habitants de Lomme et d'Hellemmes", LAMBERSART, ["59350"]),  # former communes of Lille
    ("#Lambersart le feu d'artifice était top", LAMBERSART, ["59328"]),
    # homonyms resolved by a département or postal code, by the watch, by population
    ("La commune de Villeneuve (04) fête ses 1000 ans.", None, ["04242"]),
    ("Le maire de Saint-Martin (65) a démissionné.", None, ["65392"]),
    ("Colis livré à Saint-Paul 97460.", None, ["97415"]),
    ("Ma grand-mère vient de Bailleul.", LAMBERSART, ["59043"]),
    ("Saint-Denis (93) accueillera les épreuves.", None, ["93066"]),
    # false friends: no evidence, no commune
    ("On a pris un verre au bar du coin.", None, []),
    ("Le Bar des Amis ferme définitivement.", None, []),
    ("Quelle vue sur la Citadelle !", LAMBERSART, []),
    ("Le plan local d'urbanisme est voté.", None, []),
    ("J'ai eu une amende, il y a trop de contrôles.", None, []),
    ("Les valises sont lourdes et les cannes à pêche aussi.", None, []),
    ("Vienne est la capitale de l'Autriche.", None, []),
    ("Concert à Mons en Belgique.", None, []),
    ("Le prince de Condé vivait à Chantilly.", None, ["60141"]),
    ("La fête de la Saint-Jean et la messe à l'église Saint-Martin.", None, []),
    ("Il y a des nids-de-poule rue de Lille.", LAMBERSART, []),
    # ... and with evidence, the commune
    ("J'habite à Vue (44) depuis dix ans.", None, ["44220"]),
    ("Il est né à Eu, en Seine-Maritime.", None, ["76255"]),
    ("La mairie de Y compte cent habitants.", None, ["80829"]),
    ("Randonnée au départ de Plan (38).", None, ["38308"]),
    ("Je pars en week-end à Tours.", None, ["37261"]),
    ("Les fouilles de Vienne (38) livrent une mosaïque.", None, ["38544"]),
    ("On est arrivé au Havre, puis Le Mans.", None, ["76351", "72181"]),
    ("Je suis née à Paris.", None, ["75056"]),
    # watch places that are also commune names stay places
    ("Tensions dans le quartier de la Villeneuve.", GRENOBLE, []),
    ("Immeubles effondrés à Noailles.", MARSEILLE, []),
    ("La commune de Noailles dans l'Oise recrute.", MARSEILLE, ["60462"]),
    ("Les éleveurs de Saint-Pierre-et-Miquelon réclament des aides.", None, []),
    # people, clubs and compounds
    ("Jean-Luc Mélenchon et Charles Martel", None, []),
    ("Le Paris Saint-Germain reçoit l'OM.", None, []),
    ("Le match Lorient-Brest est reporté.", None, ["56121", "29019"]),
    ("Saint-Denis de La Réunion sous la pluie.", None, ["97411"]),
])
def test_text_to_communes(nlp, text, watch, expected):
    assert codes(nlp, text, watch) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "😀😂🔥🔥", "!!!!", "https://example.org/a?b=1", "Nice to meet you, die Stadt ist schön.",
    "Lambersart " * 20_000,
])
def test_no_crash_and_sensible_output(nlp, text):
    result = run(nlp, text, LAMBERSART)
    assert set(result) == {"communes", "places", "location"}
    assert result["communes"] in ([], [{"insee": "59328", "name": "Lambersart", "departement": "59"}])


def test_watch_places_need_a_capital_when_they_are_common_words(nlp):
    assert run(nlp, "Le bus ne passe plus par le bourg.", LAMBERSART)["places"] == []
    assert run(nlp, "Le bus ne passe plus par Le Bourg.", LAMBERSART)["places"] == ["Le Bourg"]
    assert run(nlp, "Travaux au canon d'or", LAMBERSART)["places"] == ["Canon d'Or"]
    assert run(nlp, "Poubelles pleines dans le quartier des Conquérants", LAMBERSART)["places"] == ["Les Conquérants"]
    assert run(nlp, "Les travaux de la rue du Bourg durent.", LAMBERSART)["places"] == []


def test_evaluation_reaches_the_target():
    from vigie.nlp.eval.territory import evaluate

    result = evaluate(split="all")
    assert result["texts"] >= 300
    assert result["communes"]["f1"] >= 0.90
