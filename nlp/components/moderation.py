"""Moderation rules: what a moderator removes from a collectivité's pages, and why.

``Moderator().verdict(text)`` returns the strongest ``Verdict`` (category, target, score, cue) of a
text, or ``None``.  Categories, strongest first:

- ``threat``: a threat of violence (``toxicity_threat.txt``), against a person or a group;
- ``dehumanisation``: a group named with a dehumanising noun in a comparing frame ("les X sont des
  rats", "cette vermine de X", ``moderation_dehumanising.txt``);
- ``hate``: a group named (``moderation_groups.tsv``) with a hostile predicate in the same stretch
  of text ("je hais les X", "les X n'ont rien à faire ici", ``moderation_hostile.txt``);
- ``slur``: a slur (``moderation_slurs.tsv``); words that are ordinary elsewhere ("mongol",
  "melon") count only in an insulting frame ("t'es mongol", "sale melon");
- ``insult``: an insult word (``toxicity_insults.txt``) aimed at a person; "con" needs an insulting
  frame ("quel con", not "c'est con"); weak insults ("pourri", "guignol", "vendu") count when said
  of an elected official or staff (``moderation_officials.txt``).  Target ``official`` or ``person``.

Not flagged: a text with a counter-speech, quoting or reporting cue (``moderation_counter.txt``:
"c'est raciste", "arrêtez de dire", "m'a traité de", "porter plainte"); a hostile predicate or a
comparison under a negation ("les migrants ne sont pas des criminels"); a slur or insult inside
quotation marks when the text reports it; swearing about things ("putain de bus", "à la con").

Spelling games are undone before matching, guided by the lexicons (a word is rewritten only when
the rewritten form is a lexicon word): leetspeak (0→o 1→i 3→e 4→a 5→s 7→t @→a $→s), separators
inside a word ("p.d", "c-o-n-n-a-r-d"), letters spaced out ("b o u g n o u l e"), repeated
letters ("saaaale"), an asterisk for a letter ("enc*lé").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from vigie.nlp.components._patterns import PatternList
from vigie.nlp.components._textmodel import LEXICONS, lexicons, normalise
from vigie.textfold import fold

SCORES = {"threat": 0.95, "dehumanisation": 0.92, "hate": 0.9, "slur": 0.88, "insult": 0.8}
PRIORITY = ("threat", "dehumanisation", "hate", "slur", "insult")
PROTECTED = ("origin", "religion", "gender", "sexual_orientation", "disability")

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOKEN = re.compile(r"\S+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
                       "€": "e", "©": "c"})
_OBFUSCATION = re.compile(r"[0-9@$€©!*._|/\\-]")
NULS = {"nul", "nuls", "nulle", "nulles"}  # an insult only in a strong frame ("ce gros nul", "bande de nuls")
_SPACED = re.compile(r"(?<!\S)(?:[a-z0-9@$*][ ]){1,}[a-z0-9@$*](?=[\s.,;:!?…)»\"]|$)")
_REPEAT = re.compile(r"([a-z])\1+")
# two letter runs split by one space, the first of two letters or more ("lesbi ennes", "noi rs")
_SPLIT_PAIR = re.compile(r"(?<![\w'])(?=([a-z]{2,12}) ([a-z]{1,10})(?![\w']))")
_REPEAT3 = re.compile(r"([a-z])\1{2,}")
_SENTENCE = re.compile(r"[.!?;\n…]+")
_QUOTED = re.compile(r"«[^»]{1,200}»|\"[^\"]{1,200}\"|“[^”]{1,200}”|"
                     r"(?:(?<=\s)|^)'(?:[^'\n]|(?<=[a-z])'(?=[a-z])){5,200}'(?=[\s.,;:!?]|$)")
# what endorses a quoted statement instead of answering it ("« … » : tout est dit", "c'est ce que je pense")
_CLAUSE_CLOSE = re.compile(r"\s*(?:[:?.…!,;—–-]|$)")
_ENDORSE = re.compile(r"\b(?:ce que je pense|je pense pareil|je pense comme|tout est dit|c'est vrai|bien dit|"
                      r"amen|je valide|(?:je suis|suis|tout a fait|completement) d'accord|(?:a|as|ont|avez) raison|"
                      r"enfin quelqu'un|j'approuve|"
                      r"\+1|100 ?%|tellement vrai|comme disait|je le dis|je l'ai toujours dit)\b")
# what condemns or refutes a quoted statement ("« les X sont des parasites » : relisez-vous", "qu'on arrête avec
# « … »", "y en a encore qui sortent '…' ?"): with a quote of three words or more, the quote is reported
_CONDEMN = re.compile(r"\b(?:honte\w*|honteu\w+|relise[zr]?|relis-toi|relisez-vous|arret(?:e|ez|er|ons)\s+avec|"
                      r"y en a encore qui|encore des gens qui|on vaut mieux|vocabulaire|cliches?|prejuges?|"
                      r"stereotypes?|c'est faux|archi faux|n'importe quoi|la preuve que non|ignoble\w*|nauseabond\w*|"
                      r"inadmissible|inacceptable|intolerable|degueulasse|consternant\w*|affligeant\w*|"
                      r"(?:voila|voici) ce qu'on (?:lit|entend)|je lis encore|on lit encore|on entend encore|"
                      r"solidarite|soutien a|soutien aux)\b")
_REPORT = re.compile(
    r"\b(?:dit|dire|disent|disait|disaient|ecrit|ecrire|ecrivent|ecrivez|ecris|lis|lisez|crie|crier|hurle|tague|tagues|tag|tags|graffiti|graffitis|lu|lire"
    r"|entendu|entendre|hurlait|hurlaient|criait|criaient|scandait|scandaient|recoit|recoivent|traite|traitee|traites|traiter|insulte|insultee|insultes|insulter|propos|message|messages"
    r"|commentaire|commentaires|tweet|post|phrase|slogan|mot|mots|terme|termes|lance|lancee|repete|pancarte|affiche|recu|recue|recus|lettre|courrier|mail|sms"
    r"|capture|captures|transmis|transmise|signale|signalee|publie|publiee|groupe|conversation|traiterais|traiterait|traiterai"
    r"|crient|hurlent|criaient|scandent|chantaient|chantent|banderole|banderoles|inscription|inscriptions|retire|retiree"
    r"|efface|effacee|tague|taguee|colle|collee|colles|placarde|placardee)\b")
_TURN = re.compile(r"\b(?:mais|je maintiens|je le redis|je redis|je le repete|je repete|je constate|ouvrez les yeux|"
                   r"la verite c'est qu|le vrai probleme c'est)\b")  # counter-speech turning (``counter_reach``)
_WORK = re.compile(r"\b(?:films?|livres?|romans?|thriller|polar|pieces?|chansons?|albums?|titres?|series?|intitule\w*|"
                   r"spectacles?|bd|club (?:de )?lecture|feuilleton|episodes?|jeu video|podcast|affiche|projection|"
                   r"theatre|troupe|jouera|jouent|representations?|cinema|opera|comedie|lecture)\b")  # quoted titles
# a review of a film or a book: its characters and plot name groups ("ces femmes si fragiles") that the
# learned heads, trained on comments about local life, would read as their targets
_REVIEWED_WORK = re.compile(r"\b(?:films?|scenarios?|jeu des acteurs|actrices?|realisat(?:eur|rice)s?|"
                            r"personnages?|intrigue|mise en scene|casting|doublage|bande[- ]annonce|navets?|nanars?|"
                            r"romans?|thriller|polar|documentaire|dessin anime)\b")
_CLAUSE_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[,.;:!?…»«()]")
_CLAUSE_END = set(",.;:!?…»«()")
_HASHTAG = re.compile(r"#([^\W_]\w{1,80})")
_HASHTAG_PART = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-zà-ÿ])|[a-zà-ÿ]+|\d+")


def _split_hashtag(match: re.Match) -> str:
    """"#PasDeGitansChezNous" → " Pas De Gitans Chez Nous "; a lowercase hashtag loses its "#" only."""
    return " " + " ".join(_HASHTAG_PART.findall(match.group(1))) + " "


# SMS spellings of function words, spelt out before the patterns read the text (accent-folded forms)
SMS = {"c": "c'est", "tt": "tous", "ts": "tous", "ke": "que", "ki": "qui", "pa": "pas", "jame": "jamais",
       "jms": "jamais", "koi": "quoi", "tjr": "toujours", "tjrs": "toujours", "qd": "quand", "bcp": "beaucoup",
       "jsuis": "je suis", "chui": "je suis", "jdi": "je dis", "pk": "pourquoi", "pq": "pourquoi",
       "pcq": "parce que", "ptdr": "", "mdr": "", "svp": "s'il vous plait", "tro": "trop", "e": "est"}
_SMS_WORD = re.compile(r"(?<![^\s(«\"])(?:" + "|".join(sorted(SMS, key=len, reverse=True))
                       + r")(?![^\s,;:!?)»\"])(?!\s+(?:est|etait|sera|serait)\b)")  # "c est" is already "c'est"
# the words the homonym patterns are about (moderation_homonyms.txt): no hint, no pattern to run
_HOMONYM_HINT = re.compile(r"tapette|pedale|bride|mongol|gogol|raton|chinois|romano|avoine|attard|blanc|manchot|bicot|"
                           r"cageot|asiati|noir|caraque|homme|ordure|guignol|ntm|gland|chien|blaireau|charogne|vermine|"
                           r"batard|bouffon|sorciere|sauvage")
_SMS_QU = re.compile(r"(?<![\w'])k'(?=[a-z])")  # "parce k'une" → "parce qu'une"
# determiners that get glued to the next word to dodge filters ("lesmusulmans", "salbougnoules")
# what keeps praise of a group from being read as a positive statement: a negation ("ne sont pas les bienvenus"),
# a contrast ("gentils mais…"), an excess ("trop gentils avec eux"), mockery (laughter, eye-rolling emojis); the
# irony markers of the sentiment features (irony_markers.txt) are checked too (``positive_stance``)
_STANCE_BLOCKERS = re.compile(r"\b(?:ne|n|pas|jamais|aucun|aucune|ni|nullement|guere|sans|rien|"
                              r"(?<!\bla )(?<!\bune )(?<!\bcette )(?<!\bquelle )personne|mais|sauf|"
                              r"pourtant|cependant|contre|quand meme|empeche|trop|soi-disant|pretendument|lol|mdr|ptdr|"
                              r"xd|ironie|sarcasme|c est ca|emo_face_with_rolling_eyes|"
                              r"emo_face_with_tears_of_joy|emo_rolling_on_the_floor_laughing|emo_smirking_face|"
                              r"emo_upside_down_face|emo_clown_face|emo_winking_face)\b")
# swear words that, right before a group word (or "… de" before it), aim the swearing at the group
SWEAR_AT = {"putain", "putains", "bordel", "saloperie", "saloperies", "foutus", "foutues", "maudits", "maudites",
            "fichus", "fichues", "merde", "chiasse", "enfoires"}
_RECLAIMING = re.compile(r"\b(?:en (?:bon|bonne|vrai|vraie|fier|fiere)(?: (?:vieux|vieille|petit|petite))?|nous les|"
                         r"nous autres)$")
# … and, for a slur only (a stereotype said of "mes copines X" is no identity statement), one's own circle
_RECLAIMING_CIRCLE = re.compile(r"\b(?:moi(?: (?:la|le|l|une|un)(?: (?:vieille|vieux|petite|petit|grande|grand))?)?|"
                                r"(?:on est|nous sommes|on etait)(?: (?:vraiment|trop|tellement|toutes|tous))? "
                                r"(?:des|une bande de|une bande d|un groupe de|une quinzaine de|une dizaine de|entre)"
                                r"(?: (?:grosses|gros|vraies|vrais|sacrees|sacres|belles|beaux|vieilles|vieux))?|"
                                r"(?:moi et |avec )?(?:mes|nos) (?:potes|copines|copains|amis|amies|soeurs|freres|"
                                r"sistas|collegues|camarades)|(?:et moi|moi et \w+)(?: deux| trois)?|entre|"
                                r"(?:m|nous) (?:appellent|appelle|surnomment) (?:le|la|les))$")
# the writer belongs to the group named ("avec nous", "mes frères", "(moi)", "ma famille", "c'est moi"); a community
# named ("l'asso LGBT", "la pride") is no sign: hate is written about such events too
_IN_GROUP = re.compile(r"\b(?:avec nous|(?:on|nous) vous|mes (?:freres|soeurs|potes|copines|copains|reufs|gars)|"
                       r"moi inclus|moi compris|dont moi|comme moi|moi emo_\w+|\(moi|c'est moi|ma famille|"
                       r"meilleure?s? (?:potes?|copines?|amie?s?)|je vous aime|(?:ma|mon) (?:meuf|mec|copine|copain|"
                       r"femme|mari) et moi|on se (?:retrouve|voit|capte|rejoint))\b")
# … and invites or celebrates
_CELEBRATION = re.compile(r"\b(?:venez|rdv|rendez-vous|vous attend(?:ons)?|invitent|invite|invitons|bienvenue?s?|"
                          r"big up|bravo|fete|feter|fetons|nombreux|nombreuses|kiffe|gagne|champions?|fier(?:e|es|s)?|"
                          r"organisent|organise|organisons|apero|stand|tournoi|match|entrainement|gala|bal|anniv\w*|soiree|"
                          r"emo_(?:red_heart|black_heart|rainbow|party_popper|bottle_with_popping_cork|kissing_face\w*|"
                          r"face_blowing_a_kiss|smiling_face_with_hearts|clapping_hands|raising_hands|musical_notes|"
                          r"sparkles|face_with_tears_of_joy))")
# what may open a self-description before the slur ("Bio : pédé, …", "Vieille tapette de 70 ans")
PROFILE_LEAD = {"bio", "insta", "vieille", "vieux", "jeune", "fier", "fiere", "moi"}
# after a slur said of oneself: "beurette assumée", "gouine et fière", "pédé et heureux"
_RECLAIMED_AFTER = re.compile(r"^(?:assumee?s?|et (?:fiere?s?|heureu(?:x|se|ses)|assumee?s?)|fiere?s? de l etre)\b")
# a slur said of one's own ("mes tantouzes adorées", "nos gouines chéries"): the possessive, then a word of affection
_AFFECTION = re.compile(r"^(?:adore|cheri|prefere|ador|cher)(?:e|es|s|ees)?\b")
_LIKENED = re.compile(r"\b(?:pas|guere|jamais|rien)\s+(?:\w+\s+)?(?:mieux|plus|autre chose|davantage|d'autre)\s+"
                      r"(?:que|qu')\s*(?:des|les|de|d'|un|une|du)?\s*$")
_RESTRICT = re.compile(r"\bqu(?:e\b|')")
_STATEMENT = re.compile(r"[^.!?…]+[.!?…]*")
# equality and belonging said of a group: "des gens comme les autres", "ils font partie du village"
_PRAISE_PHRASE = re.compile(r"\b(?:comme (?:les autres|tout le monde|nous|vous)|font partie|fait partie|"
                            r"ont (?:toute )?leur place|a (?:toute )?sa place|autant que (?:les autres|nous|vous)|"
                            r"besoin de (?:plus|davantage) de|(?:plus|davantage) de place aux|"
                            r"sont (?:avant tout |d'abord )?des (?:etres humains|humains|personnes|citoyens|citoyennes)"
                            r"(?= comme| a part entiere| avant tout|\s*[.,;]|\s*$)|ensemble)\b")
STANCE_MAX_WORDS = 40  # a longer text says more than one thing about the group
PLAIN_MAX_WORDS = 25  # a longer text says more than a mention (``plain_mention``)
STANCE_WINDOW = 6  # words between the group and the praise
INFORMATION_WINDOW = 10  # words between each group named and a word of information (``informative``)
# what keeps a plain-looking statement about a group from being information: complaint words ("encore des…",
# "toujours", "partout", "chez nous", "nos impôts", "marre"), what ought to be ("devraient", "faut", "ils ont qu'à"),
# predictions about the group ("elles vont…", "on va leur…"), a judgement ("c'est leur truc"), a second statement
# about the group through a pronoun ("… Ces gens-là couchent…", "qu'elles aillent jouer ailleurs") and trailing dots
_COMPLAINT = re.compile(r"\b(?:encore|toujours|partout|chez nous|nos|notre|ras le bol|marre|assez|invasion|envahi\w*|"
                        r"grand remplacement|a nos frais|aux frais|nos impots|gratuit\w*|privilege\w*|favoris\w*|"
                        r"devrai\w*|doivent|doit|faut|faudrait|qu'a|qu a|on va|c'est leur|leur truc|exclu\w*|ils|elles|"
                        r"eux|ces gens|moqu\w*|c'est fait pour|"
                        # insinuations and comparisons with "us" ("évidemment ma voiture a été rayée", "d'où le
                        # chaos", "je me demande ce qu'elle cache", "plus de droits que nous")
                        r"evidemment|forcement|comme par hasard|bizarrement|d'ou|adieu|je me demande|on se demande|"
                        r"devinez|quelle surprise|que nous|qu'eux)\b|\.\.|…")
# an information question ("combien de migrants sont arrivés ?", "où se trouve la mosquée ?", "est-ce que la piscine
# est accessible aux personnes en fauteuil ?"); "pourquoi" asks for a reason and often carries a reproach
_INFO_QUESTION = re.compile(r"^\s*(?:combien|quand|ou|a quelle|quel|quelle|quels|quelles|est-ce que|est ce que|"
                            r"y a-t-il|y a t il|existe-t-il)\b[^?]*\?\s*$")
# a figure or a year is information ("environ 12 % des habitants", "le droit de vote en 1944")
_FIGURE = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b|\d\s*%|\bpour ?cent\b")
# the author's acquaintances, or living and working with people, before a group word: "mon voisin est musulman", "je
# travaille avec trois réfugiés afghans" (with the checks of ``Moderator.acquainted``)
_ACQUAINTANCE = re.compile(r"\b(?:(?:mon|ma|mes) (?:meilleure? amie?|meilleurs amis|voisin|voisine|voisins|voisines|"
                           r"collegue|collegues|ami|amie|amis|amies|copain|copine|copains|copines|pote|potes|"
                           r"medecin|medecin traitant|prof|profs|professeur|professeure|patron|patronne|chef|coloc|"
                           r"colocataire|colocataires|camarade|camarades|associe|associee|nounou|dentiste|kine|"
                           r"coiffeur|coiffeuse|instit|maitresse|entraineur|entraineuse) (?:est|sont|etait|etaient)"
                           r"|je (?:vis|travaille|habite|bosse|joue|vais|sors|fais du sport) avec"
                           r"|j'ai (?:grandi|travaille|vecu|joue) avec|je connais)\b")
_IDENTITY = re.compile(r"\b(?:je suis|j suis|chui|suis|en tant que|nous sommes|on est|moi meme|fiere? d etre"
                       r"|fieres? d etre|fiers d etre)\b")
GLUED_DETERMINERS = ("sales", "sale", "les", "des", "ces", "aux", "sal")
# a prohibition right before a threat pattern: "il ne faut jamais", "on n'a pas le droit de"
_FORBIDDING = re.compile(r"(?:\b(?:ne|n')\s*|\b)(?:faut|doit|devrait|devrais|devez|doivent|faudrait)\s+"
                         r"(?:pas|jamais|plus)\s*(?:(?:le|la|les|l'|s'en|en|y|se|s'|leur|lui)\s*){0,2}$"
                         r"|\bpas le droit de\s+"
                         r"(?:(?:le|la|les|l'|s'en|en|y|se|s'|leur|lui)\s*){0,2}$")
# group words of four letters whose swapped or doubled letters are undone too ("rmos", "gayys"; a dropped letter
# leaves too short a word to tell), and four-letter words that such edits would wrongly read as one
SHORT_GROUP_WORDS = {"roms", "gays", "juif", "noir", "turc", "beur", "feuj", "homo", "sikh", "lgbt"}
SHORT_STOP = {"truc", "trucs", "nori", "gasy", "mors", "bure", "orms", "hoom"}
# short words that never take part in a split group word ("mali en" stays two words)
SPLIT_STOP = {"a", "au", "aux", "de", "des", "du", "en", "et", "le", "la", "les", "l", "un", "une", "ma", "ta", "sa",
              "mon", "ton", "son", "ce", "se", "ne", "me", "te", "on", "il", "y", "ou", "si", "ni", "par", "pour",
              "sur", "sous", "dans", "avec", "sans", "qui", "que", "qu", "est", "sont", "pas", "plus", "tout", "tous",
              "mais", "nous", "vous", "ils", "elles", "elle", "leur", "leurs", "mes", "tes", "ses", "nos", "vos",
              "ces", "cet", "cette", "je", "tu", "moi", "toi", "lui", "eux", "c", "d", "j", "m", "n", "s", "t", "es",
              "as", "ai", "va", "vont", "fait", "ca", "lol", "mdr", "non", "oui"}
NOBODY = {"aucun", "aucune", "personne", "nul", "nulle"}
# before "personne" or "nul", a word that makes it a noun or an adjective ("cette personne", "ce gros nul")
NOBODY_NOT_AFTER = {"ce", "cet", "cette", "la", "le", "une", "un", "les", "des", "gros", "grosse", "vieux", "vieille",
                    "sale", "pauvre", "petit", "petite", "espece", "quel", "quelle", "match", "bande", "de", "du"}
NEGATIONS = {"ne", "n", "pas", "jamais", "aucun", "aucune", "nullement", "non", "guere", "ni", "plus"}
# words before a framed slur or "con" that make it an insult: "sale melon", "espèce de con", "t'es mongol"
FRAME_PREV = {"vrai", "vraie", "sale", "sales", "espece",
              "bande", "gros", "grosse", "ptit", "petit", "petite", "petits", "petites", "quel", "quelle",
              "es", "etes", "cet", "pauvre", "vieux", "vieille", "tas", "sous", "race", "ces", "cette", "ce",
              "pauvres", "vieilles", "grosses", "vrais", "vraies"}
# roles beside PERSONS, HUMAN_NOUNS and the officials' lexicon, that name the person in charge of a thing ("le
# responsable des travaux est un crétin fini")
ROLE_NOUNS = {"responsable", "responsables", "charge", "chargee", "delegue", "deleguee", "cheffe", "gerant", "gerante",
              "patronne", "professeur", "professeure", "vendeuse"}
COPULA = {"est", "es", "etes", "sont", "suis", "soient", "soit", "serait", "seraient", "etait", "etaient"}
DETERMINERS = {"un", "une", "des", "de", "d"}
# dehumanising nouns count after these words ("ces rats", "sont des cafards", "comme des animaux")
DEHUM_PREV = {"emo", "ces", "cette", "ce", "cet", "sale", "sales", "comme", "que", "vrais", "vraies", "vraie", "vrai",
              "bande", "tas", "race", "sous", "sortes", "espece", "tels", "telles", "veritables", "veritable",
              "nouveaux", "nouvelle", "nouvelles", "ramassis", "horde", "hordes", "meute", "nuee"}
WEAK_INSULTS = {"pourri", "pourris", "pourrie", "pourries", "clown", "clowns", "guignol", "guignols", "escroc",
                "escrocs", "voleur", "voleurs", "voleuse", "voleuses", "vendu", "vendus", "vendue", "vendues",
                "mafieux", "charlatan", "charlatans", "pantin", "pantins", "larbin", "larbins", "ripou", "ripoux",
                "magouilleur", "magouilleurs", "bouffon", "bouffons", "tocard", "tocards", "nullard", "nullards",
                "incapable", "incapables", "feignasse", "feignasses", "planque", "planques", "parasite", "parasites",
                "sangsue", "sangsues", "cafard", "rat", "rats", "porc", "porcs", "chien", "chiens", "truie", "naze",
                "nazes", "vipere", "viperes", "hypocrite", "hypocrites", "incompetent", "incompetents",
                "incompetente", "incompetentes", "crapule", "crapules", "racketteur", "racketteurs", "menteur",
                "menteurs", "menteuse", "menteuses", "vautour", "vautours", "branquignol", "branquignols",
                "degueulasse", "degueulasses", "lourd", "lourds", "lourde", "lourdes", "requin", "requins",
                "profiteur", "profiteurs", "profiteuse", "profiteuses", "beauf", "beaufs", "cruche", "cruches",
                "chauffard", "chauffards", "charognard", "charognards", "consanguin", "consanguins", "boulet",
                "boulets", "andouille", "andouilles", "truffe", "truffes", "cornichon", "cornichons", "peste",
                "pestes", "tache", "taches", "bique", "chouette", "tanche", "tanches", "rustre", "rustres", "rapace",
                "rapaces", "relou", "relous", "snob", "snobs", "bourrin", "bourrins", "squatteur", "squatteurs",
                "radin", "radins", "radine", "radines", "gland", "glands", "nase", "nases", "pleurnichard",
                "pleurnichards", "pleurnicharde", "pleurnichardes", "chialeuse", "chialeuses", "chialeur",
                "chialeurs", "decerebre", "decerebres", "decerebree", "decerebrees", "charlot", "charlots", "minus",
                "pignouf", "pignoufs",
                # animals, food and things that insult only in a frame ("une vraie vache", "espèce d'âne", "pauvre
                # courge", "vieille morue", "bande de larves"; not "les vaches de la ferme", "épandage de fumier")
                "vache", "sorciere", "sorcieres", "fumier", "fumiers", "ane", "anes", "courge", "courges",
                "pourriture", "pourritures", "limace", "limaces", "quiche", "quiches", "carpette", "carpettes",
                "nouille", "nouilles", "boudin", "boudins", "becasse", "becasses", "teigne", "teignes", "morue",
                "morues", "corniaud", "corniauds", "roquet", "roquets", "dinde", "dindes", "dindon", "dindons",
                "cageot", "cageots", "larve", "larves", "chameau", "chameaux", "buse", "buses", "thon", "thons",
                "pintade", "pintades", "sauvage", "sauvages"}
# weak insults that are also ordinary words after "quel", "gros" or "petit" ("quelle chouette idée", "quelle tâche",
# "une grosse truffe noire"): only "pauvre", "vieille", "sale", "espèce de", "t'es un…" make them insults
ORDINARY_WEAK = {"chouette", "tache", "taches", "bique", "truffe", "truffes", "cornichon", "cornichons", "peste",
                 "pestes", "gland", "glands", "tanche", "tanches", "boulet", "boulets", "rapace", "rapaces", "requin",
                 "requins", "clown", "clowns", "charognard", "charognards", "dinde", "dindes", "boudin", "boudins",
                 "courge", "courges", "nouille", "nouilles", "quiche", "quiches", "thon", "thons", "cageot",
                 "cageots", "buse", "buses", "chameau", "chameaux", "sauvage", "sauvages", "vache", "sorciere",
                 "sorcieres", "roquet", "roquets"}
ORDINARY_FRAMES = {"quel", "quelle", "quels", "quelles", "gros", "grosse", "grand", "grande", "petit", "petite",
                   "petits", "petites"}
CON = {"con", "cons", "conne", "connes"}
CON_LIKE = CON | {"connard", "connards", "connasse", "connasses"}
# swearing words that qualify a thing when followed by "de" + a noun ("cette saloperie de pluie")
THING_SWEARS = CON_LIKE | {"saloperie", "saloperies", "cochonnerie", "cochonneries", "putain", "merde"}
# before a word that is a slur only in an insulting frame, these make it a plain mention ("des trisomiques",
# "aux autistes", "sont trisomiques", "enfant trisomique")
NEUTRAL_PREV = {"des", "aux", "les", "sont", "est", "etre", "etant", "enfant", "enfants", "personne", "personnes",
                "jeunes", "adultes", "eleves", "d", "de", "du", "fils", "fille", "frere", "soeur", "bebe", "bebes"}
# before a framed slur used as a noun for a person: "un mongol", "l'autre attardé", "@x attardé"
PERSON_PREV = {"un", "une", "le", "la", "l", "mon", "ma", "ton", "ta", "son", "sa", "notre", "votre", "leur", "quel",
               "quelle", "autre", "user"}
# things an insult word can be said of ("cet abruti de GPS", "cette enfoirée de machine")
THING_NOUNS = {"gps", "machine", "machines", "ordi", "ordinateur", "imprimante", "voiture", "bagnole", "caisse",
               "telephone", "portable", "tel", "parcmetre", "horodateur", "distributeur", "pigeon", "pigeons",
               "moustique", "moustiques", "chat", "chien", "temps", "pluie", "vent", "bus", "train", "tram",
               "metro", "feu", "feux", "velo", "scooter", "appareil", "logiciel", "site", "appli", "application",
               "box", "wifi", "reseau", "ascenseur", "porte", "radiateur", "chaudiere", "tondeuse", "frigo",
               "micro-ondes", "lave-linge", "lave-vaisselle", "clim", "alarme", "sonnette", "bouchon", "bouchons",
               "chantier", "rond-point", "stationnement", "radar", "panneau", "guichet", "borne", "caddie",
               "frelon", "frelons", "rats", "souris", "moto", "camion", "tracteur", "cafetiere", "robot"}
THING_NOUNS |= {"film", "films", "scenario", "histoire", "episode", "serie", "saison", "fin", "livre", "roman",
                "spectacle", "piece", "musique", "chanson", "album", "jeu", "match", "emission", "doublage", "montage",
                "intrigue", "dialogue", "dialogues", "suite", "remake", "concert", "expo", "exposition", "projet",
                "idee", "decision", "reforme", "budget", "truc", "machin", "travaux", "article", "reportage"}
# animals and pests a threat or an insult can be aimed at ("je vais tuer ce moustique", "les goélands sont des
# voleurs"); words that also dehumanise people (rats, cafards, vermine, porcs) are left out
# harm done to people: under a negation ("il ne faut jamais s'en prendre aux X") it denies hate
HARM_PREFIXES = ("maltrait", "frapp", "tabass", "harcel", "humili", "lynch", "brutalis", "persecut", "discrimin",
                 "stigmatis", "insulte", "agresse", "attaque", "menace", "tuer", "tue", "mourir", "crever", "battu",
                 "battre", "rejete", "exclu", "moque", "violente", "viole", "cogne", "taper", "tape", "blesse",
                 "detest", "refuser", "chass", "expulser", "insulter", "casse", "casser", "bouscul", "noyer", "noye")
HARM_WORDS = {"mal", "hais", "hait", "hair", "haine", "haineux", "prendre", "peur"}  # "du mal", "s'en prendre"
# verbs of violence that can be aimed at a thing as well as at a person
VIOLENT_STEMS = ("tuer", "tue", "buter", "bute", "defonc", "brul", "cram", "explos", "eclat", "fracass", "peter",
                 "gaz", "ecras", "noyer", "massacr", "extermin", "bousill", "cass", "flingu", "butt", "degomm",
                 "detrui", "atomis", "pulveris", "bombard", "empoisonn", "etrangl", "abatt", "zigouill", "demont",
                 "cogn", "frapp", "achev", "dezingu", "explos")
# words a threat of harm is made of, beyond those verbs ("on va te pendre", "tu vas le payer", "gare à toi")
THREAT_STEMS = ("egorg", "poignard", "couteau", "fusil", "balle", "pendre", "pendu", "pendus", "pendra", "regrett",
                "payer", "paiera", "gaffe", "lapid", "incendi", "caillass", "saign", "batte", "battes", "barre",
                "barres", "feu", "euthanas", "degag", "bombe", "fusill")
HARM_STEMS = VIOLENT_STEMS + HARM_PREFIXES + THREAT_STEMS
_INTERJECTION = re.compile(r"\b(?:je (?:vous|te) (?:le )?(?:jure|dis|promets|garantis)|"
                           r"(?:vous|tu) (?:savez|sais|vois|voyez))\b")
# what may stand between a threat and the thing it is aimed at ("tuer TOUS CES moustiques")
THING_LEAD = {"ce", "cet", "cette", "ces", "le", "la", "les", "l", "un", "une", "des", "tous", "toutes", "mon", "ma",
              "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "votre", "nos", "vos", "leur", "leurs", "sale",
              "sales", "foutu", "foutue", "foutus", "foutues", "maudit", "maudite", "maudits", "maudites", "vieux",
              "vieille", "gros", "grosse", "petit", "petite", "de", "d", "du", "putain", "putains"}
PESTS = {"mouche", "mouches", "guepe", "guepes", "moucheron", "moucherons", "tique", "tiques", "puce", "puces",
         "limace", "limaces", "escargot", "escargots", "taupe", "taupes", "fourmi", "fourmis", "araignee", "araignees",
         "ragondin", "ragondins", "sanglier", "sangliers", "goeland", "goelands", "mouette", "mouettes", "corneille",
         "corneilles", "corbeau", "corbeaux", "chenille", "chenilles", "punaise", "punaises", "bestiole", "bestioles",
         "insecte", "insectes", "mulot", "mulots", "chats", "chiens", "renard", "renards", "herbe", "herbes",
         "ronce", "ronces", "plante", "plantes", "arbre", "arbres", "trottinette", "trottinettes", "imprimantes",
         "ordis", "ordinateurs", "voitures", "bagnoles", "motos", "scooters", "camions", "radars", "panneaux",
         "reveil", "television", "tele", "console", "manette", "pc"}
THING_NOUNS |= PESTS
THING_NOUNS |= {"pompe", "chaudiere", "ascenseur", "compteur", "generateur", "congelateur", "frigo", "tondeuse",
                "parapluie", "ciel", "pluie", "orage", "vent", "tempete", "canicule", "meduses", "meduse"}
# things an adjective may follow in a review or a complaint ("des blagues minables"), besides THING_NOUNS
ATTRIBUTED_THINGS = {"blague", "blagues", "gag", "gags", "navet", "navets", "nanar", "nanars", "role", "roles", "scene",
                     "scenes", "comedie", "comedies", "personnage", "personnages", "reglement", "arrete", "panneau",
                     "panneaux", "rond-point", "amenagement", "amenagements", "comportement", "comportements"}
# adverbs between a copula and its adjective ("c'est vraiment débile")
ADVERBS = {"vraiment", "tellement", "trop", "completement", "totalement", "franchement", "juste", "super", "tres",
           "assez", "carrement", "si", "bien", "encore", "toujours"}
# adverbs between a thing and the adjective that qualifies it ("un film aussi minable")
ATTRIBUTE_ADVERBS = ADVERBS | {"aussi", "plutot"}
# family members: "mon fils est autiste" describes, it does not insult
COUNTS = {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "vingt", "cent", "mille"}
KIN = {"fils", "fille", "filles", "neveu", "neveux", "niece", "nieces", "frere", "freres", "soeur", "soeurs", "pere",
       "mere", "enfant", "enfants", "cousin", "cousine", "cousins", "oncle", "tante", "bebe", "garcon", "gamin",
       "gamine", "mari", "epoux", "epouse", "compagnon", "compagne", "petit-fils", "petite-fille", "grand-pere",
       "grand-mere", "papa", "maman", "parrain", "marraine", "filleul", "filleule", "beau-frere", "belle-soeur"}
# words of a clause addressed to someone: "je t'ai répondu mongol", "ferme-la attardé", "t'as rien compris autiste va"
SECOND_PERSON = {"tu", "t", "te", "toi", "ta", "ton", "tes", "vous", "vos", "votre", "ferme", "ferme-la", "tais-toi",
                 "degage", "casse-toi", "reponds", "regarde", "ecoute", "arrete"}
# the author's relative described ("ma fille est trisomique"), before a group word; not in a question ("Mon fils
# homo ? Je préférerais qu'il soit mort")
_RELATIVE = re.compile(r"\b(?:mon|ma|mes|notre|nos) (?:" + "|".join(sorted(KIN, key=len, reverse=True))
                       + r") (?:est|sont|etait|etaient|qui est|qui sont)$")
# a singular family word is one relative, not a group, after a possessive or before "de" ("la mère de Adam")
RELATIVES = {"mere", "fille", "pere", "fils"}
POSSESSIVES = {"ma", "ta", "sa", "mon", "ton", "son", "notre", "votre", "leur"}
# the head noun of a subject that names people: a set of people who are not a protected group ("les chasseurs",
# "les ultras du stade", "ces journalistes"), by the endings of French nouns of people or a few common names
HUMAN_ENDINGS = ("eurs", "euses", "istes", "iens", "iennes", "ards", "ants", "antes", "ains", "aines", "ois", "oises")
HUMAN_NOUNS = {"ultras", "fachos", "gauchos", "bobos", "flics", "keufs", "jeunes", "ados", "vieux", "riches", "gens",
               "elus", "politiques", "supporters", "fans", "hooligans", "boomers", "vegans", "bourges", "cathos",
               "profs", "medecins", "patrons", "proprios", "voisins", "mecs", "types", "gars", "nanas", "meufs",
               "gamins", "motards", "bikers", "touristes", "agriculteurs", "syndicalistes", "journalistes", "mec",
               "type", "bonhomme", "nana", "meuf", "gamin", "gamine", "abonne", "abonnee", "internaute"}
SUBJECT_LEAD = {"les", "ces", "ce", "cette", "cet", "le", "la", "l", "mon", "ton", "son", "ma", "ta", "sa", "nos",
                "vos", "mes", "tes", "ses", "leurs", "leur", "tous", "toutes"}
PRONOUN_SUBJECTS = {"t", "tu", "vous", "il", "elle", "ils", "elles", "toi"}
# dehumanising words that insult a person or a set of people they are said of ("t'es une merde", "les ultras sont
# des sous-hommes"); the others ("chose", "machine", "animal", "invasion") need a group named
DEHUMANISING_INSULTS = {"merde", "merdes", "ordure", "ordures", "raclure", "raclures", "dechet", "dechets",
                        "sous-homme", "sous-hommes", "sous-humain", "sous-humains", "sous-merde", "sous-merdes",
                        "vermine", "vermines", "parasite", "parasites", "porc", "porcs", "cafard", "cafards", "rat",
                        "rats", "chien", "chiens", "chienne", "chiennes", "truie", "truies", "sangsue", "sangsues",
                        "excrement", "excrements", "cochon", "cochons", "pourriture", "pourritures", "immondice",
                        "immondices", "charogne", "charognes", "racaille", "racailles", "nuisible", "nuisibles"}
PERSONS = {"voisin", "voisine", "voisins", "mec", "type", "gars", "bonhomme", "conducteur", "chauffeur", "gamin",
           "femme", "mari", "patron", "chef", "proprio", "proprietaire", "prof", "client", "vendeur", "livreur"}


def reviews_a_work(canon: str) -> bool:
    """The folded text speaks of a film or a book (``_REVIEWED_WORK``)."""
    return bool(_REVIEWED_WORK.search(canon))


def nobody_at(words: list[str], i: int) -> bool:
    """``words[i]`` says "nobody" ("personne ne mérite", "nul ne doit", "aucun enfant"): not a noun or an adjective
    after a determiner ("cette personne", "ce gros nul du conseil, je vais le crever"), and "nul" only before
    "ne"."""
    word = words[i]
    if word not in NOBODY or (i and words[i - 1] in NOBODY_NOT_AFTER):
        return False
    return word not in ("nul", "nulle") or words[i + 1:i + 2] in (["ne"], ["n"])


def _plural_people(words: list[str], i: int, j: int) -> bool:
    """Words ``i:j`` name people, then say what they do: "des mongols qui savent même pas jouer", "les mongolll de
    l'IME qui traînent au parc"."""
    return i > 0 and words[i - 1] in ("des", "ces", "les") and "qui" in words[j:j + 4]


def _lines(name: str) -> list[str]:
    return [line.rstrip("\n") for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("# ")]


class Lexicon:
    """Words (exact or ``prefix*``) and phrases, each with a value, matched on folded words."""

    def __init__(self, entries: list[tuple[str, str]]):
        self.exact: dict[str, str] = {}
        self.prefixes: list[tuple[str, str]] = []
        self.phrases: list[tuple[list[str], bool, str]] = []
        for term, value in entries:
            term = fold(term.strip())
            star = term.endswith("*")
            term = term.rstrip("*")
            words = _WORD.findall(term)
            if len(words) > 1:
                self.phrases.append((words, star, value))
            elif star:
                self.prefixes.append((term, value))
            else:
                self.exact[term] = value
        self._cache: dict[str, str | None] = {}
        self._by_first: dict[str, list[int]] = {}  # first word → indexes of the phrases it starts
        for k, (phrase, _, _) in enumerate(self.phrases):
            self._by_first.setdefault(phrase[0], []).append(k)
        longest_first = sorted((p for p, _ in self.prefixes), key=len, reverse=True)
        self._prefix_re = re.compile("|".join(re.escape(p) for p in longest_first))
        self._prefix_value = dict(self.prefixes)

    @classmethod
    def words(cls, name: str) -> Lexicon:
        return cls([(line, "") for line in _lines(name)])

    @classmethod
    def table(cls, name: str) -> Lexicon:
        return cls([tuple(line.split("\t")[:2]) for line in _lines(name)])


    def get(self, word: str) -> str | None:
        try:
            return self._cache[word]
        except KeyError:
            pass
        value = self.exact.get(word)
        if value is None and self.prefixes:
            match = self._prefix_re.match(word)
            value = self._prefix_value[match.group(0)] if match else None
        if len(self._cache) < 50000:
            self._cache[word] = value
        return value

    def find(self, words: list[str]) -> list[tuple[int, int, str]]:
        """(first word, last word + 1, value) of every match in a list of words."""
        found = [(i, i + 1, v) for i, w in enumerate(words) if (v := self.get(w)) is not None]
        if not self._by_first:
            return found
        matches = []  # (phrase index, start, end, value): phrases in file order, then by position, as before
        for i, word in enumerate(words):
            for k in self._by_first.get(word, ()):
                phrase, star, value = self.phrases[k]
                n = len(phrase)
                if i + n <= len(words) and words[i:i + n - 1] == phrase[:-1] and (
                        words[i + n - 1] == phrase[-1] or (star and words[i + n - 1].startswith(phrase[-1]))):
                    matches.append((k, i, i + n, value))
        found.extend((i, j, v) for _, i, j, v in sorted(matches))
        return found


@dataclass(frozen=True)
class Verdict:
    category: str
    target: str | None
    score: float
    cue: str


@dataclass
class Span:
    start: int  # word index
    end: int
    char_start: int
    char_end: int


def _word_forms(*lexicons: Lexicon) -> set[str]:
    """The words of lexicons: each exact entry, and each prefix entry with its common endings."""
    return {w for lex in lexicons for w in lex.exact} | {
        p + end for lex in lexicons for p, _ in lex.prefixes for end in ("", "s", "e", "es")}


class Moderator:
    def __init__(self, respell_stop: set[str] | None = None):
        self.slurs = Lexicon.table("moderation_slurs.tsv")
        self.framed = {fold(w) for w in _lines("moderation_framed_slurs.txt")}
        self.groups = Lexicon.table("moderation_groups.tsv")
        self.dehumanising = Lexicon.words("moderation_dehumanising.txt")
        self.officials = Lexicon.words("moderation_officials.txt")
        self.praise = Lexicon.words("moderation_praise.txt")
        self.information = Lexicon.words("moderation_information.txt")
        self.insults = Lexicon.words("toxicity_insults.txt")
        self.hostile = PatternList(_lines("moderation_hostile.txt"))
        self.counter = PatternList(_lines("moderation_counter.txt"))
        self.homonyms = [re.compile(p) for p in _lines("moderation_homonyms.txt")]
        self.idioms = re.compile("|".join(f"(?:{p})" for p in _lines("moderation_idioms.txt")))
        self.slogans = Lexicon.table("moderation_slogans.tsv")
        self.respell_stop = set(_lines("moderation_respell_stop.txt")) if respell_stop is None else respell_stop
        self._fixed: dict[str, str] = {}
        self.threats = PatternList(_lines("toxicity_threat.txt"))
        self.mockery = PatternList(_lines("moderation_mockery.txt"))
        self.known = (self.slurs, self.groups, self.dehumanising, self.officials, self.insults)
        entries = [fold(w) for w in _lines("moderation_negated_predicates.txt")]
        self._neg_words = {w for w in entries if not w.endswith("*")} | WEAK_INSULTS | CON_LIKE
        self._neg_prefixes = tuple(w[:-1] for w in entries if w.endswith("*"))
        self._weak_or_con = WEAK_INSULTS | CON

    # -- de-obfuscation -------------------------------------------------------------------------
    def is_known(self, word: str) -> bool:
        return word in self._weak_or_con or any(lex.get(word) is not None for lex in self.known)

    def _star(self, token: str) -> str | None:
        pattern = re.compile("".join("[a-z]{1,2}" if c == "*" else re.escape(c) for c in token) + "$")
        for lex in (self.slurs, self.insults):
            words = [*lex.exact, *(prefix + end for prefix, _ in lex.prefixes for end in ("", "s", "e", "es"))]
            for word in words:
                if pattern.match(word):
                    return word
        return None

    def _fix_token(self, token: str) -> str:
        fixed = self._fixed.get(token)
        if fixed is None:
            fixed = self._fix_token_uncached(token)
            if len(self._fixed) < 100_000:
                self._fixed[token] = fixed
        return fixed

    def _fix_token_uncached(self, token: str) -> str:
        lead = len(token) - len(token.lstrip("\"'«(“"))
        core = token[lead:].rstrip("\"'».,;:!?)”")
        tail = token[lead + len(core):]
        unmasked = "a" + core[1:].translate(_LEET) if core.startswith("@") else ""
        if len(unmasked) > 4 and self.is_known(unmasked):
            return token[:lead] + unmasked + tail  # "@ttardés": a slur, not a mention
        if not core or core.startswith("@") or core.isdigit() or (
                core.isalpha() and not _REPEAT3.search(core) and (len(core) < 4 or self.is_known(core))):
            return token
        words = core.split("'")
        fixed = []
        for word in words:
            if 0 < len(word) <= 40 and (_OBFUSCATION.search(word) or _REPEAT3.search(word)) \
                    and not self.is_known(word) and any(c.isalpha() for c in word):
                for candidate in self._candidates(word):
                    if self.is_known(candidate):
                        word = candidate
                        break
            elif word.isalpha() and len(word) >= 4 and not self.is_known(word):
                word = self._respelled(word) or word
            fixed.append(word)
        return token[:lead] + "'".join(fixed) + tail

    def _respelled(self, word: str) -> str | None:
        """A plain word that is a group or slur word glued to its determiner ("lesmusulmans", "salbougnoules",
        "lesgensduvoyage") or misspelt by two swapped letters or a missing inner letter ("musulamns", "hnadicapés",
        "fmemes", "transgnres"); None otherwise.  Substitutions are left alone: too many real words are one letter
        away."""
        for det in GLUED_DETERMINERS:
            rest = word[len(det):]
            if word.startswith(det) and len(rest) >= 4:
                if self.is_known(rest):
                    return f"{det} {rest}"
                phrase = self._glued_phrases.get(rest)
                if phrase:
                    return f"{det} {phrase}"
        if word in self.respell_stop:
            return None
        if self.slurs.get(word[::-1]) is not None and len(word) >= 6:
            return word[::-1]  # spelt backwards ("elluongub")
        return self.misspellings.get(word)

    @cached_property
    def _targets(self) -> set[str]:
        """Group and slur words of five letters or more (a prefix entry with its common endings)."""
        return {w for w in _word_forms(self.groups, self.slurs) if len(w) >= 5 and "-" not in w}

    @cached_property
    def _group_words(self) -> set[str]:
        return _word_forms(self.groups)

    @cached_property
    def _glued_phrases(self) -> dict[str, str]:
        return {"".join(words): " ".join(words) for lex in (self.groups, self.slurs) for words, _, _ in lex.phrases}

    @cached_property
    def misspellings(self) -> dict[str, str]:
        """Each target word with one inner letter dropped, two neighbours swapped or one letter doubled
        ("handdicapes") → the word (ambiguous forms and forms that are themselves lexicon words are left out).  The
        first and last letters are never dropped, and no other letter is added: those edits mostly give real words
        ("algerien" → "algerie", "malien" → "alien", "fille" → "faille")."""
        seen: dict[str, set[str]] = {}
        groups = self._group_words
        for w in self._targets | SHORT_GROUP_WORDS:
            swapped = {w[:k] + w[k + 1] + w[k] + w[k + 2:] for k in range(len(w) - 1) if w[k] != w[k + 1]}
            # a doubled letter only in a group word ("arrabes"): a slur doubled is a name too often ("Pollack")
            doubled = {w[:k + 1] + w[k] + w[k + 1:] for k in range(len(w)) if w[k].isalpha()} if w in groups else set()
            dropped = {w[:k] + w[k + 1:] for k in range(1, len(w) - 1)}
            for form in (swapped | doubled | dropped) - {w}:
                seen.setdefault(form, set()).add(w)
        return {f: next(iter(ws)) for f, ws in seen.items()
                if len(ws) == 1 and (len(f) >= 5 or (len(f) == 4 and next(iter(ws)) in SHORT_GROUP_WORDS))
                and not self.is_known(f) and f not in self.respell_stop and f not in SHORT_STOP}

    def _candidates(self, word: str):
        if _OBFUSCATION.search(word):
            plain = word.translate(_LEET)
            yield plain
            stripped = re.sub(r"[*._|/\\-]", "", word).translate(_LEET)
            yield stripped
            if "@" in word:
                yield word.replace("@", "o").translate(_LEET)
            if "_" in word and "*" not in word:
                word = word.replace("_", "*")
            if "*" in word:
                star = self._star(re.sub(r"[._|/\\-]", "", word).translate(_LEET).replace("i*", "*"))
                if star:
                    yield star
            word = stripped
        if _REPEAT3.search(word) or _OBFUSCATION.search(word):
            yield _REPEAT3.sub(r"\1\1", word)
            yield _REPEAT.sub(r"\1", word)

    def _join_spaced(self, match: re.Match) -> str:
        joined = match.group(0).replace(" ", "")
        fixed = self._fix_token(joined)
        return fixed if self.is_known(fixed) else match.group(0)

    def canonical(self, text: str) -> str:
        """Folded text with URLs and mentions replaced, hashtags split ("#IslamDehors" → "islam dehors"), SMS
        spellings spelt out ("c tt des" → "c'est tous des") and spelling games undone."""
        text = _HASHTAG.sub(_split_hashtag, text[:20000])
        folded = _SPACED.sub(self._join_spaced, fold(text))
        folded = _SMS_QU.sub("qu'", _SMS_WORD.sub(lambda m: SMS[m.group(0)], folded))
        folded = _TOKEN.sub(lambda m: self._fix_token(m.group(0)), folded)
        folded = self._join_splits(folded)
        return fold(normalise(folded)[0])  # URLs and mentions replaced, emojis named

    def _join_splits(self, text: str) -> str:
        """"lesbi ennes", "musul mans", "noi rs": two pieces that make a group or slur word of five letters or more,
        neither a common short word nor a lexicon word, are joined; anything else stays as it is."""
        out, last = [], 0
        for m in _SPLIT_PAIR.finditer(text):
            left, right = m.group(1), m.group(2)
            start = m.start(1)
            if start < last or left + right not in self._targets or left in SPLIT_STOP or right in SPLIT_STOP \
                    or self.is_known(left) or self.is_known(right):
                continue
            out.append(text[last:start] + left + right)
            last = m.end(2)
        return "".join(out) + text[last:] if out else text

    # -- detection ------------------------------------------------------------------------------
    def _counter_match(self, text: str) -> re.Match | None:
        """The first cue of counter-speech (``moderation_counter.txt``, in file order) in a text."""
        for pattern in self.counter.candidates(text):
            match = pattern.search(text)
            if match:
                return match
        return None

    def countered(self, text: str) -> str | None:
        match = self._counter_match(text)
        return match.group(0) if match else None

    def counter_reach(self, canon: str) -> int:
        """Where the counter-speech of a countered text stops holding: at a turn after its first cue ("pas
        d'amalgame, mais…", "on m'a signalé ? je le redis :", "je maintiens") when what follows holds no cue of its
        own; else the end of the text."""
        first = self._counter_match(canon)
        if first is None or len(canon) > TURN_MAX_CHARS:
            return len(canon)
        turn = _TURN.search(canon, first.end())
        if turn is None or self.countered(canon[turn.end():]):
            return len(canon)
        return turn.start()

    def group_targets(self, canon: str) -> list[str]:
        """The protected traits of the groups named in a canonical text, in order of appearance (a group word in a
        homonym context, "passez le bouillon au chinois", names no group)."""
        for a, b in reversed(self._homonym_spans(canon)):
            canon = canon[:a] + " " + canon[b:]
        words = _WORD.findall(canon)
        found = sorted((i, j, v) for i, j, v in self.groups.find(words) if not self._relative(words, i, j))
        return list(dict.fromkeys(v for _, _, v in found))

    @staticmethod
    def _relative(words: list[str], i: int, j: int) -> bool:
        """One relative named, not a group: "ma fille", "la mère de Adam", "sa mère"."""
        if j - i != 1 or words[i] not in RELATIVES:
            return False
        if i >= 2 and words[i - 1] in ("grand", "arriere", "belle", "beau"):  # "ma grand mère", "sa belle mère"
            i -= 1
        return (i and words[i - 1] in POSSESSIVES) or words[j:j + 1] in (["de"], ["d"])

    @staticmethod
    def reports_quote(canon: str) -> bool:
        """The text quotes something («…», "…", '…'), does not endorse it ("tout est dit", "bien dit") and says it
        was said, written or received; or quotes a statement of three words or more and condemns or refutes it; or
        quotes one of four words or more and answers it in three words or more of its own."""
        quotes = _QUOTED.findall(canon)
        if not quotes:
            return False
        outside = _QUOTED.sub(" ", canon)
        if _ENDORSE.search(outside):
            return False  # "« … » : tout est dit"
        if _REPORT.search(outside):
            return True
        if any(len(_WORD.findall(q)) >= 3 for q in quotes) and _CONDEMN.search(outside):
            return True
        # a whole statement quoted (four words or more, closing its clause: not scare quotes inside a sentence, "le
        # prof « qui se sent femme » 👏"), answered in the commenter's own words, not endorsed
        closing = any(len(_WORD.findall(m.group(0))) >= 4 and _CLAUSE_CLOSE.match(canon, m.end())
                      for m in _QUOTED.finditer(canon))
        return closing and len(_WORD.findall(outside)) >= 3 and not _ENDORSE.search(outside)

    def negated_insult(self, canon: str) -> bool:
        """An insult word under a negation ("le maire n'est pas un idiot")."""
        words = _WORD.findall(canon)
        return any(NEGATIONS & set(words[max(0, i - 4):i]) for i, _, _ in self.insults.find(words))

    def insults_of_things(self, canon: str) -> bool:
        """Insult words, each said of a thing or a situation ("cette histoire de télékinésie est débile", "c'est
        tellement débile", "un navet bien crétin"; ``_said_of_thing``, ``_attributed``)."""
        words = _WORD.findall(canon)
        found = self.insults.find(words)
        return bool(found) and all(self._said_of_thing(words, i) or self._attributed(words, i) for i, _, _ in found)

    def negated_group(self, canon: str) -> bool:
        """A group named with a negation right after it ("les migrants ne sont pas…") or a whole one ("ne…
        pas", "ne… jamais") just before it ("je ne déteste pas les juifs")."""
        words = _WORD.findall(canon)
        for i, w in enumerate(words):
            if self.groups.get(w) is None:
                continue
            before = set(words[max(0, i - 5):i])
            # "plus" alone is a comparison ("les X sont les plus…"), a negation only with its "ne", itself caught
            after = set(words[i + 1:i + 4]) - {"plus"}
            if NEGATIONS & after or (before & {"ne", "n"} and before & {"pas", "jamais"}):
                return True
        return False

    def _hostile_word(self, word: str) -> bool:
        return word in self._neg_words or word.startswith(self._neg_prefixes) or any(
            lex.get(word) is not None for lex in (self.insults, self.dehumanising, self.slurs))

    def negated_hostility(self, canon: str) -> bool:
        """A negation bearing on a hostile word in the same clause: "ne sont pas des terroristes", "je ne
        déteste pas", "pas moins douées". Unlike ``negated_group`` it leaves alone the negations that make a
        stereotype ("ils ne respectent rien", "elles n'ont aucune notion de…")."""
        tokens = _CLAUSE_TOKEN.findall(canon)
        for i, tok in enumerate(tokens):
            if tok in ("ne", "n"):
                span = tokens[i + 1:i + 3]
            elif tok in ("pas", "jamais", "point", "nullement", "guere", "ni") or (
                    tok == "plus" and {"ne", "n"} & set(tokens[max(0, i - 3):i])):
                span = tokens[i + 1:i + 5]
            else:
                continue
            for word in span:
                if word in _CLAUSE_END:
                    break
                if self._hostile_word(word):
                    return True
        return False

    def negated_harm(self, canon: str) -> bool:
        """Harm done to someone denied or forbidden: "il ne faut jamais s'en prendre aux X", "aucune femme ne
        devrait être harcelée", "personne (ne) mérite d'être frappé", "je refuse qu'on frappe…", "aucune raison de
        refuser…", "on n'a pas le droit de souhaiter du mal…": a word of harm close after a negation (three words
        after "pas" or "jamais", four after "ne", six after "personne" or "aucun"), a refusal or "aucune raison",
        in the same clause; "ne… que" restricts and denies nothing ("n'est que haine")."""
        tokens = _CLAUSE_TOKEN.findall(canon)
        for i, tok in enumerate(tokens):
            if tok in ("pas", "jamais") and i and tokens[i - 1].startswith(HARM_PREFIXES):
                return True  # "on tape pas sur les handicapés" (the spoken negation without "ne")
            if nobody_at(tokens, i):
                reach = 6
            elif tok in ("ne", "n"):
                reach = 4
            elif tok in ("pas", "jamais", "refuse", "refusons", "refusent") or (
                    tok == "raison" and tokens[i - 1:i] in (["aucune"], ["pas"], ["de"])):
                reach = 3
            else:
                continue
            start = i + 1
            if tokens[start:start + 3] == ["le", "droit", "de"]:
                start += 3  # "pas le droit de …"
            if tok in ("pas", "jamais") and tokens[start:start + 1] in (["pourquoi"], ["un"], ["une"]):
                reach = 6  # "je vois pas pourquoi on ferait du mal…", "jamais un sourd devrait être moqué"
            for k, word in enumerate(tokens[start:start + reach], start=start):
                if word in _CLAUSE_END or (word in ("que", "qu") and tok in ("ne", "n")):
                    break
                harm = word.startswith(HARM_PREFIXES) or (word in HARM_WORDS and (word != "prendre"
                                                                            or tokens[k - 1] == "en"))
                if harm and not (tokens[k - 1] == "pas" and (word == "mal" or word.startswith("exclu"))):
                    return True  # not "pas mal de", "pas exclu que"
        return False

    @staticmethod
    def quotes_a_title(canon: str) -> bool:
        """The text quotes something between quotation marks and names a work (film, livre, thriller, titre…)."""
        return bool(_WORK.search(canon)) and bool(_QUOTED.search(canon))

    def figurative(self, canon: str) -> bool:
        """A violent idiom in a harmless sense ("mettre le feu aux poudres", "tirer à boulets rouges sur…")."""
        return bool(self.idioms.search(canon))

    def has_homonym(self, canon: str) -> bool:
        """A slur word is used in a harmless sense somewhere ("raton laveur", "pédale de frein")."""
        return bool(self._homonym_spans(canon))

    def _homonym_spans(self, canon: str) -> list[tuple[int, int]]:
        """Spans of the homonym contexts of a canonical text, sorted and merged (the patterns run only when a
        word they are about is present)."""
        if not _HOMONYM_HINT.search(canon):
            return []
        spans = sorted(m.span() for pattern in self.homonyms for m in pattern.finditer(canon))
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def identity_statement(self, canon: str) -> bool:
        """The author says they or a relative belong to a group ("je suis lesbienne et fière", "en tant que femme
        musulmane", "ma fille est trisomique"): the learned models' hate is not read there (the rules still are)."""
        words = _WORD.findall(canon)
        for i, w in enumerate(words):
            if self.groups.get(w) is None and self.slurs.get(w) is None:
                continue
            before = " ".join(words[max(0, i - 4):i])
            if _IDENTITY.search(before) or _RECLAIMING.search(before) \
                    or (_RELATIVE.search(before) and "?" not in canon):
                return True
            # a slur said of one's circle or opening a self-description ("ma meuf et moi, deux gouines…")
            if self.slurs.get(w) is not None and (self._reclaimed(words, i, i + 1)
                                                  or self._self_profile(words, i, i + 1, canon)):
                return True
        return self._in_group_invitation(canon, words) or self.acquainted(canon, words)

    def acquainted(self, canon: str, words: list[str]) -> bool:
        """The author speaks of someone they know or live and work with, who belongs to a group ("mon voisin est
        musulman", "je travaille avec trois réfugiés afghans"), and says nothing else that could carry hostility: a
        statement with no negation, contrast, excess, complaint or insinuation, irony or hostile word ("mon voisin
        est arabe, évidemment ma voiture a été rayée" is no such statement)."""
        if len(words) > STANCE_MAX_WORDS or "?" in canon or "!" in canon or not _ACQUAINTANCE.search(canon) \
                or self._says_more(canon, words):
            return False
        return any(_ACQUAINTANCE.search(" ".join(words[max(0, i - 6):i])) for i, _, _ in self.groups.find(words))

    def positive_stance(self, canon: str) -> bool:
        """The text praises, welcomes or defends a group it names ("les musulmans sont géniaux", "c'est nos
        voisines et elles sont adorables", "les femmes sont aussi compétentes que les hommes") and says nothing
        against anyone: no negation, contrast, excess, irony or hostile word.  The learned models' hate is not
        read there (the rules still are): trained on hostile tweets, they take a group word for hate."""
        words = _WORD.findall(canon)
        if len(words) > STANCE_MAX_WORDS:
            return False
        # the cheap checks first: most texts hold no praise word
        if not any(self.praise.get(w) is not None for w in words) and not _PRAISE_PHRASE.search(canon):
            return False
        if _STANCE_BLOCKERS.search(canon) or any(marker in canon for marker in lexicons()["irony"]) \
                or any(self._hostile_word(w) for w in words):
            return False
        # praise asked as a question is doubt ("sont-ils vraiment capables… ?"): only statements count
        for sentence in _STATEMENT.findall(canon):
            if sentence.rstrip().endswith("?"):
                continue
            said = _WORD.findall(sentence)
            groups = [i for i, _, _ in self.groups.find(said)]
            if groups and _PRAISE_PHRASE.search(sentence):
                return True
            # the praise is said of the group: both in one sentence, a few words apart
            if any(self.praise.get(w) is not None and any(abs(i - k) <= STANCE_WINDOW or (
                    i < k and self._predicated(said, k)) for i in groups) for k, w in enumerate(said)):
                return True
        return False

    @staticmethod
    def _predicated(words: list[str], k: int) -> bool:
        """The praise word is what a copula says of the subject: "… sont toujours polis", "… est très gentille"."""
        j = k - 1
        while j >= 0 and k - j <= 3 and words[j] in ADVERBS | {"deja", "hyper", "aussi", "si", "plus", "vraiment"}:
            j -= 1
        return j >= 0 and words[j] in COPULA | {"restent", "reste", "semblent", "sont", "etaient"}

    def informative(self, canon: str) -> bool:
        """The text states a plain fact about a group it names: an event it holds, a service opened for it, someone
        hired, a right, a figure or a year, or asks for information ("les migrants du foyer organisent une fête
        samedi", "un réfugié afghan a été embauché aux espaces verts", "les femmes ont obtenu le droit de vote en
        1944", "combien de migrants sont arrivés au port ?"), with no negation, contrast, excess, complaint,
        insinuation, norm, prediction, pronoun statement, other question, exclamation, irony or hostile word
        (``_STANCE_BLOCKERS``, ``_COMPLAINT``).  The
        learned models' hate is not read there (the rules still are): trained on tweets collected with group words,
        they take a plain mention for hate."""
        words = _WORD.findall(canon)
        asks = bool(_INFO_QUESTION.match(canon))
        if len(words) > STANCE_MAX_WORDS or ("?" in canon and not asks) or "!" in canon:
            return False
        cues = [k for k, w in enumerate(words) if self.information.get(w) is not None]
        figure = _FIGURE.search(canon)
        if asks:
            cues.append(0)
        if figure:
            cues.append(len(_WORD.findall(canon[:figure.start()])))
        if not cues or self._says_more(canon, words):
            return False
        groups = [i for i, _, _ in self.groups.find(words)]
        return bool(groups) and all(any(abs(i - k) <= INFORMATION_WINDOW for k in cues) for i in groups)

    def plain_mention(self, canon: str) -> bool:
        """The text names a group and says nothing of it that could carry hostility: a short statement or question
        ("nous avons deux enfants autistes dans la classe", "les homosexuels sont nombreux dans le milieu
        associatif") addressed to nobody, with no hostile or negative word, no negation, contrast, excess,
        complaint, insinuation, norm or prediction (``_STANCE_BLOCKERS``, ``_COMPLAINT``), no irony and no
        exclamation.  The e5 head does not read it (``ToxicityComponent._read_heads``): it read such statements as
        hate.  The rules, the linear model and the words head still do: the words head's implicit hate often holds no
        hostile word ("les bisexuels sont infidèles par nature"): it lost 74 right flags of the tuning data, for 1 wrong
        flag fewer, when it did not read them (stop 36)."""
        words = _WORD.findall(canon)
        if len(words) > PLAIN_MAX_WORDS or "!" in canon or SECOND_PERSON.intersection(words) \
                or self._says_more(canon, words):
            return False
        return bool(self.groups.find(words))

    def _says_more(self, canon: str, words: list[str]) -> bool:
        """What keeps a statement about a group from being plain (``informative``, ``acquainted``,
        ``plain_mention``): a negation, contrast or excess (``_STANCE_BLOCKERS``), a complaint, insinuation, norm or
        prediction (``_COMPLAINT``), irony or a hostile word."""
        return bool(_STANCE_BLOCKERS.search(canon) or _COMPLAINT.search(canon)) \
            or any(marker in canon for marker in lexicons()["irony"]) or any(self._hostile_word(w) for w in words)

    def verdict(self, text: str) -> Verdict | None:
        canon = self.canonical(text)
        found = self.verdicts(canon)
        if not found:
            return None
        cue = self.countered(canon)
        if cue:
            found = standing(found, canon, cue, self.counter_reach(canon))
            if not found:
                return None
        return min(found, key=lambda v: PRIORITY.index(v.category))

    def verdicts(self, canon: str) -> list[Verdict]:
        found: list[Verdict] = []
        quoted = [m.span() for m in _QUOTED.finditer(canon)]
        reported = self.reports_quote(canon)

        def in_quotes(pos: int) -> bool:
            return reported and any(a <= pos < b for a, b in quoted)

        matches = list(_WORD.finditer(canon))
        words = [m.group(0) for m in matches]
        starts = [m.start() for m in matches]
        homonyms = self._homonym_spans(canon)

        def homonym(pos: int) -> bool:
            return any(a <= pos < b for a, b in homonyms)

        # a group word in a homonym context names no group ("t'es un homme mort", "dans le noir")
        groups = [(i, j, v) for i, j, v in self.groups.find(words)
                  if not in_quotes(starts[i]) and not homonym(starts[i])]
        officials = [(i, j) for i, j, _ in self.officials.find(words)]
        sentence_of = self._sentences(canon, starts)

        def group_near(i: int, window: int = 15) -> tuple[int, int, str] | None:
            near = [g for g in groups if abs(g[0] - i) <= window]
            same = [g for g in near if sentence_of[g[0]] == sentence_of[i]]
            pool = same or (near if len(words) <= 40 else [])
            return min(pool, key=lambda g: abs(g[0] - i)) if pool else None

        def negated(i: int, lo: int | None = None) -> bool:
            lo = max(0, i - 3) if lo is None else lo
            found = [k for k in range(lo, i) if words[k] in NEGATIONS and sentence_of[k] == sentence_of[i]
                     and "," not in canon[starts[k]:starts[i]]]  # "je les supporte pas, ils pourrissent…"
            if found and all(words[k] in ("ne", "n") for k in found) and {"qu", "que"} & set(words[found[0]:i + 4]):
                return False  # "vous n'êtes qu'une menteuse": ne… que restricts, it does not deny
            if found and {"mais", "juste", "plutot", "seulement", "simplement"} & set(words[found[-1] + 1:i]):
                return False  # "pas méchant, juste complètement débile": the negation bears on another word
            return bool(found)

        def word_at(pos: int) -> int:
            for k, s in enumerate(starts):
                if s >= pos:
                    return k
            return len(words) - 1

        # threats
        idioms = [m.span() for m in self.idioms.finditer(canon)]
        titles = quoted if _WORK.search(canon) else []  # «Je vais te tuer, mon amour», a thriller

        def titled(pos: int) -> bool:
            return any(a <= pos < b for a, b in titles)

        for pattern in self.threats.candidates(canon):
            for m in pattern.finditer(canon):
                if in_quotes(m.start()) or titled(m.start()) or any(a < m.end() and m.start() < b for a, b in idioms):
                    continue  # quoted to condemn it, a title, or part of an idiom ("faut le tuer dans l'œuf")
                k = word_at(m.start())
                if any(nobody_at(words, w) for w in range(max(0, k - 4), k)) \
                        or _FORBIDDING.search(canon[max(0, m.start() - 40):m.start()]):
                    continue  # "personne mérite de se faire tabasser", "il ne faut jamais frapper…": harm denied
                g = group_near(k, 12)
                if g is None and self._threat_on_thing(words, k, word_at(m.end()), sentence_of, m.group(0)):
                    continue  # "je vais tuer ce moustique", "ces frelons, faut tous les cramer"
                found.append(Verdict("threat", g[2] if g else "person", SCORES["threat"], m.group(0).strip()))
                break
        # slurs
        in_group = None
        for i, j, target in self.slurs.find(words):
            if in_quotes(starts[i]) or homonym(starts[i]):
                continue
            if in_group is None:  # computed once, when a slur is met; only threats are found so far
                in_group = not found and self._in_group_invitation(canon, words)
            if self._reclaimed(words, i, j) or in_group or self._self_profile(words, i, j, canon):
                continue  # "je suis gouine et fière", "en bon vieux pédé du village": reclaimed, said of oneself
            if words[i] in self.framed and not (self._framed(words, i) or _plural_people(words, i, j)):
                continue  # "l'empire mongol"; but "des mongols qui savent même pas jouer"
            found.append(Verdict("slur", target, SCORES["slur"], " ".join(words[i:j])))
        for i, word in enumerate(words):  # "t'es autiste", "espèce d'handicapé": a group word used as an insult
            if word in self.framed and self.slurs.get(word) is None and self._framed(words, i) \
                    and not in_quotes(starts[i]) and not homonym(starts[i]) \
                    and not self._reclaimed(words, i, i + 1, identity=False) \
                    and not (not found and self._in_group_invitation(canon, words, word)):
                target = self.groups.get(word)
                found.append(Verdict("slur", target, SCORES["slur"], word))
            elif word in self.framed and self.insults.get(word) is None and self._vocative(words, i, canon, starts) \
                    and not in_quotes(starts[i]) and not homonym(starts[i]) \
                    and not self._reclaimed(words, i, i + 1, identity=False):
                found.append(Verdict("insult", "person", SCORES["insult"], word))  # "t'as rien compris autiste va"
        # swearing at a group: "putain de handicapés", "ces bordel de dépressifs", "foutus migrants"
        for i, j, target in groups:
            before = words[max(0, i - 3):i]
            aimed = any(w in SWEAR_AT for w in before[-1:]) or (
                len(before) >= 2 and before[-1] in ("de", "d") and before[-2] in SWEAR_AT) or (
                len(before) >= 3 and before[-2] in ("de", "d") and before[-3] in SWEAR_AT
                and before[-1] in ("bonnes", "sales", "vieux", "vieilles", "gros", "grosses"))
            if aimed and not negated(i, max(0, i - 4)):
                found.append(Verdict("hate", target, SCORES["hate"], " ".join(words[max(0, i - 3):j])))
                break
        # hate slogans and coded phrases ("remigration", "#IslamDehors", "mort aux …")
        for i, j, value in self.slogans.find(words):
            if not in_quotes(starts[i]) and not self._reclaimed(words, i, j, identity=False):
                category, target = value.split(":")
                found.append(Verdict(category, target, SCORES[category], " ".join(words[i:j])))
        # dehumanising comparisons
        for i, j, _ in self.dehumanising.find(words):
            apposed = i > 1 and words[i - 1] in ("des", "de", "d") and self.groups.get(words[i - 2]) is not None
            if in_quotes(starts[i]) or not (apposed or self._comparing(words, i)):
                continue
            g = group_near(i, 10)
            if g is None:
                k = self._predicate_of(words, i)
                if (words[i - 1:i] and words[i - 1] in ("sale", "sales", "bande", "espece")) or (
                        k is not None and words[i] in DEHUMANISING_INSULTS and self._human_subject(words, k)
                        and not negated(i)):
                    found.append(Verdict("insult", "person", SCORES["insult"], " ".join(words[max(0, i - 2):j])))
                continue
            lo, hi = sorted((g[1], i))
            between = [k for k in range(lo, hi) if words[k] in NEGATIONS]
            restricts = between and all(words[k] in ("ne", "n") for k in between) and {"qu", "que"} & set(
                words[between[0]:hi])  # "ne sont que des singes"
            # "ils ne valent pas mieux que des porcs": the negation makes the likeness
            likened = _LIKENED.search(canon[max(0, starts[i] - 40):starts[i]])
            if not likened and (negated(i) or (between and not restricts)):
                continue
            found.append(Verdict("dehumanisation", g[2], SCORES["dehumanisation"],
                                 " ".join(words[min(g[0], i):max(g[1], j)][:12])))
        # hostile predicates about a group
        # the pre-check (one alternation of every pattern: the costliest regex here) only when a group is named
        hostile = self.hostile.candidates(canon) if groups else ()
        for pattern in hostile:
            for m in pattern.finditer(canon):
                if in_quotes(m.start()) or (reported and _CONDEMN.search(m.group(0))):
                    continue  # quoted, or "… est une honte" said of a reported quote
                k = word_at(m.start())
                g = group_near(k)
                own_negation = bool(NEGATIONS & set(_WORD.findall(m.group(0))))  # "aucun respect pour"
                if g is None or (negated(k) and not own_negation) \
                        or canon[m.end():].lstrip().startswith(("pas ", "jamais ", "point ")):
                    continue  # "je déteste pas les migrants": the negation follows the verb
                between = [x for x in range(g[1], k) if words[x] in NEGATIONS] if g[0] < k else []
                restricts = between and all(words[x] in ("ne", "n") for x in between) and _RESTRICT.search(
                    canon[starts[between[0]]:m.end()])  # "ne sont que des singes": ne… que restricts
                if between and k - g[1] <= 8 and not own_negation and not restricts \
                        and sentence_of[g[0]] == sentence_of[k] and "," not in canon[starts[g[0]]:starts[k]]:
                    continue  # "la femme n'est pas faite pour rester à la cuisine"
                found.append(Verdict("hate", g[2], SCORES["hate"], f"{' '.join(words[g[0]:g[1]])} … {m.group(0)}"))
                break
        # insults
        for i, j, _ in self.insults.find(words):
            if in_quotes(starts[i]) or titled(starts[i]) or homonym(starts[i]) or self._thing(words, i) \
                    or self._self_directed(words, i) \
                    or self._said_of_thing(words, i) or self._reclaimed(words, i, j, identity=False) \
                    or (not found and self._in_group_invitation(canon, words, words[i])) \
                    or (words[j:j + 1] in (["de"], ["d"]) and words[j + 1:j + 2] and words[j + 1] in THING_NOUNS):
                continue  # "cet abruti de GPS", "quel con je suis"
            if (words[i] in CON or (words[i] in self.framed and i and words[i - 1] in NEUTRAL_PREV)) \
                    and not (self._framed(words, i) or self._said_of_official(words, i, officials)):
                continue
            vocative = words[i] in self.framed and self._vocative(words, i, canon, starts)
            if words[i] in self.framed and not (self._framed(words, i) or self._person_noun(words, i) or vocative
                                                or self._said_of_official(words, i, officials)):
                continue  # "le président mongol", "cet hélicoptère attardé": an adjective, no person insulted
            if words[i] in THING_SWEARS and words[i + 1:i + 2] in (["de"], ["d"]) and i + 2 < len(words) and not (
                    self.officials.get(words[i + 2]) is not None or self.groups.get(words[i + 2]) is not None
                    or words[i + 2] in PERSONS or (words[i].endswith("s") and words[i + 2].endswith(("s", "x")))):
                continue  # "ce con de GPS": about a thing
            if negated(i, max(0, i - 4)) and not vocative and words[i - 1] not in ("ces", "cette", "cet", "ce"):
                # "tu sais pas lire mongol": the negation bears on the verb (and not on "… pas se garer ces connasses")
                continue
            target = "official" if self._near_official(words, i, officials) else "person"
            found.append(Verdict("insult", target, SCORES["insult"], " ".join(words[i:j])))
        # mockery of a person's mind or worth ("t'as le QI d'une huître", "il n'a pas inventé la poudre"): the
        # negation of "pas inventé", "pas le couteau le plus aiguisé" is the mockery's own
        for pattern in self.mockery.candidates(canon):
            for m in pattern.finditer(canon):
                k = word_at(m.start())
                # "il n'a pas inventé la poudre" mocks as "il vient d'inventer l'eau tiède" does
                own_negation = m.group(0).startswith("invent") or bool(NEGATIONS & set(_WORD.findall(m.group(0))))
                if in_quotes(m.start()) or (negated(k, max(0, k - 3)) and not own_negation):
                    continue
                target = "official" if self._near_official(words, k, officials) else "person"
                found.append(Verdict("insult", target, SCORES["insult"], m.group(0)))
                break
        for a, b in officials:  # "ce maire de merde", "cet adjoint à la con"
            tail = words[b:b + 3]
            if tail[:2] in (["de", "merde"], ["a", "la"]) and (tail[:2] == ["de", "merde"] or tail[2:] == ["con"]) \
                    and not in_quotes(starts[a]):
                found.append(Verdict("insult", "official", SCORES["insult"], " ".join(words[a:b + 3])))
        for i, word in enumerate(words):
            # "quelle truffe ce type", "gros boulet va": a person right after, or said to someone
            to_person = (words[i + 1:i + 2] in (["ce"], ["cette"], ["ces"], ["de"], ["d"]) and i + 2 < len(words)
                         and (words[i + 2] in PERSONS or words[i + 2] in HUMAN_NOUNS
                              or self.officials.get(words[i + 2]) is not None)) or words[i + 1:] == ["va"]
            if word in ORDINARY_WEAK and i and words[i - 1] in ORDINARY_FRAMES and not to_person:
                continue  # "quelle chouette idée", "un gros boulet de canon"
            predicate = word in WEAK_INSULTS and self._predicate_of(words, i)
            # "salut le naze", "arrête de faire la cruche"
            hailed = i > 1 and word not in ORDINARY_WEAK and words[i - 1] in ("le", "la", "les") and words[i - 2] in (
                "salut", "coucou", "bonjour", "bravo", "merci", "faire", "fais", "faites", "font")
            # "ASSUREURS = ESCROCS", "les profs, ces feignasses,", "les touristes, des charognards": an insult set
            # beside the people it names
            beside = word in WEAK_INSULTS and i > 0 and (
                words[i + 1:i + 3] == ["en", "chef"] or to_person or hailed
                or canon[:starts[i]].rstrip().endswith("=")
                or (words[i - 1] in ("ces", "des", "de", "vrais", "vraies", "sales")
                    and canon[:starts[i - 1]].rstrip().endswith((",", ":", "=", "("))))
            if ((word in WEAK_INSULTS and (self._said_of_official(words, i, officials) or self._strong_frame(words, i)
                                           or self._plural_frame(words, i)
                                           or (predicate and self._human_subject(words, predicate)) or beside))
                    or (word in NULS and self._strong_frame(words, i))) \
                    and not negated(i, max(0, i - 4)) and not in_quotes(starts[i]) and not titled(starts[i]) \
                    and not self._said_of_thing(words, i) and not homonym(starts[i]):
                target = "official" if self._near_official(words, i, officials) else "person"
                found.append(Verdict("insult", target, SCORES["insult"], word))
        return found

    def _in_group_invitation(self, canon: str, words: list[str], word: str | None = None) -> bool:
        """A slur (or ``word``, an insult) used by the group about itself in an invitation or a celebration, with no
        other hostile word and no one addressed as a target: "les muzz du quartier vous invitent à rompre le jeûne
        avec nous", "les négros du quartier ont gagné le tournoi, big up à mes frères", "marche des salopes
        dimanche, mes sœurs venez nombreuses"."""
        if not (_IN_GROUP.search(canon) and _CELEBRATION.search(canon)) or len(words) > 40:
            return False
        return not any((self._hostile_word(w) or self.insults.get(w) is not None) and self.slurs.get(w) is None
                       and w != word and w not in self.framed for w in words)

    def _self_profile(self, words: list[str], i: int, j: int, canon: str) -> bool:
        """A slur opening a self-description: "Travelo de 52 ans, mercière…", "Bio : pédé, jardinier, trésorier…",
        "Gouine, féministe et conseillère de quartier : oui, on peut cumuler" (the slur first, or after "bio",
        "vieille", an emoji or a group word; then an age, or a comma and a first person in the text; no other hostile
        word: "pédé, dégage" is no profile)."""
        if i > 4 or any(w not in PROFILE_LEAD and not w.startswith("emo_") and self.groups.get(w) is None
                        for w in words[:i]):
            return False
        rest = words[j:j + 3]
        aged = len(rest) == 3 and rest[0] == "de" and rest[1].isdigit() and rest[2] == "ans"
        after = canon.find(words[i]) + len(words[i])
        listed = canon[after:].lstrip()[:1] == ","
        first = bool(set(words) & {"je", "j", "moi", "mon", "ma", "mes", "nous", "on"})
        return (aged or listed) and (first or aged) and not any(
            (self._hostile_word(w) or self.insults.get(w) is not None) and self.slurs.get(w) is None
            and w not in self.framed for w in words)

    @staticmethod
    def _reclaimed(words: list[str], i: int, j: int, identity: bool = True) -> bool:
        """A slur or an insult said of oneself or one's own circle, with no negation before it: "je suis gouine",
        "moi la tafiole du village", "on est une bande de gouines", "mes copines travelos", "beurette assumée".
        ``identity`` False leaves out a plain "je suis …" (a framed slur or an insult said of oneself, "je suis
        vraiment un attardé", is self-deprecation in an ableist word, not a reclaimed one)."""
        before = words[max(0, i - 5):i]
        if NEGATIONS & set(before):
            return False
        said = " ".join(before)
        return bool((identity and _IDENTITY.search(" ".join(before[-4:]))) or _RECLAIMING.search(said)
                    or _RECLAIMING_CIRCLE.search(said) or _RECLAIMED_AFTER.match(" ".join(words[j:j + 3]))
                    or (before[-1:] in (["mes"], ["nos"]) and _AFFECTION.match(" ".join(words[j:j + 2]))))

    @staticmethod
    def _sentences(canon: str, starts: list[int]) -> list[int]:
        bounds = [m.start() for m in _SENTENCE.finditer(canon)]
        out, b = [], 0
        for s in starts:
            while b < len(bounds) and bounds[b] < s:
                b += 1
            out.append(b)
        return out

    @staticmethod
    def _person_noun(words: list[str], i: int) -> bool:
        """A framed slur used as a noun for a person ("un mongol", "l'autre attardé", "@x attardé !") or said of
        someone with an adverb ("il est vraiment attardé")."""
        prev = words[i - 1] if i else ""
        return not i or _plural_people(words, i, i + 1) or prev in PERSON_PREV or (
            prev in ADVERBS and i > 1 and words[i - 2] in COPULA | {"t"})

    @staticmethod
    def _vocative(words: list[str], i: int, canon: str, starts: list[int]) -> bool:
        """A framed slur said to someone at the end of a clause: "je t'ai répondu mongol", "t'as rien compris
        autiste va", "ferme-la, attardé !". It must close its clause (punctuation, the end or "va" next), follow
        a comma or a clause addressed to someone, and not follow a word that makes it a plain description
        ("des autistes", "mon fils autiste"; "le peuple mongol" is a homonym, checked before). An insult of the
        person addressed, not hate of the group: MLMA's training tweets label 26 of 35 such vocatives so."""
        end = starts[i] + len(words[i])
        rest = canon[end:].lstrip()
        if not (not rest or rest[0] in ",.!?;…" or (rest.startswith("va")
                                                      and (len(rest) == 2 or not rest[2].isalnum()))):
            return False
        prev = words[i - 1] if i else ""
        if not i or prev in NEUTRAL_PREV | KIN | COPULA | DETERMINERS | PERSONS | NEGATIONS:
            return False
        if canon[:starts[i]].rstrip().endswith(","):
            return True
        clause = []
        for k in range(i - 1, max(-1, i - 9), -1):
            if _SENTENCE.search(canon[starts[k] + len(words[k]):starts[k + 1]]):
                break
            clause.append(words[k])
        return bool(SECOND_PERSON & set(clause))

    @staticmethod
    def _framed(words: list[str], i: int) -> bool:
        prev = words[i - 1] if i else ""
        prev2 = words[i - 2] if i > 1 else ""
        if prev == "c" or (prev == "est" and prev2 == "c"):
            return False  # "c'est con" (a pity)
        if prev in ("est", "etait", "sont", "etaient") and prev2 in KIN:
            return False  # "mon neveu est autiste": a family member described, not an insult
        if prev in ("est", "sont") and i > 2 and words[i - 3] == "sur" and (prev2.isdigit() or prev2 in COUNTS):
            return False  # "un enfant sur cent est autiste": a figure
        if prev in FRAME_PREV and not (prev in ("ce", "cette", "ces", "cet") and words[i] not in CON
                                       and len(words) > i + 1 and words[i + 1] in COPULA):
            return True
        if prev in ("d", "de") and prev2 in ("espece", "bande", "tas", "race", "fils", "fille"):
            return True
        if prev in DETERMINERS and prev2 in COPULA | {"t", "tu", "vous", "espece", "bande"}:
            return True
        if prev in COPULA | {"t"} and prev2 in ("t", "tu", "vous", "es", "il", "elle", "ils", "elles", "maire"):
            return True
        return prev in ("es", "etes") or (prev == "est" and prev2 not in ("c", "ce", "ca", "cela"))

    @staticmethod
    def _strong_frame(words: list[str], i: int) -> bool:
        """"espèce d'incapable", "bande de guignols", "quel guignol", "sale voleur", "vieille bique", "t'es qu'un
        boulet"."""
        prev = words[i - 1] if i else ""
        prev2 = words[i - 2] if i > 1 else ""
        if prev in ("quel", "quelle", "quels", "quelles", "sale", "sales", "gros", "grosse", "pauvre", "vieille",
                    "vieux", "petite", "petit", "petits", "petites") or (
                prev in ("d", "de") and prev2 in ("espece", "bande", "tas", "clique", "ramassis", "troupeau")):
            return True
        # "t'es qu'un boulet", "t'es vraiment une andouille", "une vraie peau de vache"
        prev3 = words[i - 3] if i > 2 else ""
        return prev in ("un", "une") and (prev2 in ("es", "vraiment", "vrai", "vraie", "trop") or (
            prev2 == "qu" and prev3 in ("es", "est", "etes", "t")))

    @staticmethod
    def _plural_frame(words: list[str], i: int) -> bool:
        """A weak insult said of a whole set of people: "ils sont tous des escrocs", "que des vautours", "les agents
        immobiliers sont des requins" (a plural noun before "sont"); "c'est des", "ce sont des" need the plural too."""
        if i < 2 or words[i - 1] not in ("des", "de"):
            return False
        prev2 = words[i - 2]
        if prev2 in ("tous", "toutes", "que") or (prev2 in ("vrais", "vraies", "gros", "grosses") and i > 2
                                                   and words[i - 3] in ("des", "de")):
            return True
        if prev2 in ("est", "vraiment", "juste") and " ".join(words[max(0, i - 4):i - 1]).endswith(
                ("c'est", "c est", "c est vraiment", "c'est vraiment", "c est juste", "c'est juste", "ce sont")):
            return True  # "c'est vraiment des boulets"
        if prev2 not in ("sont", "etes", "seront", "etaient"):
            return False
        subject = words[i - 3] if i > 2 else ""
        return subject in ("ils", "elles", "vous") or (subject.endswith(("s", "x")) and subject not in THING_NOUNS)

    def names_people(self, canon: str) -> bool:
        """A person or a set of people who are not a protected group is named ("mon voisin", "ce type", "les
        chasseurs", "ces vegans", "les Parisiens", "INFLUENCEURS"): a noun of people (PERSONS, HUMAN_NOUNS, or a plural
        noun of people by its ending) that is no group word."""
        for w in _WORD.findall(canon):
            if w in THING_NOUNS or self.groups.get(w) is not None:
                continue
            if w in HUMAN_NOUNS or w in PERSONS or (len(w) > 5 and w.endswith(HUMAN_ENDINGS)):
                return True
        return False

    @staticmethod
    def _human_subject(words: list[str], k: int) -> bool:
        """The subject of the copula at ``k`` names a person or a set of people: "t'es", "il est", "ce type est",
        "les ultras du stade sont", "ces journalistes de France 3 sont" (a determiner, then a head noun of people,
        up to six words back); never a thing, an animal or a pest ("les pigeons sont des parasites")."""
        if k < 1:
            return False
        if words[k - 1] in PRONOUN_SUBJECTS:
            return True
        for d in range(k - 2, max(-1, k - 8), -1):
            if words[d] in SUBJECT_LEAD and words[d + 1] not in SUBJECT_LEAD \
                    and not (d and words[d - 1] in ("de", "d", "du", "des", "a", "au", "aux", "dans", "sur", "en")):
                head = words[d + 1]
                return head not in THING_NOUNS and (head in PERSONS or head in HUMAN_NOUNS or (
                    head.endswith(HUMAN_ENDINGS) and len(head) > 4))
            if words[d] in NEGATIONS or words[d] in COPULA:
                return False
        return False

    @staticmethod
    def _predicate_of(words: list[str], i: int) -> int | None:
        """The copula a noun at ``i`` is predicated by, after a determiner ("sont des sous-hommes", "est une vraie
        merde", "t'es qu'une merde", "sont vraiment des vendus"), or None."""
        k = i - 1
        while k >= 0 and words[k] in ADVERBS | {"vrai", "vraie", "vrais", "vraies", "veritable", "veritables",
                                                 "sacre", "sacree", "gros", "grosse", "grosses", "petit", "petite"}:
            k -= 1
        if k < 0 or words[k] not in DETERMINERS:
            return None  # "il est lourd", "elle est pourrie": an adjective, maybe of a thing
        k -= 1
        if k >= 0 and words[k] == "qu":
            k -= 1
        while k >= 0 and words[k] in ADVERBS | {"tous", "toutes"}:
            k -= 1
        return k if k >= 0 and words[k] in COPULA else None

    @staticmethod
    def _comparing(words: list[str], i: int) -> bool:
        prev = words[i - 1] if i else ""
        prev2 = words[i - 2] if i > 1 else ""
        if prev in DEHUM_PREV:
            return True
        if prev in ("des", "de", "d", "un", "une") and prev2 == "a" and i > 2 and words[i - 3].startswith(
                ("ressembl", "pareil", "compar", "identique")):
            return True
        linking = COPULA | {"comme", "que", "tous", "toutes", "c", "ce", "sont", "rien", "traite", "traiter",
                            "traitent", "dirait", "dirais", "diraient"}
        if prev in ("des", "de", "d", "du", "les", "une", "un") and prev2 in linking:
            return True
        if prev in ("des", "de", "d", "du") and prev2 in ("bande", "tas", "race", "horde", "invasion", "ramassis"):
            return True
        nxt = words[i + 1] if i + 1 < len(words) else ""
        return nxt in ("de", "d") and i > 0 and prev in ("la", "cette", "ces", "ce", "les", "cet", "sale", "sales")

    def _said_of_thing(self, words: list[str], i: int) -> bool:
        """"c'est (tellement) débile", "ce film est nul", "le scénario est complètement débile": an adjective said
        of a thing or a situation, not of a person (a determiner before it, "c'est un débile", makes it one, unless
        the subject is a thing or an animal: "ces mouettes sont des voleuses")."""
        k = i - 1
        while k >= 0 and words[k] in ADVERBS:
            k -= 1
        article = k >= 0 and words[k] in DETERMINERS  # "les goélands sont des voleurs": said of a thing named
        if article:
            k -= 1
        if k < 1 or words[k] not in ("est", "etait", "sont", "etaient", "devient", "reste"):
            return False
        subject = words[k - 1]
        if k > 2 and words[k - 2] in ("aux", "au", "des", "du", "de", "d", "a") and self._names_person(words[k - 3]):
            return False  # "l'adjoint aux travaux est un crétin": said of the person in charge of the thing
        if article:
            return subject in THING_NOUNS
        return subject in ("c", "ca", "cela") or subject in THING_NOUNS or (
            k > 2 and words[k - 2] in ("de", "d", "du", "des") and words[k - 3] in THING_NOUNS)

    def _names_person(self, word: str) -> bool:
        """A person, an official or a role in charge of something ("voisin", "adjoint", "responsable")."""
        return word in PERSONS or word in HUMAN_NOUNS or word in ROLE_NOUNS or self.officials.get(word) is not None

    def _threat_on_thing(self, words: list[str], k: int, end: int, sentence_of: list[int], said: str) -> bool:
        """A threat whose object is a thing or an animal: the noun right after it ("je vais tuer ce moustique", "faut
        brûler cette imprimante") or, when it holds an object pronoun, the thing named before it in the sentence
        ("ces frelons, je vais tous les cramer").  Never when it names the reader, a person or an official."""
        said_words = set(_WORD.findall(said))
        if said_words & (ADDRESSED | {"lui", "leur", "eux"}) or self.officials.find(words[max(0, k - 6):end + 4]):
            return False
        after = [w for w in words[end:end + 4] if w not in THING_LEAD]
        if (after and after[0] in THING_NOUNS) or THING_NOUNS.intersection(words[k + 1:end]):
            return True  # "je vais tuer ce moustique", "mort aux limaces"
        if not said_words & {"les", "la", "le", "l"} or (after and after[0] in PERSONS):
            return False
        before = [w for w in range(max(0, k - 20), k) if sentence_of[w] == sentence_of[k]]
        named = [w for w in before if words[w] in THING_NOUNS or words[w] in PERSONS]
        return bool(named) and words[named[-1]] in THING_NOUNS

    def aimed_at_thing(self, canon: str) -> bool:
        """A violent verb aimed at a thing or an animal and nobody else named ("je vais défoncer mon ordi", "faut
        gazer ces pigeons", "ces frelons, je vais tous les cramer"): no threat for the learned models to read.
        False as soon as the text addresses someone, or names a person, an official or a group."""
        canon = _INTERJECTION.sub(" ", canon)  # "je vous jure" addresses nobody
        words = _WORD.findall(canon)
        if not THING_NOUNS.intersection(words) or ADDRESSED.intersection(words) or PERSONS.intersection(words) \
                or self.officials.find(words) or self.groups.find(words):
            return False
        sentence_of = self._sentences(canon, [m.start() for m in _WORD.finditer(canon)])
        for k, word in enumerate(words):
            if word.startswith(VIOLENT_STEMS):
                said = " ".join(words[max(0, k - 2):k + 1])
                if self._threat_on_thing(words, k, k + 1, sentence_of, said):
                    return True
        return False

    @staticmethod
    def _self_directed(words: list[str], i: int) -> bool:
        """"quel con je suis", "je suis trop con": the author blames themself."""
        return words[i + 1:i + 3] == ["je", "suis"] or (i > 0 and words[i - 1] == "suis") or (
            i > 1 and words[i - 2] == "suis" and words[i - 1] in ("trop", "vraiment", "tellement", "si", "un", "une"))

    @staticmethod
    def _thing(words: list[str], i: int) -> bool:
        """An insult word about a thing: "à la con", "de merde", "les ordures ménagères", or an adjective right after
        a thing it qualifies, maybe past an adverb or two ("des blagues minables", "un film aussi minable", "un navet
        bien crétin", "ce projet complètement débile")."""
        if (i >= 2 and words[i - 2] == "a" and words[i - 1] == "la") or words[i + 1:i + 2] in (["menageres"],
                                                                                               ["menagere"]):
            return True
        return Moderator._attributed(words, i)

    @staticmethod
    def _attributed(words: list[str], i: int) -> bool:
        """An adjective right after a thing it qualifies, maybe past an adverb or two ("des blagues minables")."""
        k = i - 1
        while k >= 0 and i - k <= 3 and words[k] in ATTRIBUTE_ADVERBS:
            k -= 1
        # "tel" is the phone among THING_NOUNS, but "un tel mongol" says "such a"
        return k >= 0 and words[k] != "tel" and (words[k] in THING_NOUNS or words[k] in ATTRIBUTED_THINGS)

    @staticmethod
    def _near_official(words: list[str], i: int, officials: list[tuple[int, int]]) -> bool:
        return any(abs(a - i) <= 8 for a, _ in officials)

    @staticmethod
    def _said_of_official(words: list[str], i: int, officials: list[tuple[int, int]]) -> bool:
        """The word qualifies an official: "le maire est un guignol", "ce guignol de maire", "élus pourris"."""
        for a, b in officials:
            if 0 <= i - b <= 5 and not any(w in (".", "mais", "et") for w in words[b:i]):
                between = set(words[b:i])
                if i == b or between & (COPULA | {"un", "une", "des", "de", "vraiment", "tous", "toutes", "que",
                                                   "c", "ce", "sont", "completement", "totalement", "bande",
                                                   "gros", "grosse", "vraie", "vrai"}):
                    return True
            if 0 < a - i <= 4 and set(words[i + 1:a]) & {"de", "d", "du", "des", "au", "aux", "ces", "cette", "ce"}:
                return True
        return False


ADDRESSED = {"tu", "te", "t", "toi", "ta", "ton", "tes", "vous", "vos", "votre"}
OWN = {"je", "j", "jvais", "moi"}
TURN_CATEGORIES = ("threat", "dehumanisation", "hate", "slur")  # what a turn of counter-speech lets stand
TURN_MAX_CHARS = 300  # a longer text (a review, an article) turns too often to tell


def addressed_threat(verdict: Verdict, canon: str) -> bool:
    """A threat whose own words address the reader or speak for the writer ("on sait où tu bosses", "je lui
    défonce la tête") and that is not between quotes (a title: «Quand je serai grande, je te tuerai»): it stands
    even beside a cue of counter-speech ("T'as signalé mes posts ? On sait où tu bosses"), which voids every
    other verdict; a condemned threat names its authors or victims ("je condamne ceux qui veulent brûler la
    mosquée")."""
    if verdict.category != "threat" or not (ADDRESSED | OWN) & set(_WORD.findall(verdict.cue)):
        return False
    at = canon.find(verdict.cue)
    return not any(m.start() <= at < m.end() for m in _QUOTED.finditer(canon))


def standing(found, canon: str, cue: str, reach: int) -> list[Verdict]:
    """The verdicts that stand in a text countered by ``cue``: threats at the reader or by the writer, threats
    that hold the cue itself ("j'espère qu'elle va se faire agresser" is no report of an assault), and what
    comes after the point where the counter-speech turns (``Moderator.counter_reach``: "pas d'amalgame, mais…")."""
    return [v for v in found
            if addressed_threat(v, canon) or (v.category == "threat" and cue.strip() and cue.strip() in v.cue)
            or (v.category in TURN_CATEGORIES and reach < len(canon) and canon.find(v.cue.split(" … ")[0], reach) >= 0)]


@lru_cache(maxsize=1)
def moderator() -> Moderator:
    return Moderator()


def speaks_of_harm(canon: str) -> bool:
    """A word of violence or harm in the folded text (``HARM_STEMS``): what a learned head's threat needs ("quelle
    merde ce GPS", "la folle avoine, il faudrait faucher" name none)."""
    return any(word.startswith(HARM_STEMS) for word in _WORD.findall(canon))


@lru_cache(maxsize=256)
def group_targets(canon: str) -> tuple[str, ...]:
    """``Moderator.group_targets`` of a canonical text, cached: the model's features and the component's context
    both need them."""
    return tuple(moderator().group_targets(canon))


@lru_cache(maxsize=256)
def analysis(text: str) -> tuple[str, tuple[Verdict, ...], str | None]:
    """(canonical text, rule verdicts, the cue of counter-speech or None) of a text; cached: the model's features
    and the component both need them."""
    mod = moderator()
    canon = mod.canonical(text)
    return canon, tuple(mod.verdicts(canon)), mod.countered(canon)
