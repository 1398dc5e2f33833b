"""Moderation, twelfth round: insults of people said without an insult word or set beside them (mockery, "=",
apposition, a dehumanising word predicated of a person), people who are no protected group (an insult, never
hate), victims' reports and rebuttals (not flagged), and the words that mean something else in a crisis stream
("dans le noir", "un homme mort", "à couper au couteau")."""

from __future__ import annotations

import pytest

from tests.nlp._vigie_nlp import toxicity_pipeline
from vigie.nlp.components.moderation import moderator


@pytest.fixture(scope="module")
def pipeline():
    return toxicity_pipeline()


@pytest.mark.parametrize("text", [
    "T'as le QI d'une huître, ça se voit à chaque commentaire.",
    "Mon voisin a deux neurones qui se battent en duel.",
    "Toi, tu n'as pas inventé la poudre.",
    "Bravo Gérard, tu viens d'inventer l'eau tiède.",
    "Franchement t'es pas le couteau le plus aiguisé du tiroir.",
    "Vous êtes d'une bêtise crasse, cher monsieur.",
    "discuter avec toi c comme expliquer la marée à un caillou",
    "Le monsieur au 4x4 avait visiblement laissé son cerveau au garage.",
])
def test_mockery_of_a_person_is_an_insult(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "insult" in result["labels"], result


@pytest.mark.parametrize("text", [
    "ASSUREURS = ESCROCS ET VOLEURS, trois semaines pour envoyer un expert",
    "Les profs, ces feignasses, ont encore fait grève.",
    "Les promoteurs immobiliers, ces vautours, n'attendaient que l'incendie.",
    "Les néoruraux sont une engeance de pleurnichards insupportables.",
    "Les ultras du stade sont des sous-hommes.",
    "Les fachos de ce bled sont des merdes.",
    "Ce type est une vraie merde.",
    "Quelle truffe ce type au rayon fromage.",
    "Madame la maire, clown en chef de la commune.",
])
def test_insults_set_beside_or_predicated_of_people_are_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True, result


@pytest.mark.parametrize("text", [
    "Les pigeons de la place sont des nuisibles.",
    "Ce film est une vraie merde.",
    "Les prix sont des vols.",
    "Les bénévoles sont de vrais anges.",
    "Merci le clown pour ce spectacle magnifique au cirque.",
    "Les enfants ont adoré faire le clown à la fête.",
    "Quelle chouette idée ce marché de Noël.",
    "Les requins du port, ces poissons, sont magnifiques.",
])
def test_the_same_frames_about_things_animals_or_praise_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "Les chasseurs du coin sont tous des abrutis.",
    "Les journalistes de France 3 sont des vendus et des larbins.",
    "Mon voisin est un vrai voleur.",
])
def test_insults_of_people_who_are_no_protected_group_are_not_hate(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "insult" in result["labels"], result
    assert "hate" not in result["labels"], result


@pytest.mark.parametrize("text", [
    "Ma fille se fait appeler « la chinetoque » au collège, je cherche une association d'aide.",
    "jme suis fait traiter de sale pd en sortant de la pride, y a des caméras rue de la gare ?",
    "Les arabes seraient tous des voleurs ?? Mon patron est arabe et c'est l'homme le plus honnête que je connaisse.",
    "On entend que les Ukrainiens sont des profiteurs. Faux : la famille accueillie chez ma mère n'avait rien.",
    "jcrois pas une seconde que les afghans soient plus violents que nous",
    "Les refugiés ne volent pas nos emplois, ils font ceux que personne ne veut faire.",
    "Ces gamins handicapés ont le droit de jouer, comme les vôtres.",
    "Église et mosquée restaurées la même année : ceux qui veulent opposer les croyants ne nous représentent pas.",
])
def test_reports_and_rebuttals_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text", [
    "Pourquoi les malades mentaux ont le droit de se balader librement ? Ils sont tous dangereux.",
    "Vous trouvez ça normal, vous, qu'un homo entraîne les gamins ? Moi je trouve ça répugnant.",
    "La nana qui se fait appeler Lulu_deco est une menteuse et une pique-assiette.",
])
def test_look_alikes_of_those_cues_stay_flagged(pipeline, text):
    assert pipeline(text)._.toxicity["flagged"] is True


@pytest.mark.parametrize("text", [
    "MAIS C'EST QUAND QU'ON REBRANCHE LE COURANT ??? on a des personnes âgées toutes seules dans le noir",
    "il fait tout noir dans le gymnase depuis la coupure",
    "Putain l'eau monte, elle est déjà dans le garage !!",
    "Brouillard à couper au couteau ce matin, putain, j'ai failli me manger un tracteur.",
    "Accident sur la D12 : un conducteur algérien de 45 ans, légèrement blessé, a été transporté à l'hôpital.",
    "La caraque du port de Gênes, un navire du XVe siècle, est exposée au musée.",
])
def test_a_crisis_stream_and_the_news_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


@pytest.mark.parametrize("text, label", [
    ("maire t'es un homme mort", "threat"),
    ("Le chauffard du gymnase : s'il remet les pieds ici, il ne repartira pas sur ses deux jambes.", "threat"),
    ("Mon propriétaire refuse de réparer le toit : la prochaine fois, je le fais sortir par la fenêtre.", "threat"),
])
def test_threats_at_a_person_are_threats_not_hate(pipeline, text, label):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and label in result["labels"] and "hate" not in result["labels"], result


@pytest.mark.parametrize("text", [
    "@Samir retourne dans ton pays au lieu de donner ton avis sur NOTRE élection.",
    "Toi avec ton torchon sur la tête, on t'a pas sonnée.",
    "Les Roms qui vivent dedans ne valent pas mieux que des porcs.",
    "Si les Roms étaient honnêtes ça se saurait.",
    "Qu'on les chasse à coups de fourche, ces Roms, comme faisaient nos anciens.",
    "Rendez-vous samedi devant le foyer des Afghans, on va leur faire passer l'envie de rester.",
    "Les blackos du quartier ont encore tout cassé.",
    "toute cette thune pour des m0ng0l$ qui savent même pas jouer",
    "encore une marche de pdés à la préfecture",
    "les renois sont les plus gros chiens",
])
def test_hate_of_a_protected_group_in_these_forms_is_flagged_as_hate(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is True and "hate" in result["labels"], result


@pytest.mark.parametrize("text", [
    "Mon voisin m'a dit « retourne dans ton pays », j'ai porté plainte.",
    "Nous les « voleurs de poules » on a gagné le concours de pétanque intercommunal 😂",
    "Mes tantouzes adorées, merci pour la soirée drag au Moulin !",
    "Les blackos du club, on se retrouve à 18h pour le match !",
])
def test_quoted_or_reclaimed_words_are_not_flagged(pipeline, text):
    result = pipeline(text)._.toxicity
    assert result["flagged"] is False, result


def test_plus_after_a_group_is_a_comparison_not_a_negation():
    mod = moderator()
    assert mod.negated_group(mod.canonical("les renois sont les plus gros chiens")) is False
    assert mod.negated_group(mod.canonical("les migrants ne sont plus les bienvenus")) is True


def test_names_people_reads_nouns_of_people_and_not_things():
    mod = moderator()
    assert mod.names_people(mod.canonical("les chasseurs du coin"))
    assert mod.names_people(mod.canonical("mon voisin"))
    assert not mod.names_people(mod.canonical("les pigeons et les voitures"))
    assert not mod.names_people(mod.canonical("les migrants"))  # a protected group: not "people who are no group"
