"""Moderation, eleventh round: what a comment is aimed at (a thing, an animal, a person, an official, a protected
group) and the forms a functional test suite tries (pronouns, negations, spellings, homonyms, reclaimed slurs,
quoted statements).  The ``hate`` label means hate of a protected group; an insult or a threat aimed at a person or
an official is flagged without it."""

from __future__ import annotations

import re

import pytest

from tests.nlp._vigie_nlp import toxicity_pipeline
from vigie.nlp.components.moderation import moderator
from vigie.nlp.eval.moderation import score_suite


@pytest.fixture(scope="module")
def pipeline():
    return toxicity_pipeline()


@pytest.mark.parametrize("text", [
    "Je vais écraser ces limaces une par une.",                       # a pest
    "Faut exploser cette box internet, elle plante tous les soirs.",  # a machine
    "Ces pigeons, qu'on les gaze, ils salissent tout le parvis.",      # an animal named before the pronoun
    "Mort aux moustiques, j'ai été dévorée cette nuit.",
    "Ce sanglier qui retourne mon jardin, je vais le buter, je vous jure.",  # "je vous jure" addresses nobody
])
def test_violence_aimed_at_a_thing_or_an_animal_is_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "Je vais te tuer comme un moustique.",        # the reader is named
    "Ces chiens du voisin, je vais les tuer.",    # a person named last before the pronoun
    "Je vais buter le maire.",
])
def test_violence_aimed_at_someone_stays_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "threat" in result["labels"], result


@pytest.mark.parametrize("text", [
    "Aucune personne handicapée ne devrait être moquée à l'école.",
    "Personne mérite d'être frappé à cause de sa religion.",
    "Il ne faut jamais s'en prendre à une famille parce qu'elle est juive.",
    "non on tape pas sur les handicapés, même pour rire",
])
def test_harm_denied_is_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


def test_a_prohibition_does_not_hide_an_incitement(pipeline):
    # "faut pas hésiter à…" urges the harm: only "il ne faut pas / jamais" + the act itself denies it
    assert pipeline("Il faut tuer les juifs.")._.toxicity["flagged"] is True
    assert moderator().negated_harm(moderator().canonical("Il y a pas mal de migrants au marché")) is False


@pytest.mark.parametrize("text", [
    "La pédale de son vélo a lâché en pleine côte.",
    "Le pianiste avait un souci de pédale au deuxième morceau.",
    "J'ai mis des tapettes au grenier, les souris n'ont qu'à bien se tenir.",
    "Les frelons asiatiques ont fait un nid sous le préau, faut tous les cramer.",
    "Sortie à l'aquarium : les petits ont adoré les manchots.",
])
def test_homonyms_in_context_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "Moi et mes potes pédés, on organise la soirée de la pride, venez !",
    "On est une bande de gouines au club de foot, venez nous voir jouer dimanche.",
    "Les muzz du quartier vous invitent à rompre le jeûne avec nous vendredi, bienvenue à tous.",
])
def test_slurs_reclaimed_by_the_group_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "Les pédés on vous attend à la sortie, venez nombreux on va vous défoncer",  # an "invitation" with a threat
    "sales négros venez on vous attend",                                          # a hostile word beside it
    "Ce pédé de voisin, je le supporte plus",
])
def test_hostile_use_of_a_slur_stays_flagged(pipeline, text):
    assert pipeline(text)._.toxicity["flagged"] is True


@pytest.mark.parametrize("text", [
    "« Les Roms volent tous » : relisez-vous avant de publier, c'est indigne.",
    "« Les handicapés coûtent trop cher » ? Ce qui coûte cher, c'est l'ignorance.",
    "Ma tante disait que « les gitans volent les poules ». Elle avait tort.",
])
def test_a_quoted_statement_answered_is_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "« Les migrants dehors » : tout est dit, enfin quelqu'un qui ose.",          # endorsed
    "Bravo le foyer pour « personnes en souffrance » à côté de l'école, les gosses vont adorer les cris.",
])
def test_endorsed_or_scare_quotes_are_not_reported_quotes(text):
    canon = moderator().canonical(text)
    assert moderator().reports_quote(canon) is False


@pytest.mark.parametrize(("text", "fixed"), [
    ("Les musul mans n'ont rien à faire ici.", "musulmans"),   # a space inside the word
    ("Les arrabes dehors !", "arabes"),                        # a doubled letter
    ("Tous ces rmos, qu'on les renvoie chez eux.", "roms"),    # a swap in a four-letter group word
    ("Ces lesbi ennes sont des erreurs de la nature", "lesbiennes"),
])
def test_spelling_games_on_group_words_are_undone(pipeline, text, fixed):
    assert fixed in re.findall(r"\w+", moderator().canonical(text))
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "hate" in result["labels"], result


@pytest.mark.parametrize("text", [
    "je suis allé au Mali en avion",       # "mali en" stays two words
    "c'est un truc de fou ce marché",      # "truc" is no swapped "turc"
    "il y a la file d'attente habituelle",
])
def test_spelling_repairs_leave_ordinary_words_alone(text):
    assert moderator().canonical(text).split() == moderator().canonical(text.lower()).split()
    assert not moderator().verdicts(moderator().canonical(text))
    assert "malien" not in moderator().canonical(text) and "turc" not in moderator().canonical(text)


@pytest.mark.parametrize("text", [
    "Les juifs ne méritent aucune confiance.",
    "Aucune femme n'est capable de diriger un club.",
    "Les gens du voyage n'ont aucune notion de propreté.",
    "Il n'existe pas de sourd intelligent.",
])
def test_negated_positives_are_hate(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "hate" in result["labels"], result


@pytest.mark.parametrize(("text", "labels"), [
    ("Madame la maire, vous êtes une incapable.", ["insult"]),
    ("Je vais casser la gueule au maire.", ["threat"]),
    ("Il faut brûler tous les musulmans du quartier.", ["hate", "threat"]),
])
def test_the_hate_label_means_a_protected_group(pipeline, text, labels):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and result["labels"] == labels, result


def test_weak_insults_of_a_whole_set_of_people_are_flagged(pipeline):
    result = pipeline("Les agents immobiliers du coin sont des vautours.")._.toxicity
    assert result["flagged"] is True and result["category"] == "insult", result
    # said of a thing, the same words are not
    assert pipeline("Les goélands sont des voleurs.")._.toxicity["flagged"] is False


def test_positive_statements_of_a_group_read_as_praise():
    canon = moderator().canonical("Les gens du voyage installés près du gymnase sont toujours très polis.")
    assert moderator().positive_stance(canon) is True
    assert moderator().positive_stance(moderator().canonical("Les migrants ne sont jamais polis")) is False


def test_the_suite_scorer_scores_the_hate_label():
    cases = [{"text": "a", "functionality": "insult_person", "flag": True, "hate": False},
             {"text": "b", "functionality": "hate_x", "flag": True, "hate": True},
             {"text": "c", "functionality": "hate_x", "flag": True, "hate": True}]
    preds = [{"flagged": True, "labels": ["insult", "hate"]}, {"flagged": True, "labels": ["hate"]},
             {"flagged": False, "labels": []}]
    result = score_suite(cases, preds)
    assert result["hate_label"]["tp"] == 1 and result["hate_label"]["fp"] == 1 and result["hate_label"]["fn"] == 1
    assert "hate_label" not in score_suite([{k: v for k, v in c.items() if k != "hate"} for c in cases], preds)


@pytest.mark.parametrize("text", [
    "Eh la bourrique ! C'est un sens unique, tu sais lire ou pas ?",
    "Espèce de fada, tu nous as fait perdre le match.",
    "Ma belle-mère, cette vieille bique, a encore critiqué la purée.",
    "@Paulo t'es qu'un boulet, relis le règlement.",
    "Les propriétaires de la rue, c'est vraiment des rapaces.",
])
def test_insults_of_people_in_their_frames_are_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and result["category"] == "insult" and "hate" not in result["labels"], result


@pytest.mark.parametrize("text", [
    "Quelle chouette idée ce marché de Noël !",
    "Quelle tâche ingrate, ranger le grenier.",
    "Un gros boulet de canon exposé au musée.",
    "Le grand requin blanc a besoin de graisse.",
    "Aussi prévisible qu'un clown armé d'une tarte à la crème.",
    "Un film aussi bidon et aussi nase, deux heures d'ennui.",
])
def test_the_same_words_as_ordinary_words_are_not_insults(pipeline, text):
    assert pipeline(text)._.toxicity["flagged"] is False


@pytest.mark.parametrize("text", [
    "Travelo de 52 ans, mercière depuis 20 ans, toujours là pour vous trouver le bon bouton 💋",
    "Le Rital du marché (c'est moi hein 🇮🇹) vous attend samedi avec ses tomates.",
    "Ma meuf et moi, deux gouines à chats, on cherche quelqu'un pour nourrir nos minous.",
    "Entre bougnoules on se comprend, passe à la maison pour l'aïd frérot.",
])
def test_self_descriptions_and_insiders_reclaim_a_slur(pipeline, text):
    assert pipeline(text)._.toxicity["flagged"] is False


@pytest.mark.parametrize("text", [
    "Pédé, dégage de là",                                                      # no self-description
    "Les pd de l'asso LGBT ont encore eu une subvention, bravo la mairie 👏",  # a community named is no insider
    "Un stand LGBT au festival, encore un truc de dégénérés pour choquer les familles.",
])
def test_a_slur_about_a_community_event_stays_flagged(pipeline, text):
    assert pipeline(text)._.toxicity["flagged"] is True


def test_a_place_denied_to_a_group_is_not_counter_speech(pipeline):
    # "aucun X ne mérite d'être frappé" denies harm; "aucun X ne mérite une place" denies a right
    result = pipeline("Aucun autiste ne mérite une place à l'école ordinaire.")._.toxicity
    assert result["flagged"] is True and "hate" in result["labels"], result
