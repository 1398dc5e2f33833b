"""The functional moderation head of profile ``accurate`` (issue 16, item 3): an e5 head that adds the
flags phrase rules miss (veiled threats, stereotypes stated as facts), never on short texts, civil
complaints, counter-speech or reported quotes.  Texts written for this test, in none of the suites."""

from __future__ import annotations

import json

import numpy as np
import pytest
import spacy

import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)
from vigie.nlp.components.moderation import moderator
from vigie.nlp.components.toxicity import DEFAULT_HEAD, HEAD_MIN_WORDS, LONG_TEXT_CHARS, ModerationHead
from vigie.nlp.errors import PipelineLoadError


def pipeline(profile: str, **config):
    nlp = spacy.blank("fr")
    nlp.add_pipe("vigie_toxicity", config={"profile": profile, **config})
    return nlp


@pytest.fixture(scope="module")
def fast():
    return pipeline("fast")


@pytest.fixture(scope="module")
def accurate():
    return pipeline("accurate")


MISSED_BY_RULES = [
    # stereotypes stated as facts, in the negative form the rules read as a negation
    "Les Marocains du quartier ne savent pas vivre et ne respectent personne.",
    "Les femmes ne comprennent rien à la mécanique, qu'elles laissent le garage municipal aux hommes.",
]
CLEAN = [
    "Le trottoir de la rue des Tilleuls est défoncé depuis des mois, la mairie se moque de nous.",
    "Les rodéos motos tous les soirs dans le quartier, on n'en peut plus, la police municipale est où ??",
    "Merci aux bénévoles de l'association des paralysés de France pour la journée au parc.",
    "Mon voisin musulman m'a aidé à déménager, les préjugés sur eux sont ridicules.",
    "Il a traité ma voisine de « sale arabe » devant l'école, j'ai porté plainte, c'est honteux.",
]


@pytest.mark.parametrize("text", MISSED_BY_RULES)
def test_accurate_flags_stereotypes_the_rules_miss(fast, accurate, text):
    assert not moderator().verdicts(moderator().canonical(text))  # the rules miss it
    tox = accurate(text)._.toxicity
    assert tox["flagged"] and tox["category"] == "hate" and tox["cue"] == "modèle (e5)"
    assert tox["target"] in ("origin", "gender")
    json.dumps(tox)  # plain numbers, ready for Elasticsearch


@pytest.mark.parametrize("text", CLEAN)
def test_accurate_leaves_complaints_thanks_and_counter_speech_alone(accurate, text):
    assert not accurate(text)._.toxicity["flagged"]


def test_short_texts_are_not_read_by_the_head(accurate):
    text = "👀 à suivre"
    assert len(text.split()) < HEAD_MIN_WORDS
    assert not accurate(text)._.toxicity["flagged"]


# real Allociné film reviews (nlp/train/data/allocine_reviews.jsonl, MIT) the head read as hate
PLOT_REVIEWS = (
    "On suit plusieurs hommes qui acceptent pour de l'argent de suivre une femme",
    "Un film télévisé méconnu qui dégouline de mièvrerie",
    "robot monster est un veritable nanar",
    "Une comédie améicaine dans la plus pure mouvance actuelle",
)


def test_long_texts_are_not_read_by_the_head(accurate):
    """Trained on comments, the head read plot summaries of real film reviews as hate (stop 33's code flagged these
    four); a review or an article is left to the rules and the linear model, as with the words head."""
    from vigie.nlp.train.data import read_jsonl
    from vigie.nlp.train.moderation_words import REAL

    reviews = [r["text"] for r in read_jsonl(REAL)]
    for start in PLOT_REVIEWS:
        (review,) = [r for r in reviews if r.startswith(start)]
        assert len(review) > LONG_TEXT_CHARS
        assert not accurate(review)._.toxicity["flagged"], review


def test_batches_and_single_texts_agree(accurate):
    texts = MISSED_BY_RULES + CLEAN + ["", "!!!"]
    one_by_one = [accurate(t)._.toxicity for t in texts]
    batched = [d._.toxicity for d in accurate.pipe(texts, batch_size=3)]
    assert one_by_one == batched


def test_the_pipeline_profile_reaches_the_component():
    from vigie.nlp.pipeline import build_pipeline

    assert build_pipeline(profile="fast").get_pipe("vigie_toxicity").profile == "fast"
    assert build_pipeline(profile="accurate").get_pipe("vigie_toxicity").profile == "accurate"
    assert build_pipeline().get_pipe("vigie_toxicity").profile == "accurate"  # the default, as sentiment's


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="profile"):
        pipeline("fastest")


def test_unreadable_head_stops_the_build(tmp_path):
    broken = tmp_path / "head.npz"
    broken.write_bytes(b"not numpy")
    nlp = spacy.blank("fr")
    component = nlp.add_pipe("vigie_toxicity", config={"profile": "accurate"})
    component.head_path = broken
    component._head = None
    with pytest.raises(PipelineLoadError, match=r"head\.npz"):
        component.load()


def test_packaged_head_round_trips_and_says_what_it_was_trained_on(tmp_path):
    head = ModerationHead.load(DEFAULT_HEAD)
    assert head.coef.shape == (384,) and 0.5 <= head.threshold < 1.0
    assert "moderation_blind3.jsonl" in head.meta["trained_on"]["suites"]
    assert "moderation_blind4.jsonl" in head.meta["trained_on"]["suites"]
    assert "moderation_blind5.jsonl" not in head.meta["trained_on"]["suites"]  # the held-out suite
    head.save(tmp_path / "copy.npz")
    again = ModerationHead.load(tmp_path / "copy.npz")
    x = np.random.default_rng(0).normal(size=(4, 384))
    assert np.allclose(again.proba(x), head.proba(x)) and np.allclose(again.threat_proba(x), head.threat_proba(x))


@pytest.mark.parametrize("text", [
    "Les musulmans sont géniaux, j'en connais plein.",
    "Les femmes sont aussi compétentes que les hommes.",
    "Les personnes handicapées sont des membres précieux de notre commune.",
    "J'adore les Marocains, ils sont super accueillants.",
    "Les juifs sont des gens comme les autres.",
])
def test_praise_of_a_group_is_not_read_as_hate(fast, accurate, text):
    """Trained on hostile tweets, the linear model and the head took a group word for hate; a positive statement
    with nothing against anyone keeps them out (``Moderator.positive_stance``)."""
    assert not fast(text)._.toxicity["flagged"], text
    assert not accurate(text)._.toxicity["flagged"], text


@pytest.mark.parametrize("text", [
    "Les musulmans sont géniaux pour toucher les allocs, bien sûr 🙄",  # irony
    "Les handicapés sont sympas mais ils n'ont rien à faire dans nos écoles.",  # contrast, exclusion
    "Les Roms sont-ils vraiment capables de travailler ?",  # doubt as a question
    "Les femmes ne sont pas les bienvenues au conseil municipal.",  # negated welcome
    "Les gays sont gentils, ces sales tarlouzes.",  # a slur beside the praise
])
def test_mocked_or_negated_praise_is_no_positive_statement(accurate, text):
    assert not moderator().positive_stance(moderator().canonical(text)), text
    assert accurate(text)._.toxicity["flagged"], text


@pytest.mark.parametrize("text", [
    "J'ai du mépris pour les handicapés.",
    "Je n'ai que du mépris pour les handicapés.",
    "Je n'éprouve que du dégoût pour les musulmans.",
    "Franchement, je pense que les Roms sont de la vermine.",
])
def test_contempt_and_disgust_said_with_a_noun_are_flagged(fast, text):
    tox = fast(text)._.toxicity
    assert tox["flagged"] and tox["category"] in ("hate", "dehumanisation"), (text, tox)


# written for this test: texts the e5 head reads as threats though no harm is said
NO_HARM_SAID = [
    "Quelle horreur cette imprimante de la médiathèque, elle bourre à chaque page, je vais finir par craquer.",
    "La conseillère qui tient le stand des associations, elle va faire quoi à part sourire pour la photo mdr",
]


@pytest.mark.parametrize("text", ["Ce conseiller municipal, je vais le crever à la sortie de la séance",
                                  "Tu vas le regretter, on sait où tu gares ta voiture le soir"])
def test_a_heads_threat_with_a_word_of_harm_is_sure(accurate, text):
    from vigie.nlp.components.toxicity import WORDS_CUE, head_verdict

    ctx = accurate.get_pipe("vigie_toxicity").context(text)
    verdict, sure = head_verdict(0.95, 0.9, 0.5, ctx, "modèle (e5)")
    assert sure and verdict.category == "threat" and verdict.target == "person"
    assert head_verdict(0.95, 0.9, 0.5, ctx, WORDS_CUE)[0].category == "threat"
    assert head_verdict(0.4, 0.9, 0.5, ctx, "modèle (e5)") == (None, True)  # under the threshold: nothing


@pytest.mark.parametrize("text", NO_HARM_SAID)
def test_an_e5_threat_with_no_word_of_harm_is_only_tentative(accurate, text):
    from vigie.nlp.components.toxicity import WORDS_CUE, head_verdict

    ctx = accurate.get_pipe("vigie_toxicity").context(text)
    verdict, sure = head_verdict(0.95, 0.9, 0.5, ctx, "modèle (e5)")
    assert not sure and verdict.category == "insult" and verdict.target == "person"
    # the words head keeps its threats: it reads only texts that name a group, and was trained for them
    assert head_verdict(0.95, 0.9, 0.5, ctx, WORDS_CUE)[1]
    # whatever the component decides, a text that says no harm is never called a threat by the e5 head
    tox = accurate(text)._.toxicity
    assert not (tox["category"] == "threat" and tox["cue"] == "modèle (e5)")


def test_a_tentative_verdict_yields_to_the_threat_head(accurate, monkeypatch):
    """With every head reading made tentative, the threat head still names a veiled threat; where it stays silent,
    the tentative insult stands."""
    from vigie.nlp.components import toxicity

    veiled = ("Madame l'adjointe, vos enfants sortent de l'école à 16 h 30, ce serait dommage qu'il leur arrive un "
              "souci.")
    grumble = NO_HARM_SAID[0]
    comp = accurate.get_pipe("vigie_toxicity")
    assert comp.predict(veiled)["cue"] == toxicity.THREAT_CUE  # the threat head names it, the rules do not
    calls = []

    def tentative(proba, threat, threshold, ctx, cue):
        calls.append(cue)
        return toxicity.Verdict("insult", "person", 0.6, cue), False

    monkeypatch.setattr(toxicity, "head_verdict", tentative)
    after = comp.predict_many([veiled, grumble])
    assert after[0]["category"] == "threat" and after[0]["cue"] == toxicity.THREAT_CUE
    assert after[1]["flagged"] and after[1]["category"] == "insult" and after[1]["cue"] == "modèle (e5)"
    assert calls == ["modèle (e5)", "modèle (e5)"]  # the words head reads only texts that name a group
