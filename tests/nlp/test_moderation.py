"""Moderation (vigie_toxicity's category, target and cue): slurs spelled to dodge filters, counter-speech,
negation, insults of officials, swearing about things; the functional-suite scorer."""

from __future__ import annotations

import json

import pytest

from tests.nlp._vigie_nlp import toxicity_pipeline
from vigie.nlp.components.moderation import moderator
from vigie.nlp.eval import moderation as moderation_eval
from vigie.schema import Toxicity


@pytest.fixture(scope="module")
def pipeline():
    return toxicity_pipeline()


def _tox(pipeline, text: str) -> dict:
    result = pipeline(text)._.toxicity
    Toxicity.model_validate(result)  # the Document's shape, new fields included
    return result


@pytest.mark.parametrize(("text", "target"), [
    ("Sale b0ugn0ule", "origin"),               # digits for letters
    ("Ce p.d de voisin", "sexual_orientation"),  # a separator inside the word
    ("b o u g n o u l e", "origin"),             # letters spaced out
    ("Sale bougnouuuule", "origin"),             # repeated letters
    ("T'es qu'une s@lope", "gender"),            # a symbol for a letter
    ("Sale t a r l o u z e", "sexual_orientation"),
    ("Espèce de t4p3tt3", "sexual_orientation"),
])
def test_obfuscated_slurs_are_flagged(pipeline, text, target):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert result["category"] == "slur" and result["target"] == target, result
    assert "hate" in result["labels"]


def test_asterisk_inside_an_insult(pipeline):
    assert moderator().canonical("Quel enc*lé ce maire") == "quel encule ce maire"
    result = _tox(pipeline, "Quel enc*lé ce maire")
    assert result["flagged"] is True and result["category"] == "insult" and result["target"] == "official", result


def test_obfuscation_is_undone_only_towards_lexicon_words():
    # "3e", "R2D2", "L3o", "2024" keep their spelling; a mention is a mention, not "a" + word
    canon = moderator().canonical("Le 3e étage, R2D2 et @jean en 2024 avec L3o")
    assert canon.split() == ["le", "3e", "etage,", "r2d2", "et", "@user", "en", "2024", "avec", "l3o"]


@pytest.mark.parametrize("text", [
    "Mon voisin m'a traité de « sale bougnoule », j'ai porté plainte",
    "Dire que les musulmans sont des terroristes, c'est raciste",
    "Arrêtez de dire que les migrants sont des voleurs",
    "Quelqu'un a tagué « mort aux juifs » sur l'école, c'est scandaleux",
    "Une élue s'est fait traiter de salope en pleine séance",
    "Stop à la haine contre les homosexuels",
])
def test_counter_speech_and_quotes_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is False, result
    assert result["category"] is None

@pytest.mark.parametrize("text, flagged", [
    ("Je refuse de dire que les Roms sont des voleurs.", False),          # refusing to say it
    ("Jamais je ne traiterais ma voisine de salope.", False),             # a slur denied
    ("Je ne traiterais jamais une collègue de pute.", False),
    ("Je te traiterais bien de salope, mais tu le sais déjà.", True),     # no denial
])
def test_refusing_to_say_or_call_is_counter_speech(pipeline, text, flagged):
    assert _tox(pipeline, text)["flagged"] is flagged, text


@pytest.mark.parametrize("text", [
    "Les migrants ne sont pas des criminels",
    "Les réfugiés ne sont pas des animaux",
    "Je ne hais pas les musulmans",
    "Les homosexuels ne sont pas des malades",
    "Le maire n'est pas un idiot, il fait ce qu'il peut",
])
def test_negated_statements_are_not_flagged(pipeline, text):
    assert _tox(pipeline, text)["flagged"] is False


@pytest.mark.parametrize(("text", "category", "target"), [
    ("Les migrants n'ont rien à faire dans notre ville", "hate", "origin"),
    ("Les musulmans sont des rats", "dehumanisation", "religion"),
    ("Les femmes devraient se taire au conseil municipal", "hate", "gender"),
    ("Il faut tuer tous les juifs", "threat", "religion"),
    ("Les handicapés ne servent à rien", "hate", "disability"),
])
def test_hate_towards_protected_groups(pipeline, text, category, target):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert (result["category"], result["target"]) == (category, target), result
    assert result["cue"]


@pytest.mark.parametrize("text", [
    "Le maire est un connard fini",
    "Les élus sont tous des pourris",
    "Ce guignol de maire nous prend pour des imbéciles",
    "Cet adjoint est un abruti",
    "Ce maire de merde",
])
def test_insults_of_officials(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert result["category"] == "insult" and result["target"] == "official", result
    assert "insult" in result["labels"]


@pytest.mark.parametrize("text", [
    "La gestion du maire est catastrophique, les impôts augmentent encore",
    "Monsieur le maire, démissionnez, vous avez échoué",
    "Cette appli de stationnement à la con ne marche jamais",
    "C'est con que la piscine ferme en août",
    "Ce con de GPS m'a envoyé dans un champ",
    "Les musulmans de la commune fêtent l'Aïd ce week-end",
    "Nouvelle place de parking réservée aux personnes handicapées",
    "J'ai acheté un melon au marché",
])
def test_civil_criticism_swearing_and_neutral_mentions_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is False, result
    assert result["score"] < 0.5


def test_suite_scorer(pipeline, tmp_path):
    cases = [
        {"id": "a", "text": "Sale b0ugn0ule", "functionality": "slur_obfuscated", "flag": True, "target": "origin"},
        {"id": "b", "text": "Réunion publique jeudi", "functionality": "neutral_group_mention", "flag": False,
         "target": None},
        {"id": "c", "text": "Bonjour à tous", "functionality": "hate_origin", "flag": True, "target": "origin"},
    ]
    path = tmp_path / "suite.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    result = moderation_eval.evaluate(pipeline, suite=path, errors=True)
    assert result["hateful_vs_not"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    assert result["per_functionality"]["hate_origin"] == {"accuracy": 0.0, "n": 1}
    assert result["target_accuracy"] == {"accuracy": 1.0, "n": 1}
    assert [e["id"] for e in result["errors"]] == ["c"]
    assert "per_variant" not in result
    cases[0]["variant"], cases[2]["variant"] = "digits", "question"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    result = moderation_eval.evaluate(pipeline, suite=path)
    assert result["per_variant"] == {"digits": {"accuracy": 1.0, "n": 1}, "question": {"accuracy": 0.0, "n": 1}}


def test_dev_suite(pipeline):
    result = moderation_eval.evaluate(pipeline)
    assert result["n"] >= 150
    assert len(result["per_functionality"]) == 16
    assert result["hateful_vs_not"]["f1"] >= 0.8, result["hateful_vs_not"]


def test_first_blind_suite_now_a_dev_suite(pipeline):
    # scored once blind (F1 0.792), then tuned on: a floor against regressions, not a held-out figure
    result = moderation_eval.evaluate(pipeline, suite=moderation_eval.DEV_SUITE.with_name("moderation_blind1.jsonl"))
    assert result["n"] == 416
    assert result["hateful_vs_not"]["f1"] >= 0.9, result["hateful_vs_not"]
    assert result["hateful_vs_not"]["precision"] >= 0.95, result["hateful_vs_not"]


@pytest.mark.parametrize("text", ["*" * 3000, "a " * 3000, "p.d." * 1000, "b0ugn0ul3" * 500, "« " * 500 + "pd",
                                  "sale " * 1000])
def test_hostile_spelling_input_is_handled(pipeline, text):
    result = _tox(pipeline, text)
    assert isinstance(result["flagged"], bool)


# Phrasings written for these tests, in none of the suites: the word-class patterns (threat verbs × person
# targets, group nouns × stereotypes and calls to exclusion, weak insults said of staff) must generalise.
@pytest.mark.parametrize(("text", "category"), [
    ("Le conseiller mérite une balle", "threat"),
    ("On va venir te chercher à la sortie du conseil", "threat"),
    ("Faudrait le pendre, ce préfet", "threat"),
    ("Je lui casse la gueule au prochain conseil", "threat"),
    ("Si le maire passe chez moi je le bute", "threat"),
    ("On viendra armés à la réunion publique", "threat"),
    ("Les tunisiens sont tous des fraudeurs", "hate"),
    ("Les femmes c'est fait pour la cuisine", "hate"),
    ("Les handicapés coûtent une fortune à la ville", "hate"),
    ("Les juifs veulent nous imposer leurs règles", "hate"),
    ("La place des femmes est à la maison", "hate"),
    ("Les autistes sont trop lents pour l'école normale", "hate"),
    ("Cet élu est une crapule", "insult"),
    ("Le DGS, ce gros nul", "insult"),
])
def test_threats_stereotypes_and_staff_insults_in_new_words(pipeline, text, category):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert result["category"] == category, result


@pytest.mark.parametrize("text", [
    "Le bus 12 est encore en retard, c'est pénible",             # no group, no rule: the model alone is not hate
    "Je n'ai jamais dit que les roms étaient des voleurs",       # denying a claim
    "Je ne pense pas que les musulmans soient dangereux",
    "Cette saloperie d'imprimante est encore en panne",          # swearing about a thing
    "Les propos tenus sur les migrants hier sont indignes",      # condemning
    "Ce budget est nul, aucune vision",                          # civil criticism
    "Tous les bénévoles sont des gens formidables",
    "Ce chantier coûte trop cher à la commune",
    "Le CM de la page a supprimé mon commentaire, c'est dommage",
])
def test_denials_complaints_and_things_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is False, result


# Third round: threats and hate against disabled people, the weakest functionalities of the second blind suite
# (threat 0.46, hate_disability 0.54). Phrasings written for these tests, in none of the suites.
@pytest.mark.parametrize("text", [
    "Je vais lui régler son compte, à ce conducteur de bus",
    "Le directeur de la régie a intérêt à surveiller ses arrières",
    "Faudrait pas qu'il arrive un accident au président du syndicat",
    "Dommage que sa voiture puisse prendre feu une nuit",
    "S'il revient ici il repartira les pieds devant",
    "On va foutre le feu au bureau du bailleur",
    "Fais gaffe à tes gosses, on sait où ils vont à l'école",
    "On sait à quelle heure elle sort de la mairie",
    "Un de ces soirs quelqu'un va lui faire sa fête",
    "On les attendra avec des barres de fer s'ils reviennent",
    "Vivement une bonne ratonnade dans ce quartier",
    "Vous allez voir ce qui va vous arriver",
])
def test_veiled_and_conditional_threats(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert result["category"] == "threat", result


@pytest.mark.parametrize("text", [
    "Les sourds ils ont qu'à rester chez eux",
    "Les trisomiques devraient être internés",
    "Les handicapés mentaux sont des boulets pour les familles",
    "Les schizos il faudrait les enfermer",
    "Les autistes devraient rester dans des instituts",
])
def test_hate_against_disabled_people(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is True, result
    assert result["target"] == "disability", result


@pytest.mark.parametrize("text", [
    "Le bus 12 est encore en retard, c'est pénible",
    "Je vais mettre le feu aux poudres au conseil municipal avec cette question",
    "Attention au verglas sur la route de la déchetterie ce matin",
    "On sait quand le marché ouvre ? Merci",
    "Celui qui a tagué ma façade, je vais porter plainte",
    "Cette réforme va tuer les petits commerces",
    "Nous allons saisir le préfet si rien ne bouge",
    "Les personnes handicapées ont enfin une rampe d'accès à la mairie",
    "La mairie ne répond jamais aux courriers, c'est honteux et méprisant",
])
def test_complaints_warnings_and_neutral_mentions_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] is False, result


@pytest.mark.parametrize(("text", "target"), [
    ("Les Juifs ne sont pas les bienvenus dans notre village.", "religion"),
    ("On ne peut jamais faire confiance aux musulmans.", "religion"),
    ("Je ne respecterai jamais une femme maire.", "gender"),
    ("Les Noirs ne seront jamais de vrais Français.", "origin"),
    ("Je n'ai aucun respect pour les homosexuels.", "sexual_orientation"),
    ("Les femmes ne sont pas capables de diriger une commune.", "gender"),
    ("Je ne voterai jamais pour une femme.", "gender"),
    ("Je ne dis pas que les Roms sont tous des voleurs, mais bon, faut pas être naïf.", "origin"),
])
def test_negated_positive_statements_are_hateful(pipeline, text, target):
    """A negation that carries the hostility ("ne sont pas les bienvenus") is no denial; nor is "je ne dis pas
    que…, mais…"."""
    result = _tox(pipeline, text)
    assert result["flagged"] and result["target"] == target, (text, result)


@pytest.mark.parametrize("text", [
    "Je ne dirai jamais que les homos sont des malades, ça n'a aucun sens.",
    "Jamais je ne traiterais quelqu'un de « sale arabe », c'est pas comme ça que j'ai été élevé.",
    "Une femme à la tête de la police municipale ? Je ne vois absolument pas le problème.",
    "Mon neveu est autiste.",  # a family member described: the old rules took it for "t'es autiste"
    "Ma fille est trisomique, elle va à l'école du quartier.",
    "Capture d'écran du groupe du quartier : « faut brûler le centre des réfugiés ». J'ai transmis à la gendarmerie.",
])
def test_denials_family_and_reported_threats_are_not_flagged(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize(("text", "expected"), [
    ("Les musulmans ne sont pas des terroristes.", True),
    ("Les Roms ne sont pas tous des voleurs.", True),
    ("Je ne déteste pas les Arabes.", True),
    ("Les filles de l'équipe de foot ne sont pas moins douées que les garçons.", True),
    ("Les Maghrébins ne respectent rien, ni les profs ni les flics.", False),
    ("Les femmes n'ont aucune notion de mécanique.", False),
    ("Ils ne comprennent rien, inutile de les scolariser avec les autres.", False),  # the comma ends the clause
])
def test_negated_hostility_tells_a_denial_from_a_negative_stereotype(text, expected):
    mod = moderator()
    assert mod.negated_hostility(mod.canonical(text)) is expected


@pytest.mark.parametrize(("text", "target"), [
    ("Lesgays sont une honte pour notre ville.", "sexual_orientation"),      # glued to the determiner
    ("Lesgensduvoyage sont tous des voleurs.", "origin"),                     # a glued phrase
    ("Les musulamns sont tous des menteurs.", "religion"),                   # two letters swapped
    ("Les hnadicapés sont des parasites.", "disability"),
    ("Les transgnres sont des malades.", "gender"),                          # an inner letter missing
    ("Ce rital de plombier m'a encore arnaqué.", "origin"),
])
def test_group_words_and_slurs_misspelt_on_purpose(pipeline, text, target):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["target"] == target, (text, result)


@pytest.mark.parametrize("text", [
    "Les algériens et l'Algérie, la Syrie, la Roumanie : conférence jeudi à la médiathèque.",
    "Google Maps m'a envoyé dans un chemin de terre.",
    "J'ai acheté une tapette à souris pour le garage.",
    "La pédale de frein de mon vélo est cassée.",
    "mon scooter est bridé à 45 km/h, trop relou",
    "Le festival accueille un groupe de chanteurs mongols.",
    "La troupe municipale joue une pièce de Gogol au théâtre.",
    "Quel con je suis, j'ai oublié mes clés dans la voiture.",
    "Cet abruti de GPS m'a envoyé dans un chemin de terre.",
    "Des enfants qui crient « chinetoque » à une camarade, ça doit cesser.",
    "Je suis lesbienne et fière de l'être.",
    "Les personnes handicapées paient leurs impôts comme vous, elles ont droit aux mêmes services.",
    "Je m'attarde un peu sur le budget de la piscine avant le vote.",  # s'attarder: to linger
    "Ce dossier mérite qu'on s'y attarde, merci au conseil de quartier.",
    "Le soleil s'est attardé sur la place du marché ce soir.",
    "Nous ne devons pas nous attarder sur ce détail du compte rendu.",
    "Le président mongol est reçu par le maire pour le jumelage.",       # a nationality
    "Un jeune trisomique a été embauché à la cantine, belle initiative.",  # a neutral mention, no insult frame
])
def test_homonyms_things_self_blame_reports_and_identity_are_not_flagged(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


def test_respelling_leaves_real_words_and_names_alone():
    mod = moderator()
    for word in ("algerie", "syrie", "roumanie", "google", "faille", "metres", "flemme", "alien", "trains"):
        assert mod.canonical(word) == word


@pytest.mark.parametrize(("text", "category"), [
    ("Madame l'adjointe, vous n'êtes qu'une menteuse et une pourrie.", "insult"),  # ne… que is no negation
    ("Les Arabes du quartier feraient bien de regarder derrière eux le soir.", "threat"),
    ("L'adjointe à l'urbanisme devrait faire attention, les accidents arrivent si vite.", "threat"),
    ("si l'agent de stationnement me remet une amende il finira à l'hosto", "threat"),
    ("Selon moi, les LGBT détruisent la famille et la société.", "hate"),
    ("Il faudrait des horaires séparés à la médiathèque pour les Arabes.", "hate"),
])
def test_restrictions_veiled_threats_and_segregation(pipeline, text, category):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == category, (text, result)


@pytest.mark.parametrize(("text", "category"), [
    ("#NonALaMosquée #IslamDehors", "hate"),                       # hashtags split into words
    ("#PasDeGitansChezNous le terrain doit rester vide", "hate"),
    ("#saletapette ton char de la Pride faisait pitié", "slur"),
    ("#RemigrationMaintenant pour tout le nouveau centre", "hate"),  # a slogan needs no group word
    ("les meufs c tt des manipulatrices", "hate"),                   # SMS function words spelt out
    ("La marche des fiertés ne finira pas sans sang, croyez-moi.", "threat"),
    ("Si la mosquée se construit, je fais sauter le chantier.", "threat"),
    ("Les Roms du nouveau camp 🐀🐀 la déchetterie est à côté", "dehumanisation"),  # an animal emoji beside the group
    ("Piscine municipale interdite aux migrants, voilà la solution.", "hate"),
    ("Les gens du voyage ne sont jamais honnêtes.", "hate"),
    ("Le maire n'est pas méchant, juste complètement débile.", "insult"),
])
def test_hashtags_sms_slogans_and_emojis(pipeline, text, category):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == category, (text, result)


@pytest.mark.parametrize("text", [
    "Quel c*nnard ce maire",  # an SMS word inside a spelling game is left to the game
    "Ce c.o.n.n.a.r.d d'adjoint",
])
def test_sms_spelling_does_not_break_spelling_games(pipeline, text):
    assert _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Les Roms sont des voisins comme les autres.",
    "jsuis choqué par les comm sur les lesbiennes, elles vous ont fait koi au juste ??",
    "Nouvelle fromagerie au marché couvert. Leur pecorino romano est une tuerie, foncez.",
    "Ma box est bridée par l'opérateur depuis lundi.",
])
def test_neighbours_cheese_weeds_and_throttled_boxes_are_not_flagged(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize(("text", "category"), [
    ("Il serait souhaitable que la municipalité interdise l'accès du marché dominical aux Roms.", "hate"),
    ("Proposition : la commune doit cesser toute location de salle à des associations juives.", "hate"),
    ("Les femmes n'ont aucune autorité, c'est biologique.", "hate"),
    ("Il conviendrait de traiter les migrants du square comme on traite les nuisibles.", "dehumanisation"),
    ("on va chez le directeur du CCAS ce soir lui réglé son compte", "threat"),
    ("Je vais te retrouver, modérateur, et tu vas comprendre.", "threat"),
])
def test_exclusion_as_policy_and_plain_threats(pipeline, text, category):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == category, (text, result)


@pytest.mark.parametrize("text", [
    "On peut être athée et respecter les chrétiens. Les traiter d'arriérés n'apporte rien au débat.",
    "c pa parce k'une femme porte un voile k'elle peu pa cultivé un jardin, ca suffi ces bétises",
    "Qui a collé « voilées = soumises, dehors » sur les vitres de l'école ? C'est une honte.",
])
def test_rebuttals_and_reported_posters_are_not_flagged(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Cette histoire de télékinésie est débile.",        # said of a thing
    "c est tellement debile que l on se dit qu'ils ont tout raté",
    "Ce règlement du stationnement est complètement débile.",
    # an adjective right after the thing it qualifies (``Moderator._attributed``)
    "Un film complètement crétin avec des dialogues écrits par un enfant.",
    "Spiderman ne peut pas s'empêcher de faire des blagues minables pendant les combats.",
    "Ce projet complètement débile va coûter une fortune à la commune.",
    "Un bon gros navet bien crétin, deux heures de perdues.",
])
def test_adjectives_said_of_things_are_no_insults(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


def test_sms_c_before_est_is_left_alone():
    assert moderator().canonical("c est bon") == "c est bon"
    assert moderator().canonical("c tt des menteurs") == "c'est tous des menteurs"


@pytest.mark.parametrize("text", [
    "Rien ne se dégage du film, tout est mou.",   # "dégage" as a verb, not an order
    "Il demeure un grand acteur malgré tout.",    # "demeure", not "demeuré"
    "Une vraie bouffonnerie, ce film.",           # said of a film
    "Mon beau-frère a adoré la fin.",             # folded "beaufrere", not "beauf"
])
def test_words_that_only_look_like_insults_in_reviews(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize(("text", "category"), [
    ("Les Noirs ne sont que des singes qu'on a habillés.", "dehumanisation"),  # ne… que restricts, no denial
    ("Les Arabes ne ramènent que des problèmes dans le quartier.", "hate"),
    ("Les autistes sont des machines cassées, pas des enfants.", "dehumanisation"),
    ("Les femmes sont des objets, juste bonnes à servir.", "dehumanisation"),
    ("Putain de handicapés, ils prennent toutes les places devant la poste.", "hate"),
    ("Foutus migrants, encore eux.", "hate"),
    ("Les trans ne sont pas des humains, ce sont des monstres de foire.", "hate"),  # a denial that dehumanises
    ("Il faut interdire aux Maghrébins l'accès à la piscine municipale.", "hate"),
    ("À mon avis, les Roumains ne viennent ici que pour mendier et voler.", "hate"),
    ("Les sourds sont des simplets, impossible de leur expliquer quoi que ce soit.", "hate"),
    ("Monsieur le maire, je vais venir vous casser la gueule à la sortie du conseil.", "threat"),
    ("Si un voisin recommence, je sors le fusil.", "threat"),
    ("Si l'adjointe ferme encore la crèche, elle finira au fond du canal.", "threat"),
    ("si le policier municipal me remet une amende jlui explose la tête", "threat"),
    ("Les femmes qui portent plainte mériteraient une bonne raclée.", "threat"),
    ("Le nouveau gardien est un n e g r o, sérieux ?", "slur"),  # spaced letters before a comma
    ("Le premier adjoint est un lèche-bottes sans colonne vertébrale.", "insult"),
])
def test_sixth_round_forms_are_flagged(pipeline, text, category):
    tox = _tox(pipeline, text)
    assert tox["flagged"] and tox["category"] == category, (text, tox)


@pytest.mark.parametrize("text", [
    "Moi je suis gouine et fière, rendez-vous à la marche des fiertés dimanche !",  # reclaimed, said of oneself
    "En bon vieux pédé du village, je vous invite tous à mon mariage à la mairie.",
    "J'ai vu un raton laveur près de l'étang, c'est normal ?",  # homonym: the model's hate is not read
    "Personne de sensé ne pense que les juifs contrôlent les banques.",
    "jai jamais dit que les arabes etaient des délinquants relis mon com",
    "Les R o m s du camp ont organisé une fête de quartier très sympa.",
])
def test_sixth_round_harmless_forms_are_not_flagged(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


def test_swearing_at_a_thing_is_not_swearing_at_a_group_named_later():
    canon = moderator().canonical("Putain de bus, encore en retard, et les migrants du foyer attendent dehors.")
    assert not [v for v in moderator().verdicts(canon) if v.category == "hate"]


def test_a_denied_reclaimed_slur_is_still_a_slur(pipeline):
    assert _tox(pipeline, "Sale gouine, dégage de notre village")["flagged"]
    assert moderator().verdicts(moderator().canonical("je suis pas une gouine, moi"))


@pytest.mark.parametrize(("text", "category"), [
    ("Les chrétiens sont des hypocrites bornés.", "hate"),
    ("Les gays sont tous superficiels et maniérés.", "hate"),
    ("Les f3mmes sont toutes vénales.", "hate"),
    ("Les gens du voyage pillent tout sur leur passage.", "hate"),
])
def test_stereotype_adjectives_and_masked_letters(pipeline, text, category):
    tox = _tox(pipeline, text)
    assert tox["flagged"] and tox["category"] == category, (text, tox)


def test_an_at_sign_masking_a_letter_is_no_mention():
    assert moderator().canonical("Les @ttardés du centre aéré") == "les attardes du centre aere"
    assert moderator().canonical("Les bi©ots du kebab") == "les bicots du kebab"


def test_a_real_mention_stays_a_mention():
    assert "@user" in moderator().canonical("Merci @marie_durand pour les photos du marché")
    assert not moderator().verdicts(moderator().canonical("Les bénévoles sont tous dévoués, merci à eux"))


@pytest.mark.parametrize("text", [
    "Espèce d'attardé, tu as encore bloqué le parking !",
    "L'autre attardé de la voirie a encore laissé la route fermée.",
    "Le livreur est vraiment attardé, il sonne à 6 heures.",
    "Attardé ! Tu roules sur le trottoir.",
    "Franchement mon voisin c'est un mongol.",
])
def test_framed_slurs_said_of_a_person_stay_flagged(pipeline, text):
    """The framed slurs ("mongol", "attardé") count as insults when used as a noun for a person or said of
    someone, not as an adjective after a noun or as the verb s'attarder (cases above)."""
    assert _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Deux familles de réfugiés arrivent rue Pasteur. Ils vont ramener leur délinquance.",
    "Une femme trans a été embauchée à la crèche. Ces gens-là ne devraient jamais approcher des enfants.",
    "Les Roms du terrain vague, je les supporte pas, ils pourrissent le quartier.",  # the "pas" is another clause's
    "Les Marocains du quartier ne savent pas vivre, ils salissent tout et ne respectent personne.",
    "L'association des sourds veut une salle. Ils sont tous un peu simplets de toute façon.",
    "Deux lesbiennes reprennent le bar de la place. Elles vont faire fuir les familles.",
    "Encore une famille d'Afghans rue des Lilas, bientôt on ne sera plus chez nous.",
    "Les nouveaux voisins bulgares ? Ils vont piller le quartier.",
    "Il faudrait une crèche à part pour les enfants de réfugiés, pas mélangés avec les nôtres.",
    "Aucun musulman ne devrait pouvoir siéger au conseil des sages.",
    "Les Comoriens ramènent des maladies à l'école, contrôlez-les.",
    "Les Roms du camp font baisser le prix des maisons du quartier.",
])
def test_a_group_attacked_through_a_pronoun_or_in_a_later_clause_is_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == "hate", (text, result)


@pytest.mark.parametrize("text", [
    "Je ne pense pas que les Roms pourrissent le quartier, ils sont nos voisins.",
    "Les réfugiés ne sont pas des profiteurs, ils travaillent comme tout le monde.",
])
def test_the_new_predicates_leave_negated_statements_alone(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Les personnes sourdes ne valent rien.",
    "Les lesbiennes du club ne sont pas normales.",
    "Aucun Tunisien du quartier n'est digne de confiance.",
    "Les Roms ne méritent aucune aide de la commune.",
    "On ne peut pas faire confiance aux musulmans.",
])
def test_hate_said_by_denying_something_good_is_flagged_by_the_rules(text):
    mod = moderator()
    found = mod.verdicts(mod.canonical(text))
    assert any(v.category == "hate" for v in found), (text, found)


@pytest.mark.parametrize("text", [
    "Il est faux de dire que les lesbiennes ne sont pas normales.",
    "Arrêtez de dire que les autistes ne servent à rien.",
    "Ces promesses électorales ne valent rien.",
    "On ne peut pas faire confiance aux prévisions météo.",
])
def test_denying_something_good_of_no_group_or_to_refute_it_is_no_hate(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


def test_transforming_a_place_is_hostile_only_into_a_ghetto():
    mod = moderator()
    assert not mod.verdicts(mod.canonical("Les personnes handicapées ont une entrée à part, côté parking."))
    assert not mod.verdicts(mod.canonical("Les jeunes migrants vont transformer la friche en jardin partagé."))
    assert mod.verdicts(mod.canonical("Les migrants vont transformer le quartier en ghetto."))


@pytest.mark.parametrize("text", [
    "Les migrants du foyer organisent une fête samedi.",
    "Les réfugiés syriens ouvrent un restaurant rue Pasteur.",
    "Un réfugié afghan a été embauché aux espaces verts.",
    "Les Africains de la paroisse chantent à la messe de Noël.",
])
def test_plain_information_about_a_group_is_not_read_as_hate(pipeline, text):
    """The learned models, trained on tweets collected with group words, read these as hate (both profiles did,
    before ``Moderator.informative``)."""
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Les migrants du foyer organisent encore une fête, ras le bol.",                   # a complaint
    "La mairie a embauché trois réfugiés. Ils vont passer leur temps à voler le matériel.",  # a prediction
    "Les juifs organisent le gala, l'argent c'est leur truc.",                          # a judgement
    "Les Roms organisent une brocante ? Planquez vos portefeuilles !",                  # a question, an exclamation
])
def test_information_words_do_not_excuse_hostility(text):
    mod = moderator()
    assert not mod.informative(mod.canonical(text)), text


@pytest.mark.parametrize("text", [
    "Combien de réfugiés afghans vivent dans la commune ?",            # a question for information
    "Le nombre de réfugiés accueillis a doublé en 2024.",              # a figure, a year
    "Les musulmans jeûnent du lever au coucher du soleil.",            # a practice
    "Ma collègue est lesbienne.",                                      # someone the author knows
    "Mon dentiste est juif.",
    "Je travaille avec deux femmes voilées à la poste.",
    "Nous avons besoin de plus de femmes ingénieures.",                # the need for more of them
    "Les réfugiés sont des êtres humains.",                            # equality
    "Les gays sont des citoyens à part entière.",
])
def test_questions_acquaintances_and_figures_about_a_group_are_not_read_as_hate(pipeline, text):
    """Short statements of the kind functional test suites hold: the learned models read each as hate before
    ``informative`` took questions and figures and ``identity_statement`` took acquaintances (stop 36)."""
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", [
    "Mon collègue est arabe, comme par hasard la caisse est vide.",   # an insinuation
    "Combien de migrants faudra-t-il encore accueillir ?",            # a complaint asked as a question
    "Pourquoi les réfugiés ont-ils un logement gratuit ?",            # a question of reproach
    "Les femmes ont plus de droits que nous maintenant.",              # a comparison with "us"
    "Je travaille avec des Roms, planquez vos portefeuilles !",       # an exclamation
])
def test_questions_acquaintances_and_figures_do_not_excuse_hostility(text):
    mod = moderator()
    canon = mod.canonical(text)
    assert not mod.informative(canon) and not mod.identity_statement(canon), text


@pytest.mark.parametrize("text, insulted", [
    ("je t'ai répondu mongol", True),
    ("t'as rien compris autiste va", True),
    ("ferme-la, attardé !", True),
    ("Tu sais pas lire trisomique ?", True),      # the negation bears on the verb, not on the address
    ("Ton cousin trisomique va bien ?", False),   # a relative described
    ("Tu connais des autistes ?", False),
    ("Tu es venu avec ton frère handicapé ?", False),
    ("Vous avez vu le reportage sur l'empire mongol ?", False),
])
def test_a_framed_slur_said_to_someone_is_an_insult_of_that_person(text, insulted):
    """A vocative insults the person addressed; like MLMA's training labels, it is not read as hate of the group."""
    mod = moderator()
    found = mod.verdicts(mod.canonical(text))
    assert any(v.category == "insult" for v in found) is insulted, (text, found)
    assert not any(v.category in ("slur", "hate") for v in found), (text, found)


@pytest.mark.parametrize("text", [
    "Le gardien du stade mériterait qu'on lui casse les doigts.",
    "Cet adjoint devrait se faire tabasser à la sortie du conseil.",
    "Quelqu'un devrait donner une bonne correction au chef de la voirie.",
    "Le prochain qui touche à mon portail, je lui plante un tournevis.",
    "Si tu reviens sur le marché, tu repars en ambulance.",
    "Tu fais le malin sur le groupe du quartier ? On sait où tu bosses.",
    "Continue et on te repêchera dans la rivière un de ces jours.",
    "Si elle vote ce budget, la conseillère ne rentrera pas chez elle indemne.",
    "Le maire, faudrait lui refaire le portrait.",
    "Ta boutique brûlerait bien avec tous ces cartons devant.",
    "Quelqu'un devrait mettre le feu à cette permanence.",
    "On va aller brûler le local de l'association ce soir.",
    "Tu reviens te garer devant chez moi et jte plante 🔪",
])
def test_normative_and_veiled_threats_are_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == "threat", (text, result)


@pytest.mark.parametrize("text", [
    "Atelier cuisine à la médiathèque samedi, vous apprendrez à découper les légumes 🔪",
    "Je vais mettre le feu aux poudres au conseil municipal avec cette question",
    "Mon fils a mis le feu aux poudres au repas de famille en parlant du projet.",
    "Ce film mérite qu'on le revoie, quelle claque.",
])
def test_kitchen_knives_idioms_and_praise_are_not_threats(pipeline, text):
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_elections_matches_and_mortality_are_no_threats(profile):
    """The threat head (both profiles) and the e5 head read these as threats before the election, match and
    mortality idioms (stop 36); a threat that names its victims still stands beside an election word."""
    nlp = toxicity_pipeline(profile)
    for text in ("Les candidats devraient être éliminés au premier tour.",
                 "Ce candidat mérite d'être éliminé dès le premier tour.",
                 "Il faut battre la droite aux municipales.",
                 "On devrait tous mourir un jour, c'est la vie."):
        assert not _tox(nlp, text)["flagged"], (profile, text)
    for text in ("Il faut éliminer les migrants avant les élections.",
                 "Ce maire devrait être pendu après les élections."):
        assert _tox(nlp, text)["flagged"], (profile, text)


@pytest.mark.parametrize("text, target", [
    ("Les témoins de Jéhovah sont repassés dans la résidence.", "religion"),
    ("La salle de prière de la rue Haute ferme pendant les travaux.", "religion"),
    ("Un catho de plus au conseil des sages.", "religion"),
    ("Les dépressifs du foyer ont droit à une sortie au lac.", "disability"),
    ("L'ESAT livre les paniers de légumes le jeudi.", "disability"),
])
def test_more_groups_are_named(text, target):
    mod = moderator()
    assert mod.group_targets(mod.canonical(text)) == [target], text


@pytest.mark.parametrize("text", [
    "Le personnage qui m'a le plus touché est la mère de Adam.",
    "Ma fille a gagné le cross du collège.",
])
def test_one_relative_named_is_not_a_group(text):
    mod = moderator()
    assert mod.group_targets(mod.canonical(text)) == [], text


@pytest.mark.parametrize("text", [
    "T'as signalé mes posts ? On sait où tu bosses",
    "Tu m'as dénoncé à la modération ? Je vais te retrouver",
])
def test_a_threat_at_the_reader_stands_beside_a_cue_of_counter_speech(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == "threat", result


@pytest.mark.parametrize("text", [
    "Je condamne ceux qui veulent brûler la mosquée",
    "Quelqu'un devrait mettre le feu aux poudres dans ce débat",
    "L'opposition tire à boulets rouges sur le maire à chaque conseil",
    "Ce projet de parking, faut le tuer dans l'oeuf",
    "Le budget a été descendu en flammes par la commission",
    "On est morts de rire devant la vidéo du conseil",
])
def test_condemned_threats_and_violent_idioms_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert not result["flagged"], (text, result)


def test_an_idiom_does_not_hide_a_threat_beside_it(pipeline):
    result = _tox(pipeline, "Je vais te tuer, tu vas mourir de peur")
    assert result["flagged"] and result["category"] == "threat", result


@pytest.mark.parametrize("text", [
    "j'espère qu'elle va crever dans un accident de voiture cette présidente de l'interco",
    "Si je croise le maire au marché samedi je lui mets la tête dans les cageots",
    "on se donne rdv devant chez le conseiller, ramenez des barres de fer",
    "Je conseille au délégué de regarder derrière lui en partant du local mardi",
    "la CM qui m'a bloqué, tu perds rien pour attendre",
    "Tout le monde sait à quelle école vont vos enfants madame la conseillère",
    "Le prochain qui me signale 🔪🩸 je rigole pas",
    "Le centre d'accueil des réfugiés 🔥🔥🔥 ça serait beau à voir cette nuit",
    "Effacez encore un de mes posts et je viens brûler vos bureaux",
    "Ce garde champêtre mérite de se prendre une balle",
    "jsais que c toi qui a porté plainte contre moi, tu vas payer et pas en euros",
])
def test_wishes_conditions_weapons_and_veiled_threats_are_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert result["flagged"] and result["category"] == "threat", (text, result)


@pytest.mark.parametrize("text", [
    "Le club lecture a choisi « Je vais te tuer, mon amour » pour mars, un thriller",
    "Tu vas le regretter : je saisis la CADA pour obtenir les documents",
    "on va les tuer au tir à la corde de la Saint-Jean, l'équipe est prête",
    "faut battre les blancs en neige et les incorporer à la spatule, ma grand mère faisait comme ça",
    "Le « ils vivent des aides » est un mythe, les chiffres de l'Insee le montrent",
    "Ras-le-bol de lire cette haine contre les gens du voyage sous chaque post",
])
def test_titles_legal_action_games_recipes_and_rebuttals_are_not_flagged(pipeline, text):
    result = _tox(pipeline, text)
    assert not result["flagged"], (text, result)


@pytest.mark.parametrize("text", [
    "Pas d'amalgame bien sûr... mais tous les musulmans sont des terroristes en puissance",
    "On m'a signalé ? Parfait, alors je le redis : les immigrés sont des rats qui vivent sur notre dos.",
])
def test_counter_speech_that_turns_into_hate_is_flagged(pipeline, text):
    assert _tox(pipeline, text)["flagged"], text


def test_a_turn_in_a_long_review_lets_no_insult_of_a_character_stand():
    mod = moderator()
    canon = mod.canonical("Bourré de clichés, " + "une intrigue lente et des dialogues plats, " * 8
                          + "mais le héros est un vrai salaud.")
    assert mod.countered(canon) and mod.counter_reach(canon) == len(canon)


@pytest.mark.parametrize("text", [
    "Lors de la conférence, on a rappelé qu'environ un enfant sur cent est autiste.",  # a figure
    "Un élève sur 100 est autiste, il faut plus d'AESH.",
    "Les enfants porteurs de trisomie 21 sont accueillis au centre de loisirs cet été.",  # the condition
    "Les jeunes gays mis à la porte par leurs parents peuvent appeler ce numéro.",  # what happened to them
    "Des migrants mis à la porte du foyer hier soir, l'association cherche des lits.",
])
def test_figures_conditions_and_victims_are_not_flagged(pipeline, text):
    assert not moderator().verdicts(moderator().canonical(text)), text


@pytest.mark.parametrize("text", [
    "le maire est autiste, il n'écoute personne",
    "espèce de trisomique, tu comprends rien",
    "t'es un gros triso",
    "les LGBT à la porte de la mairie !",
    "les migrants doivent être mis à la porte, point",
])
def test_the_same_words_aimed_at_someone_or_a_group_stay_flagged(pipeline, text):
    assert _tox(pipeline, text)["flagged"], text


def test_insults_said_of_things_cap_the_models_insult(pipeline):
    """When every insult word is said of a thing, the linear model's insult does not count either (v6's insult
    threshold would flag "Cette histoire de télékinésie est débile." without it); said of a person it still does."""
    from vigie.nlp.components.moderation import moderator

    assert moderator().insults_of_things("cette histoire de telekinesie est debile")
    assert not moderator().insults_of_things("t es vraiment debile toi")
    assert not moderator().insults_of_things("il pleut sur la place du marche")  # no insult word at all
    assert _tox(pipeline, "T'es vraiment débile toi.")["flagged"]


@pytest.mark.parametrize("text", [
    "Ce maire minable ne fait rien pour le quartier.",
    "Quel crétin ce voisin, il a encore bloqué la sortie du parking.",
])
def test_adjectives_after_people_stay_insults(pipeline, text):
    assert _tox(pipeline, text)["flagged"], text


# ordinary municipal life in words that insult elsewhere (stop 34; our own writing, never in the suites)
MUNICIPAL_FALSE_FRIENDS = [
    "Les bennes à ordures de la rue Pasteur débordent encore ce matin.",
    "Le camion benne à ordures bloque la rue tous les matins à 6h.",
    "La collecte des ordures ménagères est décalée au mardi à cause du férié.",
    "Exposition photo sur la Mongolie à la médiathèque jusqu'au 15 janvier.",
    "Les dons de la tombola iront à l'Unicef Mongolie.",
    "Concert hommage à NTM samedi soir à la salle des fêtes.",
    "Spectacle de Guignol pour les enfants mercredi à la bibliothèque.",
    "La piste cyclable est défoncée, j'ai failli perdre une pédale.",
    "Les crottes de chien sur les trottoirs, c'est vraiment dégoûtant.",
    "Quelqu'un a retrouvé un chat noir près de la boulangerie.",
    "Les chiens doivent être tenus en laisse dans le parc.",
    "Le chêne du square a perdu tous ses glands, ça glisse sur le trottoir.",
    "Encore des dépôts sauvages derrière le gymnase, la mairie peut faire quelque chose ?",
    "Un manifeste contre la chasse aux sorcières du sénateur McCarthy, projection jeudi au ciné-club.",
    "Le club de lecture de la médiathèque discutera de « L'Idiot » de Dostoïevski mardi.",
    "Un blaireau a été percuté route de la forêt, il est sur le bas-côté depuis hier.",
    "Le grenier est infesté de vermine, souris et mites, quelqu'un connaît un dératiseur ?",
    "Retour du pain bâtard à la boulangerie de la place dès lundi.",
    "Défilé des petites sorcières pour Halloween, départ 17h devant la mairie.",
    "Un petit roquet aboie toute la journée au numéro 12, la mairie peut intervenir ?",
]
HOSTILE_FALSE_FRIENDS = [
    "Ces ordures d'élus se gavent sur notre dos.",
    "Le maire est un guignol, rien d'autre.",
    "NTM le maire et toute son équipe.",
    "Sale mongol, apprends à conduire.",
    "Les Roms sont des chiens qu'il faut tenir en laisse.",
    "Ces migrants c des chiens errants qui trainent partout.",
    "La secrétaire de mairie est une vraie vache.",
    "Pauvre courge, t'as rien compris au PLU.",
    "Vieille morue, occupe-toi de tes affaires.",
    "Ce petit roquet de conseiller aboie fort en réunion.",
    "Les jeunes de la cité sont des sauvages.",
]


@pytest.mark.parametrize("text", MUNICIPAL_FALSE_FRIENDS)
def test_municipal_words_in_their_plain_sense_are_not_flagged(pipeline, text):
    """Rubbish collection, pets, pests, shows and titles: the homonym contexts (``moderation_homonyms.txt``), quoted
    titles and the frames of weak insults keep them out (stop 33's code flagged 14 of these 20)."""
    assert not _tox(pipeline, text)["flagged"], text


@pytest.mark.parametrize("text", HOSTILE_FALSE_FRIENDS)
def test_the_same_words_aimed_at_people_stay_flagged(pipeline, text):
    assert _tox(pipeline, text)["flagged"], text


def test_false_friends_development_set(pipeline):
    """The helper-written development set (nlp/train/data/moderation_falsefriends_dev.jsonl): plain senses almost
    never flagged, most hostile uses caught (stop 34: 0.994 / 0.771; stop 33's code 0.894 / 0.571)."""
    from vigie.nlp.train.data import FALSEFRIENDS_DEV

    per = moderation_eval.evaluate(pipeline, FALSEFRIENDS_DEV)["per_functionality"]
    assert per["literal_sense"]["accuracy"] >= 0.99 and per["hostile_use"]["accuracy"] >= 0.7, per


@pytest.mark.parametrize("text", [
    "Espèce d'abruti, on t'a dit trois fois que la déchetterie est fermée le lundi !",
    "Bande de guignols, on vous a dit que la route était coupée depuis lundi.",
])
def test_telling_someone_again_reports_no_hate(pipeline, text):
    """"il m'a dit", "elle a dit" report what someone said (counter-speech cues); "on t'a dit", "on vous a dit" tell
    the reader again: the insult beside them stands."""
    assert _tox(pipeline, text)["flagged"], text


# written for this test: "personne" and "nul" as nouns are no "nobody" that denies the harm after them
@pytest.mark.parametrize("text", [
    "Ce gros nul du conseil, je vais le crever à la sortie de la séance",
    "Cette personne de l'accueil, je vais la crever si elle me refait attendre",
    "Quel nul ce conseiller, je vais le buter",
])
def test_a_noun_personne_or_nul_denies_no_threat(pipeline, text):
    verdicts = moderator().verdicts(moderator().canonical(text))
    assert any(v.category == "threat" for v in verdicts), verdicts


@pytest.mark.parametrize("text", [
    "Personne ne mérite de se faire tabasser pour sa religion",
    "Nul ne doit se faire frapper à cause de sa couleur de peau",
    "Aucun enfant ne devrait se faire tabasser à la sortie du collège",
])
def test_nobody_still_denies_the_harm(pipeline, text):
    assert not pipeline(text)._.toxicity["flagged"]


# written for this test (stop 35): forms blind suite 20's errors showed, and mockery idioms of a person's mind
@pytest.mark.parametrize("text, category", [
    ("Le responsable des travaux est un crétin fini, trois mois pour un rond-point.", "insult"),
    ("Les écolos du conseil, des pauvres cons qui n'ont jamais travaillé.", "insult"),
    ("Les supporters d'en face, tous des bouseux consanguins.", "insult"),
    ("Les mongolll du foyer qui crient dans le bus, ça devient pénible.", "slur"),
    ("wsh c ki ces dépé qui dansent sur le char mdr", "slur"),
    ("Mon voisin a un cerveau de moustique, il tond à 7 h le dimanche.", "insult"),
    ("La gardienne, c'est pas une lumière, elle a encore perdu les clés.", "insult"),
    ("Le nouveau DJ de la fête a le charisme d'une huître.", "insult"),
    ("Je sais à quelle heure tu promènes ta fille au parc. Réfléchis.", "threat"),
    ("J'espère que le plafond du gymnase s'effondrera sur eux pendant leur réunion.", "threat"),
    ("Il lui manque une case, au nouveau conseiller", "insult"),
    ("Le voisin n'a pas la lumière à tous les étages", "insult"),
    ("T'es vraiment un boulet, tu as encore oublié les clés de la salle", "insult"),
    ("Tu sers à rien, sérieux, rends ton écharpe", "insult"),
    ("T'as fumé quoi avant d'écrire ce commentaire ?", "insult"),
    ("Quelle cervelle de moineau ce type", "insult"),
])
def test_insults_slurs_and_threats_of_the_fifteenth_round_are_read(pipeline, text, category):
    tox = pipeline(text)._.toxicity
    assert tox["flagged"] and tox["category"] == category, tox


@pytest.mark.parametrize("text", [
    "Je refuse qu'on parle comme ça des enfants réfugiés de l'école, ce sont des élèves comme les autres.",
    "À ceux qui ricanent parce qu'une femme préside le club de foot : elle a sauvé nos finances.",
    "j'vais défoncer ce putain de distributeur, il a encore avalé ma carte",
    # the same words in a form or about a tool: no mockery
    "Sur le formulaire en ligne il vous manque une case à cocher pour le quotient familial",
    "Ce couteau suisse est aussi utile qu'un tournevis, je le garde dans la boîte à gants",
])
def test_counter_speech_grumbles_and_forms_of_the_fifteenth_round_are_not_flagged(pipeline, text):
    assert not pipeline(text)._.toxicity["flagged"]
