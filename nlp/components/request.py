"""vigie_request: citizen requests, i.e. texts whose author expects an answer or an action of the collectivité.

Kinds (``KINDS``):

- ``question``: a question the collectivité can answer ("La piscine sera-t-elle ouverte à Noël ?",
  "Qu'attend la mairie pour réparer ce trottoir ?"), also between citizens when it is about a public
  service or a municipal matter ("Quelqu'un sait si les écoles sont ouvertes demain ?"); a question
  between citizens on a private matter (a plumber, a lost cat) is not a request;
- ``report``: a fault or nuisance of the public space reported as it is ("Lampadaire en panne au
  12 rue Pasteur", "Dépôt sauvage derrière la salle des sports");
- ``complaint``: a problem with exasperation or persistence ("Toujours pas de ramassage depuis dix
  jours, c'est inadmissible"), or an explicit demand of the town with exasperation;
- ``service_request``: a demand of a service or of an action ("Merci de bien vouloir passer
  l'épareuse", "Il faudrait un passage piéton devant l'école", "Je voudrais inscrire mon fils à la
  cantine"). Suggestions ("il faudrait…", "pourquoi pas…") are service requests: they ask for an
  action.

Speech acts beyond the explicit ones: a yes/no question about a municipal matter ("Le marché est
maintenu pendant les travaux ?"), a question without "?" that opens or ends with an interrogative ("je
passe où"), an indirect question ("je voudrais savoir si…") are questions; the author's own need ("j'ai
besoin d'un…") and a hardship told as a situation with a question about help ("ma mère ne peut plus…,
il y a une aide ?") are service requests; a bare imperative ("Réparez !", "changez les horaires") and
the indicative "il faut + verb" are complaints, polite demands and the conditional "il faudrait"
service requests.  Reports come from word classes of faults (state of equipment, encroachment,
water and smells, pests, hazards, failing services); a frequency alone ("tous les soirs") is no
complaint without a problem.  Questions between citizens about their own lives (polls, memories,
recommendations, lost things) are not requests.

Not requests: thanks (also when they name the problem that was fixed), relayed information ("Pour
info, la mairie a confirmé que…", "selon La Voix du Nord"), opinions in a debate ("Je comprends,
mais perso je suis pour…"), events observed (an accident, a storm), outrage with no ask and no
concrete problem, articles and pages, posts of the watch's own accounts.  A frame (thanks, relay,
opinion) vetoes the weak kinds (a report, a suggestion, exasperation); a direct ask (a question to
the town, "pouvez-vous", "la mairie doit") still makes a request.

Every request also needs a municipal matter: a topic of vigie_topics, an explicit address to the
collectivité (mairie, élus, the watch's own accounts), a public place, or a reply to a post of the
collectivité (``parent_author`` "mairie" in the document's meta).  The first topic's service routes
it (``default_service`` when no topic was found).

Profiles: ``fast`` decides with these rules alone; ``accurate`` (the default of the config) with the
trained model of ``vigie.nlp.components.request_model`` over the sentence embedding and the rules'
``signals`` (same gates: French, a municipal matter, not the collectivité's; a frame with no direct ask
is vetoed).

``doc._.request`` = {is_request, kind, service, cue}: ``cue`` is the text span that made it a request
(None when it is not one).  The enrichment driver puts the document's kind, author and, when it
knows it, the parent's text and author (``parent_text``, ``parent_author``: mairie | citizen | media)
in ``doc.user_data["vigie_meta"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, registry

from vigie.accounts import OwnAccounts
from vigie.nlp import extensions
from vigie.nlp.components._savedmodel import ModelSource
from vigie.nlp.components._util import batches
from vigie.nlp.components.language import is_french
from vigie.nlp.components.request_model import DEFAULT_HEAD, HEAD_FILE, RequestHead
from vigie.nlp.errors import PipelineLoadError
from vigie.textfold import fold

KINDS = ("question", "report", "complaint", "service_request")
PROFILES = ("accurate", "fast")
META = "vigie_meta"  # doc.user_data key, set by nlp.enrich: {"kind", "author", "parent_text", "parent_author"}


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])")


# --- questions -------------------------------------------------------------------------------------
# An interrogative that asks for information or an action (in a sentence ending with "?").
ASK = _rx(
    r"quand", r"pourquoi", r"comment", r"est-ce qu\w*", r"est ce qu\w*", r"combien",
    r"ou (?:en|est|sont|peut|faut|se|trouver|s'adresser|aller|deposer|jeter)", r"a quelle (?:heure|date)",
    r"jusqu'a quand", r"a partir de quand", r"depuis quand",
    r"qui (?:s'occupe|doit|peut|va|gere|est responsable|contacter|appeler)",
    r"que (?:fait|font|compte|comptent|prevoit|prevoient|va faire|vont faire)", r"qu'attend\w*", r"a quand",
    r"peut-on", r"pourra-t-on", r"pouvez-vous", r"pourriez-vous", r"allez-vous", r"comptez-vous", r"savez-vous",
    r"sait-on", r"y a-t-il", r"y aura-t-il", r"est-il (?:prevu|possible|normal|vrai)", r"serait-il possible",
    r"[\w']+-t-(?:il|elle|on|ils|elles)", r"[\w']+-(?:vous|on|ils|elles|il|elle)",
    r"c'est (?:normal|prevu|quand|ou)", r"prevu\w*", r"possible de",
    r"quel(?:le)?s? (?:sont|est|solution|date|horaire|jour)\w*", r"quel(?:le)?s? \w+", r"c'est (?:ouvert|ferme)",
    r"(?:aura|auront|a|ont) lieu ou", r"c'est ou", r"(?:est|sont|sera|seront|serait) (?:ouvert|ferme)\w*",
    r"il y a (?:cantine|piscine|ramassage|collecte|marche|ecole|classe|bus|tram|garderie|centre)",
    r"quelqu'un (?:sait|saurait|a une info)", r"on sait (?:si|quand|pourquoi|combien|ou|qui|comment)",
    r"des nouvelles", r"une idee (?:de|du|sur|si|pour)", r"(?:sont|est|seront|sera)-(?:ils|elles|il|elle)",
    r"(?:vous|on) (?:comptez|allez|pouvez|prevoyez|attendez)", r"si (?:la|le|les|l')\w*",
    r"ca (?:va|reprend|rouvre|ouvre|ferme)", r"(?:va|vont) (?:etre|enfin|rouvrir|reprendre)",
    r"y a(?:-t-il)? moyen", r"il y a (?:pas )?moyen", r"on fait comment",
    r"on peut (?:venir|avoir|savoir|faire|s'inscrire)", r"ou(?= ?\?)", r"ou (?:ca|ils|elles|on|je|il)",
)
# Indirect questions: they ask for information without an interrogative sentence ("je voudrais savoir si…").
INDIRECT = _rx(
    r"(?:je |j'|on |nous )(?:voudrais|voudrait|voudrions|voulais|voulait|souhaiterais|souhaite|souhaitons|souhaitais|"
    r"aimerais|aimerait|aimerions|veux|cherche a|cherchons a|aurais voulu|aurais aime) "
    r"(?:savoir|connaitre|comprendre|etre (?:informe|renseigne|tenu au courant))\w*",
    r"je me demand(?:e|ais)", r"(?:quelqu'un|qqn) (?:sait|saurait|peut (?:me|nous) dire)",
    r"(?:pouvez|pourriez)[- ]vous (?:me |m'|nous )(?:dire|indiquer|renseigner|expliquer|confirmer|preciser|informer)",
    r"merci de (?:me|nous) (?:dire|indiquer|renseigner|tenir au courant|repondre|confirmer|preciser|informer)",
    r"(?:je|on|nous) (?:ne sais|ne sait|ne savons|sais|sait) (?:pas )?(?:si|quand|ou|comment|qui|a qui|combien)",
    r"(?:j'ai|on a|nous avons) besoin (?:d'une info\w*|d'un renseignement|de renseignements|d'informations?)",
    r"(?:une|des) (?:infos?|precisions?|renseignements?) (?:sur|concernant|quant a|svp|s'il vous plait)",
)
# Questions that ask nothing of the collectivité: rhetoric, polls in a debate, small talk.
RHETORIC = _rx(
    r"c'est une blague", r"serieu\w*", r"sans blague", r"vous (?:vous )?moquez", r"on se moque", r"non mais",
    r"(?:vous|tu) en penses? quoi", r"qu'en pensez-vous", r"qu'en penses-tu",
    r"(?:vous|tu) (?:etes|es) (?:pour|contre)", r"qui (?:est|serait) (?:pour|contre|partant|motive|dispo)",
    r"qui vient", r"qui veut", r"d'accord", r"non \?", r"pas vrai", r"vous avez vu", r"tu as vu", r"t'as vu",
    r"qui a vu le match", r"comment (?:ca va|allez-vous|vas-tu)", r"ca va \?", r"on en parle",
    r"quelle (?:blague|honte|idee|farce|horreur|tristesse|epoque)",
    r"(?:comment|pourquoi) (?:peut-on|ose-t-on|osent-ils|ose-t-elle|ont-ils pu|a-t-on pu)",
    r"a quoi (?:ca|ils|elle|ils|bon) (?:sert|servent|pensent|pense|pensait)", r"a quoi bon", r"on croit rever",
    r"qui (?:a|avait) (?:vu|connu|perdu|trouve|entendu|assiste|participe)", r"qui se (?:souvient|rappelle)",
    r"(?:vous|tu) (?:vous )?(?:souvenez|souviens|rappelez)", r"c'etait quoi", r"motive\w*", r"partant\w*", r"dispo\b",
    r"volontaires?", r"qui (?:etait|etaient|sera|seront|ira|y etait|y va|y sera)",
    r"(?:vous|tu) (?:etes|es|avez|as) (?:deja |bien )?(?:alle|allee|alles|allees|vu|essaye|teste|goute|visite|ete|"
    r"entendu|remarque|lu|aime|apprecie|participe)\b",
    r"(?:vous|tu) (?:prenez|prends|faites|fais|mettez|utilisez|utilises|payez|paies) quoi",
    r"superbe\w*", r"magnifique\w*", r"(?:est|etait|c'est|c'etait) (?:top|genial|sympa)", r"trop bien",
)
# The author's own need of a service: with a question about how to get it, a service request.
NEED = _rx(
    r"(?:je |j'|nous |on )(?:voudrais|voudrions|voudrait|souhaiterais|souhaiterions|souhaite|souhaitons|aimerais|"
    r"aimerions|aimerait) (?!savoir|connaitre|comprendre|dire|remercier|feliciter|souligner|"
    r"rappeler|ajouter|preciser|reagir|temoigner|partager|avouer|admettre|reconnaitre)(?:m'|me |nous |faire )?"
    r"\w+(?:er|ir|re)\b",
    r"(?:j'ai|on a|nous avons|aurai(?:t|s)|aurions) besoin (?:d'\w+|de \w+|du|des)", r"^(?:bonjour,? )?besoin d",
    r"(?:je |j'|on |nous )(?:voudrais|voudrait|voudrions|souhaite|souhaiterais|souhaitons|aimerais|aimerait) "
    r"(?:un|une|des|un\w*)\b", r"(?:je|nous) cherch(?:e|ons) a \w+(?:er|ir|re)\b",
    r"(?:il me|il nous|il lui) (?:faut|faudrait) (?:un|une|des|le|la)",
)
# A duty of the author ("je dois déposer une déclaration…"): with a question about how, a service request.
DUTY = _rx(r"(?:je|nous) (?:dois|devons) "
           r"(?!avouer|dire|admettre|reconnaitre|etre)(?:m'|me |nous |faire )?\w+(?:er|ir|re)\b")
# A hardship told as a situation ("mon père ne peut plus…"): with a question about help, a service request.
HARDSHIP = _rx(r"ne (?:peut|peuvent|pouvons|peux|sait|sais|savent) plus", r"n'arrive(?:nt)? plus", r"n'ose pas",
               r"(?:\d+|quatre-vingts?\S*) ans", r"agee?s?", r"handicap\w*", r"seule?s?", r"malade\w*",
               r"dependant\w*", r"sans ressources", r"fin de mois",
               r"(?:perdu|perd) (?:mon|son|leur) (?:emploi|travail)",
               r"plus de chauffage", r"expulse\w*", r"fauteuil", r"mobilite reduite", r"pmr")
AID = _rx(r"(?:existe-t-il|il existe|y a-t-il|il y a|y aurait-il|y a) (?:une|des|un) "
          r"(?:aide|dispositif|service|solution|allocation|"
          r"accompagnement|prise en charge|portage|soutien|assistance)\w*",
          r"qui (?:contacter|appeler)",
          r"a qui (?:m'adresser|s'adresser|demander)",
          r"(?:peut|pourrait) (?:passer|venir|l'aider|les aider|nous aider)")
# Private matters between citizens: a question about them is not a request.
PRIVATE = _rx(
    r"recommander", r"conseiller un",
    r"un bon (?:plombier|garagiste|electricien|medecin|dentiste|kine|resto|restaurant|coiffeur|artisan|mecanicien|"
    r"veterinaire)",
    r"plombier", r"garagiste", r"electricien", r"babysitter", r"baby-sitter", r"nounou", r"mon chat", r"ma chatte",
    r"mon chien", r"chat perdu", r"chien perdu", r"perdu (?:mon|ma|mes)", r"a vendre", r"a donner", r"je vends",
    r"je donne", r"covoiturage", r"colocation", r"coloc", r"bon plan", r"un bon resto",
    r"quelqu'un (?:connait|aurait|a) (?:un|une|des) (?!info)", r"vous connaissez (?:un|une|des)", r"le match",
    r"quelqu'un a (?:trouve|vu) (?:un|une|mon|ma|mes)", r"retrouve (?:un|une)",
    r"(?:vous|tu) (?:conseillez|conseilles|recommandez|recommandes|me conseillez|me conseilles)",
    r"quel\w* \w+ (?:vous|tu) (?:avez|as|prenez|prends|utilisez|utilises)", r"(?:qui|quelqu'un) a perdu",
    r"recos?\b", r"avis sur", r"des conseils", r"meilleur\w*", r"(?:du|de la|des|un|une) (?:bon|bonne|bons|bonnes) \w+",
    r"ou (?:acheter|manger|boire|sortir)",
)

# --- demands ---------------------------------------------------------------------------------------
# Direct demands of the collectivité: they make a request even inside thanks, relay or opinion frames.
DEMAND = _rx(
    r"merci de (?:le |la |les |l'|me |m')?(?:bien vouloir|"
    r"(?!votre|notre|leur|vous|nous|m'avoir|nous avoir|l'avoir|les avoir|avoir)\w+(?:er|"
    r"ir|re))",
    r"pouvez-vous", r"pourriez-vous", r"pourriez vous", r"pouvez vous", r"s'il vous plait", r"s'il vous plaît",
    r"svp", r"stp",
    r"(?:la mairie|la ville|la commune|le maire|la municipalite|les elus|les services?(?: techniques)?|"
    r"la metropole|la mel|la police(?: municipale)?|les autorites|vous) "
    r"(?:doi(?:t|vent)|devrai(?:t|ent)|devez|devriez|pourrai(?:t|ent)|pourriez|"
    r"ferai(?:t|ent) bien|auraient du|aurait du|aurait pu|doit vraiment) \w+",
    r"qu'attend\w* (?:la|le|les|vous|on)", r"faites (?:quelque chose|le necessaire|vite)", r"intervenez",
    r"venez voir", r"agissez", r"reagissez", r"bougez-vous",
    r"il faut (?:que la mairie|que la ville|que les services|agir|intervenir)", r"nous demandons", r"je demande",
    r"on demande", r"je sollicite", r"nous sollicitons", r"demande d'intervention",
    r"je vous (?:demande|prie|serais reconnaissant|remercie (?:par avance|d'avance))", r"merci d'avance",
    r"d'avance merci", r"merci par avance", r"a l'attention de", r"j'interpelle", r"j'alerte", r"je vous alerte",
    r"je vous signale", r"je signale", r"je reviens vers vous", r"(?:j'attire|attirer) votre attention",
    r"je me permets de (?:revenir vers vous|vous ecrire|vous contacter|vous solliciter|vous interpeller)",
    r"(?:souhaite|souhaitent|souhaiterai(?:s|t|ent)|aimerai(?:s|t|ent)|voudrai(?:s|t|ent)|demandent|demandons|"
    r"souhaitons|aimerions|voudrions) qu(?:e|'\w+)", r"je me permets de (?:vous )?signaler",
    r"signale(?:e|s|es)? a la mairie",
    r"merci d'(?!avance)\w+(?:er|ir|re)",
    r"(?:remettez|reparez|installez|nettoyez|enlevez|ramassez|refaites|ajoutez|rebouchez|taillez|elaguez|"
    r"securisez|rouvrez|retablissez)(?:-(?:la|le|les|nous|moi|y))?",
)
# A bare imperative at the start of a clause ("Réparez !", "Rendez-nous ces places", "Envoyez quelqu'un"):
# a demand, verbs of discourse and invitations excepted ("Allez les bleus", "Regardez ça", "Venez nombreux").
IMPERATIVE = re.compile(
    r"(?:^|[.!?;:,(]\s*|\bet |\bou |\bdonc |\balors |\bsvp |\bsvp,? |\bmaintenant )"
    r"(?!(?:chez|assez|nez|allez|voyez|regardez|imaginez|lisez|votez|partagez|notez|ecoutez|excusez|pensez|croyez|"
    r"sachez|rassurez|venez|soyez|ayez|dites|faites attention|attendez|patientez|profitez|rejoignez|suivez|"
    r"retrouvez|decouvrez|inscrivez|likez|abonnez|reservez|contactez|consultez|appelez|rendez-vous|pouvez|pourriez|"
    r"continuez|felicitez|remerciez|applaudissez|lachez|relisez|informez|renseignez|"
    r"voulez|voudriez|devez|devriez|avez|savez|etes|aurez|serez|ferez|irez)\b)"
    r"([a-z]{3,}ez)(?!-vous|-t-)(?:-(?:en|la|le|les|nous|moi|y|leur|lui))*"
    r"(?= (?:les?|la|l'|des|du|un|une|plus|moins|ces|cette|ce|cet|nos|notre|vos|votre|nous|moi|quelqu'un|quelque|en|y|"
    r"vite|donc|enfin|ca|cela|au|aux|d'|de|tout|toutes?|tous)\b(?! (?:\w+ )?(?:de )?(?:vos|votre)\b)|\s*[!.]|\s*$|-)"
)
# Imperatives that scold other citizens in a debate ("Arrêtez de râler", "Relisez l'article").
SCOLD = _rx(r"arretez de (?:vous|raler|critiquer|pleurer|chialer|geindre|tout|toujours)", r"lachez[- ](?:nous|moi|les)")
# Polite demands: a service request even about a problem, unless exasperation is said.
POLITE = _rx(r"merci de", r"merci d'(?!avance)", r"svp", r"stp", r"s'il vous plait", r"s'il vous plaît", r"pouvez-vous",
             r"pourriez-vous", r"pouvez vous", r"pourriez vous", r"je vous (?:prie|demande|serais)", r"bien vouloir",
             r"(?:vous|tu) (?:pouvez|pourriez|pourrais|peux)", r"d'avance", r"par avance")
# Demands of a service for oneself (inscriptions, appointments, documents, pick-ups).
SERVICE = _rx(
    r"(?:j'aimerais|je voudrais|je souhaiterais|on aimerait|nous aimerions|on voudrait|nous voudrions) que",
    r"je (?:voudrais|souhaiterais|souhaite|aimerais|cherche a) (?:inscrire|prendre|obtenir|avoir|faire|reserver|"
    r"savoir|connaitre|demander|un|une|des|le|la|les|signaler|deposer|contacter|joindre|louer|beneficier)",
    r"j'aimerais (?:inscrire|prendre|obtenir|avoir|faire|reserver|savoir|connaitre|demander|un|une|des|signaler)",
    r"nous (?:voudrions|souhaiterions|souhaitons|aimerions) (?:inscrire|prendre|obtenir|avoir|faire|reserver|"
    r"savoir|connaitre|demander|un|une|des|le|la|les)",
    r"comment (?:faire|proceder|obtenir|s'inscrire|inscrire)", r"a qui (?:m'adresser|s'adresser|dois-je|faut-il)",
    r"qui (?:dois-je|faut-il) (?:contacter|appeler)",
    r"besoin d'(?:un|une) (?:rendez-vous|rdv|attestation|certificat|formulaire|dossier|carte|permis|autorisation)",
    r"demande d'(?:enlevement|intervention|inscription|acces|aide|elagage)",
    r"demande de (?:ramassage|rendez-vous|rdv|permis|autorisation|logement|place|subvention|raccordement|carte)",
)
# Proposals of an action: weak, vetoed by an opinion, relay or thanks frame.
PROPOSE = _rx(
    r"il faudrait", r"faudrait",
    r"il faut (?:absolument |vraiment |d'urgence )?(?:installer|mettre|creer|faire|prevoir|ajouter|remettre|"
    r"refaire|reparer|securiser|nettoyer|elaguer|boucher|limiter|interdire|un|une|des|plus de)",
    r"pourquoi (?:ne pas|pas)", r"ce serait (?:bien|top|super|genial|utile|bien)",
    r"ca serait (?:bien|top|super|utile)", r"serait-il possible",
    r"il serait (?:temps|bien|utile|souhaitable|urgent)", r"serait souhaitable", r"il manque", r"on aimerait",
    r"nous aimerions", r"on voudrait", r"a quand (?:un|une|des|le|la|les)", r"ne pourrait-on pas",
    r"ne serait-il pas", r"on pourrait (?:avoir|installer|mettre|faire|prevoir)",
    r"(?:ce|ca) (?:serait|ne serait) pas du luxe", r"(?:ce|ca) serait (?:pratique|pas mal|le minimum)",
    r"(?:il )?faut (?:absolument |vraiment |d'urgence |urgemment |enfin )?(?:le |la |les |l'|nous |y |en )?"
    r"(?!dire|croire|voir|savoir|avouer|reconnaitre|admettre|comprendre|esperer|etre|arreter|relativiser|"
    r"rester|garder|accepter|laisser|choisir|attendre|se mefier|faire attention|aimer|avoir|lire)\w+(?:er|ir|re)\b",
    r"il faut que (?:la|le|les|l'|vous|nos|notre|quelqu'un)",
    r"il serait temps", r"(?:au|un) minimum", r"c'est urgent",
)
# Proposals said in the indicative or as an order ("il faut élargir…", "il serait temps de…"): with a problem stated,
# a complaint (the conditional "il faudrait" stays a service request).
INSIST = _rx(r"il serait temps", r"c'est urgent", r"au minimum",
             r"(?:doi(?:t|vent)|devez) (?:agir|se battre|intervenir|reagir|faire quelque chose|taper)")
MUST = _rx(r"(?:il )?faut")  # the indicative order: a complaint even without a problem named

# --- problems --------------------------------------------------------------------------------------
# A fault or nuisance of the public space (what the services repair, clean or stop).
PROBLEM = _rx(
    r"en panne", r"casse(?:e|s|es)?", r"hors service", r"hs", r"bouche(?:e|s|es)?", r"fuite", r"fuit",
    r"effondre(?:e|s|es)?", r"tombe(?:e|s|es)? (?:sur|en travers|au milieu|dans)",
    r"(?:a ete|ont ete|est|sont|panneaux?(?: \w+)?|grilles?|grillages?|poteaux?|barrieres?|potelets?|"
    r"bancs?) arrache(?:e|s|es)?",
    r"deborde(?:nt)?", r"debordante?s?", r"pleine?s? a craquer", r"inonde(?:e|s|es)?", r"depots? sauvages?",
    r"nids?[- ]de[- ]poule", r"eteint(?:e|s|es)?",
    r"ne (?:fonctionne|marche|s'allume|s'eteint|ferme|passe) (?:plus|pas)", r"ne passent? plus",
    r"endommage(?:e|s|es)?", r"degrade(?:e|s|es)?", r"abime(?:e|s|es)?", r"defonce(?:e|s|es)?",
    r"trou (?:enorme|beant|dans)", r"des trous", r"clignote",
    r"voitures? (?:ventouses?|abandonnees?|brulees?|epaves?)", r"epaves?",
    r"encombrants? (?:devant|sur|rue|sur le trottoir|depuis|abandonnes?)",
    r"abandonne(?:e|s|es)? (?:devant|sur|dans|au|a|en|pres|derriere|le long)", r"frelons?", r"guepes",
    r"nid de (?:frelons|guepes)", r"descelle\w*", r"souleve\w*", r"manquant\w*", r"coupure\w*",
    r"dans un (?:etat|sale etat)", r"insalubre\w*", r"odeurs?", r"rats?", r"souris", r"gravats", r"seringues?",
    r"tags?", r"graffitis?", r"vitres? brisees?", r"sans eclairage", r"pas (?:d'eclairage|de lumiere)",
    r"dans le noir", r"plus d'eau", r"plus de lumiere", r"pas ramasse(?:e|s|es)?", r"pas ete ramasse\w*",
    r"(?:poubelles?|ordures|dechets|sacs?|detritus|crottes?|dejections)(?: de chiens?)? (?:partout|sur (?:le|"
    r"les) trottoirs?|devant|qui trainent|jonchent|traine\w*|depuis|pas ramasse\w*|non ramasse\w*|debordent|"
    r"eventre\w*)",
    r"jonche\w*", r"salete",
    r"(?:trottoir|chaussee|route|rue|piste cyclable|passage) (?:impraticable|glissante?|dangereu\w+|defonce\w*|"
    r"inonde\w*|encombre\w*)",
    r"impraticable", r"(?:branche|arbre)s? (?:menace\w*|tombe\w*|penche\w*|dangereu\w*)", r"bruit", r"nuisances?",
    r"tapage", r"rodeos?", r"squat\w*", r"stationnement sauvage",
    r"gare(?:e|s|es)? sur (?:le trottoir|la piste|les places)",
    r"bloque(?:e|s|es)? (?:le|la|les) (?:passage|trottoir|sortie|acces|rue)", r"fissure\w*", r"moisissure\w*",
    r"humidite", r"infiltration\w*", r"chauffage en panne", r"pas de chauffage",
    r"froid dans (?:la|les) (?:classe|salle)", r"herbes? hautes?", r"pas (?:entretenu|tondu|nettoye|repare)\w*",
    r"jamais (?:nettoye|entretenu|repare|ramasse|passe|tondu)\w*", r"a l'abandon", r"danger",
    r"dangereu(?:x|se|ses)", r"pas de (?:passage pieton|trottoir|ralentisseur|bus|ramassage|collecte)",
    r"(?:feu|feux) (?:rouges? |tricolores? )?(?:en panne|hs|eteints?|ne marchent? plus)",
    r"panneau\w* (?:tombe|tordu|illisible|arrache|manquant)\w*",
    r"(?:bus|tram|navette)s? (?:en retard|supprime\w*|ne passe\w* plus|jamais a l'heure)", r"inondations?",
    r"sous l'eau", r"tordu\w*", r"penche\w*", r"(?:n'est|ne sont) pas passe\w*",
    r"impossible de (?:payer|acceder|se connecter|joindre|stationner|circuler|passer|se garer|dormir|traverser)",
    r"(?:site|appli\w*|application|portail|serveur|logiciel|espace \w+|ca|il|elle)(?: \w+){0,2} plante\w*",
    r"(?:il )?pleut (?:dans|sur|a l'interieur)",
    r"bugu?e?\w*", r"pas (?:ete )?(?:vide|ramasse|collecte|nettoye|repare|tondu|entretenu|deneige|sale|releve)\w*",
    r"(?:a|ont) (?:completement |totalement )?disparu", r"efface\w*", r"n'arrive (?:pas|plus) a",
    r"(?:message d'|affiche une )erreur", r"ne peuvent plus", r"ne peut plus", r"crottes? de chiens?",
    r"dejections? canines?", r"laisse\w* a l'abandon", r"sans (?:chauffage|eau|electricite|lumiere)",
    r"(?:n'est|ne sont|n'etait|n'a|n'ont) (?:plus|pas|jamais) (?:ete )?(?:tondu|entretenu|nettoye|repare|eclaire|"
    r"ramasse|vide|deneige|refait|remplace)\w*",
    r"depots? (?:d'\w+ )?sauvages?", r"s'accumulent", r"reste (?:au rouge|bloque|ferme|eteint)\w*",
    # fallen, hanging, broken, overflowing (state of equipment)
    r"(?:couche|renverse|tombe|jete)(?:e|s|es)? (?:par terre|au sol|sur la chaussee|sur le trottoir)",
    r"pend(?:ent|ouille\w*)", r"a nu", r"denude\w*", r"explose(?:e|s|es)?", r"brise(?:e|s|es)?",
    r"creve(?:e|s|es)?", r"(?:verre|papiers|dechets|canettes|ordures|feuilles|boue|plastiques?|detritus) partout",
    r"(?:a ras bord|a craquer|pleine?s? (?:a ras|de dechets|d'ordures|d'algues|de boue|de detritus))",
    r"inutilisable\w*", r"hors d'usage", r"impossible (?:de|d'|pour|avec)",
    r"(?:avale|garde|mange)\w* (?:les|la|mes|ma|nos) (?:pieces|carte|ticket|monnaie)",
    r"ne (?:rend|delivre|donne|imprime|lit|accepte|repond|charge|demarre|coule|s'ouvre|ferme) (?:plus|pas|jamais|rien)",
    r"sans (?:donner|rendre|delivrer)",
    r"sans (?:aucun |aucune )?(?:panneau|signalisation|eclairage|marquage|barriere|protection|poubelle)s?",
    r"aucune? (?:panneau|signalisation|poubelle|eclairage|marquage|barriere|banc|abri)s?",
    # encroaching, invading
    r"depasse\w* sur", r"empiete\w*", r"envahi\w*", r"deborde\w* sur",
    # water, smells, pests
    r"eau (?:du robinet )?(?:est |etait |sort |coule )?(?:marron|trouble|jaune|noire|brune|coupee)",
    r"(?:douches?|eau) (?:froides?|glacee?s?)", r"(?:sans|pas d'|plus d') ?eau chaude", r"algues",
    r"(?:ca|il|elle|ils|elles) (?:sent|sentent|pue|puent)\b(?! bon)", r"puanteur", r"stagn\w*", r"errant\w*",
    r"moustiques?", r"pullul\w*", r"nuisibles", r"cafards?", r"punaises",
    # a service that fails its users
    r"(?:je|on|nous) (?:ne )?(?:recois|recoit|recevons) (?:jamais|pas|rien|aucun)", r"jamais (?:recu|eu de)",
    r"(?:\d+ ?h|\d+ heures?|\d+ minutes|une heure|deux heures) d'attente", r"attente interminable",
    r"injoignable\w*", r"verglas", r"ne (?:se |s')\w+ (?:plus|pas)", r"glisse(?:nt|ante?s?)?",
    r"n'importe qui (?:peut|peuvent) (?:entrer|rentrer|passer|acceder)", r"fendu\w*", r"ebreche\w*", r"rouille\w*",
    r"pourri\w*", r"branlant\w*",
    r"bancal\w*", r"instable\w*", r"(?:sort|sortent|depasse|depassent) du (?:sol|mur|trottoir)", r"flaques?",
    r"eau stagnante", r"plaques? de (?:glace|verglas)", r"calcine\w*",
    r"(?:distributeurs?|bacs?|reservoirs?)(?: \w+){0,6} (?:est |sont )?vides?",
    r"a perdu (?:deux|trois|ses|sa|son|une|un|des)",
    r"on (?:ne )?dort (?:plus|pas)", r"(?:plus|pas) d'abri",
    r"supprime\w* (?:\d+|des|les|la|le|nos|notre)",
)
# Persistence or weariness: a complaint when it is about a municipal matter.
PERSISTENCE = _rx(
    r"toujours pas", r"toujours aucune?", r"toujours rien", r"toujours le meme", r"toujours en panne",
    r"toujours ferme", r"toujours aussi", r"encore une fois", r"une fois de plus",
    r"encore (?:en panne|bouche|une coupure|un|une)", r"ras[- ]le[- ]bol",
    r"(?:j'en ai|on en a|y en a|nous en avons) (?:marre|assez|ras le bol)", r"marre", r"on n'en peut plus",
    r"j'en peux plus", r"personne ne (?:nous |me |vous )?(?:fait|bouge|repond|vient|passe|s'en occupe|rappelle)",
    r"rien n'est fait", r"personne (?:pour|n'est venu|ne s'en occupe)",
    r"(?:on|nous|j') attend(?:s|ons)? (?:une|des|votre|vos) (?:reponse|retour|explication|nouvelle)s?",
    r"rien ne (?:bouge|change|se passe)", r"aucune reponse", r"sans reponse",
    r"pas de reponse", r"jamais de reponse", r"aucun retour", r"sans nouvelles",
    r"sans (?:aucune )?(?:information|explication)",
    r"depuis (?:des|plusieurs|\d+|deux|trois|quatre|cinq|six|huit|dix|quinze) (?:jours|semaines|mois|ans|annees)",
    r"depuis (?:une|un) (?:semaine|mois|an)", r"depuis l'(?:ete|hiver|automne)", r"depuis le printemps",
    r"(?:ca|cela) fait (?:des|plusieurs|\d+|deux|trois|quatre|cinq|six|huit|dix|quinze) (?:jours|semaines|mois|"
    r"ans)",
    r"nos impots", r"on paie (?:des|nos) (?:impots|abonnements|taxes)\w*", r"pour rien",
    r"ca suffit(?! (?:pour|a|largement|amplement|bien))", r"on attend toujours", r"j'attends toujours",
    r"nous attendons toujours", r"on se moque (?:de nous|du monde)", r"se fout", r"foutage de gueule",
    r"aucun entretien", r"abandonne\w* par", r"on nous oublie", r"oublie\w* de la mairie",
    r"c'est la (?:deuxieme|troisieme|quatrieme|\d+e|enieme) fois",
    r"(?:\d+|deux|trois|quatre|cinq|plusieurs) fois (?:cette|ce|par|en|dans la|dans le) (?:semaine|mois|an|annee|jour)",
    r"(?<!pour )(?<!de )(?:\d+|deux|trois|quatre|cinq|six|huit|dix|quinze) (?:jours|semaines|mois|ans) "
    r"(?:de travaux|d'attente|sans)",
    r"chaque (?:semaine|jour|annee|nuit|week-end) c'est", r"tous les (?:jours|soirs|week-ends|matins) c'est",
    r"j'ai (?:deja )?(?:signale|appele|ecrit|relance)", r"deja signale\w*", r"relance\w*", r"a plusieurs reprises",
    r"jamais (?:nettoye|entretenu|repare|ramasse|passe|tondu|vu personne)\w*", r"ne vient jamais", r"promis",
    r"depuis (?:\d+|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|vingt) (?:soirs|nuits|jours|semaines|mois|ans|"
    r"annees)",
    r"depuis (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|la semaine derniere|le mois dernier|"
    r"des lustres|toujours|longtemps|la rentree|le debut)",
    r"tous les (?:soirs|jours|week-ends|matins|nuits)", r"chaque (?:soir|nuit|matin|week-end)",
    r"encore (?:pour|une|un|ferme\w*|annule\w*|en retard)", r"ca devient une habitude", r"toujours en retard",
    r"jamais a l'heure",
    r"depuis (?:le mois de |la mi-|fin |debut )?(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
    r"octobre|novembre|decembre)",
    r"pas une (?:seule )?reponse", r"aucune nouvelle", r"pas de nouvelles?", r"jamais eu de reponse",
    r"toujours sans", r"ca commence a (?:bien faire|faire long|suffire|durer)",
    r"(?:ca|cela) (?:dure|traine) depuis", r"devai(?:t|ent) (?:durer|etre (?:fini|termine|livre)|finir|rouvrir)",
)
# Outrage: a complaint only with a concrete problem (alone it is rhetoric).
OUTRAGE = _rx(
    r"inadmissible", r"inacceptable", r"scandale\w*", r"honteux", r"honte", r"lamentable", r"n'importe quoi",
    r"insupportable", r"degoutant", r"deplorable", r"catastrophique", r"pitoyable", r"intolerable",
    r"c'est penible", r"immonde", r"infernal\w*", r"indigne", r"une honte",
    r"bravo (?:la|pour la|a la) (?:gestion|organisation|mairie|ville|municipalite)",
)
# A question that blames the collectivité for a problem: with the problem stated, a complaint.
# Impatience alone makes a question a complaint ("Toujours rien. Vous attendez quoi ?"); "Qu'attend la mairie
# pour… ?" stays a question unless a problem is stated with it.
IMPATIENCE = _rx(r"(?:vous|on) attend(?:ez|ons)? quoi", r"il faudra (?:un|qu')", r"combien de temps encore",
                 r"toujours rien", r"toujours pas", r"c'est (?:la|une) (?:\w+ )?blague")
BLAME = _rx(r"qu'attend\w*", r"que (?:fait|font) (?:la|le|les|vous)", r"(?:vous|on) attend(?:ez|ons)? quoi", r"enfin",
            r"il faudra (?:un|qu')", r"(?:allez|comptez)-vous", r"vous (?:traitez|intervenez|passez|reparez|comptez)",
            r"(?:allez|comptez) (?:vous|vraiment)", r"jusqu'a quand", r"combien de temps encore")
# A question that asks the collectivité to act, not to inform: a service request.
ACTION_ASK = _rx(
    r"pouvez-vous", r"pourriez-vous", r"pouvez vous", r"pourriez vous", r"serait-il possible",
    r"est-il possible d", r"pourquoi (?:ne pas|pas)", r"ne pourrait-on pas",
    r"pourrait-on (?:avoir|installer|mettre|prevoir)", r"peut-on avoir", r"ne serait-il pas",
    r"serait-il (?:envisageable|prevu de)", r"est-il envisageable", r"(?:est-ce qu'on|on) (?:pourrait|peut) avoir",
    r"(?:vous|tu) (?:pouvez|pourriez|pourrais|peux) (?:m'|nous |me |le |la |les |l')?\w+(?:er|ir|re)\b",
    r"(?:quelqu'un|la mairie|la ville|un agent|un service|vous)(?: \w+){0,3} (?:peut|pourrait|peuvent|pourraient) "
    r"(?:passer|venir|intervenir|nous aider|m'aider|l'aider|les aider|se deplacer)",
)

# --- frames that make a text something else than a request -------------------------------------------
THANKS = _rx(
    r"merci(?! de (?:le |la |les |l'|me |m')?(?:bien vouloir|"
    r"(?!votre|notre|leur|vous|nous|m'avoir|nous avoir|l'avoir|les avoir|"
    r"avoir)\w+(?:er|ir|re)))(?! d'avance| par avance| d'(?!avance)\w+(?:er|ir|re)\b)",
    r"bravo(?! (?:la|pour la|a la) (?:gestion|organisation|mairie|ville|municipalite))", r"felicitations",
    r"chapeau", r"top (?:les|la|le)", r"super (?:travail|boulot)", r"bon travail",
    r"beau travail", r"quelle reactivite", r"reactivite",
    r"rapidement (?:repare|intervenu|enleve|nettoye|remplace|traite)\w*",
    r"(?:enfin|bien) (?:repare|refait|reparee|refaite|remplace|nettoye|enleve|rebouche|rouvert|installe)\w*",
    r"(?:a|ont) ete (?:repare|refait|remplace|nettoye|enleve|ramasse|rebouche|retire|evacue|degage|traite|elague|"
    r"efface)\w*",
    r"c'est (?:repare|regle|reglé|fait|bon maintenant|resolu)", r"probleme (?:regle|resolu)", r"tout est revenu",
    r"(?:c'est|est) revenue?", r"retour a la normale", r"tout est rentre dans l'ordre", r"remis en service",
    r"courage (?:a|aux)", r"soutien aux", r"pensees pour",
)
RELAY = _rx(
    r"pour info\w*",
    r"programme(?:e|s|es)? (?:le|ce|cette|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|de|du|pour)",
    r"soyez prudents?", r"prudence", r"evitez (?:le|la|les)", r"pour information", r"info :", r"infos? pratiques?",
    r"a savoir", r"rappel :", r"selon (?:la|le|les|l')", r"d'apres (?:la|le|les|l')",
    r"(?:la mairie|la ville|le maire|la prefecture|la mel|les pompiers|la police|la metropole) (?:a|ont|vient d'|"
    r"viennent d') ?(?:confirme|annonce|indique|precise|communique|publie|informe|decide|fait savoir)",
    r"a lire", r"article", r"la voix du nord", r"nord eclair", r"communique", r"on apprend que", r"j'ai lu que",
    r"il parait que", r"c'est confirme", r"c'est officiel", r"officiel :", r"source :", r"via @?\w+", r"je relaie",
    r"je partage", r"partagez", r"a partager", r"rt @?\w+", r"flash info", r"alerte meteo",
    r"vigilance (?:orange|rouge|jaune)",
    r"(?:la|le|les) \w+ (?:sera|seront|est|sont) (?:ferme|fermee|fermes|fermees|ouvert|ouverte|ouverts|"
    r"ouvertes) (?:demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce|cette|jusqu'au|du|a partir)",
    r"prevue?s? (?:le|ce|cette|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|de \d|du|pour|jusqu)",
    r"recrute\w*", r"offre d'emploi", r"(?:a|ont) poste (?:les|des|l')\s?infos?",
    r"nos (?:equipes|services|agents)",
    r"(?:interviendront|interviennent|sont intervenus|vont intervenir)(?! quand)", r"nous vous informons",
    r"(?:la ville|la mairie|la commune) vous informe", r"merci de votre (?:patience|comprehension)",
    r"(?:a|ont) (?:indique|declare|precise|explique) (?:le|la|l'|les|que)", r"a-t-on appris",
    r"a-t-il (?:indique|precise|declare)", r"ils (?:m'|nous )?ont (?:dit|repondu|confirme|assure)",
    r"(?:ils|elles|la mairie|les services|la ville) (?:sont|est) (?:deja )?au courant",
    r"(?:une|l') equipe (?:arrive|passe|va passer|est en route|est sur place|est passee)",
)
OPINION = _rx(
    r"perso", r"personnellement",
    r"je suis (?:pour|contre|d'accord|pas d'accord|plutot pour|plutot contre|favorable|defavorable)",
    r"je comprends", r"a mon avis", r"selon moi", r"je pense que", r"je trouve que", r"je crois que",
    r"d'accord avec", r"pas d'accord", r"moi je", r"de mon cote", r"pour ma part", r"je rejoins", r"tu as raison",
    r"vous avez raison", r"t'as raison", r"je vote", r"je soutiens", r"(?:bonne|mauvaise|excellente) idee",
    r"entierement d'accord", r"je prefere", r"ca se discute", r"c'est discutable", r"en meme temps",
    r"(?:ont|a|avez|as) (?:tous )?raison", r"les deux (?:ont|se valent)",
)
# Events observed (accidents, weather, traffic): information, not a fault the town repairs.
EVENT = _rx(
    r"accident", r"(?:quel|le|du|au) match", r"carambolage", r"collision", r"(?:un|l'|cet|gros|violent) incendie",
    r"pompiers", r"orage", r"tempete", r"grele", r"embouteillage\w*", r"bouchons?", r"ca roule mal",
    r"trafic (?:perturbe|dense)", r"la route est coupee", r"route coupee", r"ralentissements?",
    r"infos? (?:trafic|route|routiere)",
)
ADDRESS = _rx(
    r"mairie", r"la ville", r"la commune", r"municipalite", r"monsieur le maire", r"madame la maire", r"le maire",
    r"la maire", r"m\. le maire", r"elus?", r"services? techniques", r"vos services", r"les services",
    r"conseil municipal", r"metropole", r"la mel", r"agglo", r"police municipale", r"adjoint\w*",
)
LOCAL = _rx(
    r"rue", r"avenue", r"boulevard", r"bd", r"place (?:du|de|des)", r"quartier", r"chemin", r"allee", r"impasse",
    r"residence", r"cite", r"lotissement", r"square", r"parc", r"carrefour", r"rond-point", r"trottoir",
    r"chaussee", r"ecole", r"piscine", r"mediatheque", r"cantine", r"creche", r"garderie", r"stade", r"salle",
    r"cimetiere", r"marche", r"dechetterie", r"parking", r"arret de bus", r"passage pieton", r"pont", r"berges?",
    r"jardin", r"aire de jeux", r"gymnase", r"centre social", r"chez (?:moi|nous)",
    r"(?:notre|ma) (?:rue|residence|impasse|allee)", r"(?:mon|notre) quartier", r"publi(?:c|que|cs|ques)",
    r"municipa\w+", r"communa(?:l|le|ux|les)", r"centre aere", r"centre de loisirs", r"periscolaire",
    r"autorisation", r"permis de \w+", r"demarches?", r"carte d'identite", r"passeport", r"etat civil",
    r"inscriptions?", r"tram", r"bus", r"horaires?", r"tarifs?", r"chantier", r"travaux", r"voirie", r"college",
    r"lycee", r"classe", r"equipements?", r"collectes?", r"ramassage",
    # public equipment and administration (documents, counters, registers, online services)
    r"scolaires?", r"nautique", r"patinoire", r"terrains?", r"city[- ]stade", r"skate[- ]?park", r"bibliotheque",
    r"ludotheque", r"conservatoire", r"abribus", r"horodateur\w*", r"lampadaires?", r"eclairage public",
    r"decheterie", r"livret de famille", r"acte de (?:naissance|deces|mariage)", r"duplicata", r"certificat\w*",
    r"attestation\w*", r"justificatif\w*", r"listes? electorales?", r"procuration", r"urbanisme", r"registre\w*",
    r"portail", r"guichets?", r"badge\w*", r"accueil", r"cadastre", r"concession",
)
RESIDENCE = re.compile(r"(?:j'habite|je vis|on habite|nous habitons|on vit|nous vivons|je suis ici)"
                       r"[^.,;!?]{0,40}depuis")
CONTRAST = re.compile(r"(?<![\w-])(?:mais|par contre|en revanche|cependant|sauf que|pourtant)(?![\w])")
_SENTENCE = re.compile(r"[^.!?\n]*\?")
# A question written without its "?": it opens or ends with an interrogative word ("je passe où", "quand est-ce
# que la piscine rouvre").
_UNMARKED_QUESTION = re.compile(
    r"(?:^(?:bonjour|bonsoir|salut|hello)?[ ,!]*(?:quand|comment|pourquoi|combien|est-ce qu\w*|a quelle (?:heure|date)|"
    r"quel(?:le)?s? (?:sont|est)|c'est quoi|c quoi|est[- ]ce qu\w*|ou (?:est|sont|peut|faut|se))\b[^?]*$)|"
    r"(?:(?:c'est|sont|est|sera|seront) quel(?:le)?s? (?:jour|heure|date|horaire|semaine|mois)s?\b[^?]*$)|"
    r"(?:^(?:bonjour|bonsoir)?[ ,!]*a (?:partir de )?quel(?:le)?s? (?:age|heure|date|moment|jour)\b[^?]*$)|"
    r"(?:quel(?:le)?s? (?:sont|est) (?:les?|la|l') ?\w+[ .!]*$)|"
    r"(?:(?<![\w'-])(?<!n'importe )(?:ou|comment|quand|combien|pourquoi|a qui)[ .!]*$)")


@dataclass(frozen=True)
class Reading:
    """What the rules read in a text: the kind of request (or None) and the words that made it one."""

    kind: str | None
    cue: str | None
    addressed: bool = False


def _framed(folded: str) -> bool:
    return bool(THANKS.search(folded) or RELAY.search(folded) or OPINION.search(folded))


def _first(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


_WEAK_PERSISTENCE = re.compile(r"(?:tous les|chaque|encore (?!une fois)|en permanence)")


def _persistence(folded: str, problem: str | None) -> str | None:
    """The first persistence cue; a frequency alone ("tous les soirs", "encore une") counts only with a problem."""
    for match in PERSISTENCE.finditer(folded):
        cue = match.group(0)
        weak = _WEAK_PERSISTENCE.match(cue) and not cue.endswith("c'est")
        if not weak or problem:
            return cue
    return None


def _imperative(folded: str) -> str | None:
    """A bare imperative addressed to the town; not the advice of a relayed warning ("vigilance orange : rentrez…")."""
    if _framed(folded) or EVENT.search(folded) or SCOLD.search(folded):
        return None
    match = IMPERATIVE.search(folded)
    return match.group(1) if match else None


def _asks(folded: str, to_the_town: bool = False) -> tuple[str, bool, bool] | None:
    """The first real question (not rhetoric, not a private matter): its cue, whether it asks for an action and
    whether it is a bare yes/no question (no interrogative word: "Le marché est maintenu pendant les travaux ?").

    ``to_the_town``: the text replies to a post of the collectivité, so any question in it is addressed to it.
    """
    bare = None
    for question in _SENTENCE.findall(folded):
        question = question.strip()
        if RHETORIC.search(question) or PRIVATE.search(question):
            continue
        action = _first(ACTION_ASK, question)
        if action:
            return action, True, False
        cue = _first(ASK, question)
        if cue:
            return cue, False, False
        words = question.rstrip("? ").split()
        if to_the_town and len(question) > 3:
            return " ".join(words[-6:]), False, False
        if bare is None and len(words) >= 3:
            bare = " ".join(words[-6:]) + " ?"
    return (bare, False, True) if bare else None


def read(text: str, own_accounts: tuple[str, ...] = (), parent_author: str | None = None) -> Reading:
    """The kind of request a text reads as, from its words alone (the matter is checked by the component)."""
    folded = RESIDENCE.sub(" ", fold(text))  # "j'habite rue Pasteur depuis vingt ans" is no persistence
    if "?" not in folded and _UNMARKED_QUESTION.search(folded.strip()):
        folded = folded.rstrip(" .!") + " ?"
    addressed = bool(ADDRESS.search(folded)) or any(
        f"@{fold(account)}" in folded for account in own_accounts if account) or parent_author == "mairie"
    event = EVENT.search(folded)
    problem = None if event else _first(PROBLEM, folded)
    persistence = _persistence(folded, problem)
    outrage = _first(OUTRAGE, folded)
    imperative = _imperative(folded)
    asked = _asks(folded, parent_author == "mairie")
    if asked and not (asked[2] and (_framed(folded) or RHETORIC.search(folded) or PRIVATE.search(folded))):
        cue, action, _ = asked
        if IMPATIENCE.search(folded) or (
                problem and (outrage or BLAME.search(folded) or imperative or (persistence and not action))):
            return Reading("complaint", cue, addressed or action)
        if action or ((NEED.search(folded) or DUTY.search(folded)) and not INDIRECT.search(folded)) or (
                HARDSHIP.search(folded) and AID.search(folded)):
            return Reading("service_request", cue, addressed or action)
        return Reading("question", cue, addressed)
    indirect = _first(INDIRECT, folded)
    if indirect:
        return Reading("question", indirect, addressed or "vous" in indirect)
    if PRIVATE.search(folded) and not addressed:  # a lost dog, a bike for sale: private, even with a problem word
        return Reading(None, None, addressed)
    demand = _first(DEMAND, folded) or imperative
    if demand:
        polite = POLITE.search(folded)
        exasperated = persistence or outrage or (not polite and (problem or imperative))
        return Reading("complaint" if exasperated else "service_request", demand,
                       addressed or demand == imperative or "vous" in demand)
    service = _first(SERVICE, folded) or _first(NEED, folded)
    if service:
        return Reading("service_request", service, addressed)
    if _framed(folded):
        tail = CONTRAST.split(folded)[-1]
        if tail == folded or _framed(tail):
            return Reading(None, None, addressed)
        folded = tail  # "Merci pour le ramassage, mais les sacs sont toujours là": the part after "mais"
        problem = None if event else _first(PROBLEM, folded)
        persistence = _persistence(folded, problem)
    if persistence:  # a lasting problem, even one an event caused ("inondée à chaque orage")
        return Reading("complaint", persistence, addressed)
    if outrage and problem:
        return Reading("complaint", f"{outrage} ({problem})", addressed)
    proposal = _first(PROPOSE, folded)
    if proposal:
        insist = (problem and INSIST.search(folded)) or MUST.match(proposal)
        return Reading("complaint" if insist else "service_request", proposal, addressed)
    if problem:
        return Reading("report", problem, addressed)
    return Reading(None, None, addressed)


SIGNALS = ("kind_question", "kind_report", "kind_complaint", "kind_service_request", "addressed", "matter",
           "topic", "local", "question_mark", "thanks", "relay", "opinion", "event", "private", "rhetoric", "demand",
           "imperative", "polite", "problem", "persistence", "outrage", "indirect", "need", "propose", "contrast",
           "reply_to_town", "reply_to_citizen", "reply_to_media", "short", "long")


def signals(text: str, reading: Reading, topics: bool, parent_author: str | None = None) -> dict[str, float]:
    """The speech acts the rules see in a text, as 0/1 features of the request model (``SIGNALS``):
    the rules' kind, the address and matter, and each frame or cue class found (cancelling ones too)."""
    folded = fold(text)
    local = bool(LOCAL.search(folded))
    found = {
        "addressed": reading.addressed, "matter": topics or reading.addressed or local, "topic": topics,
        "local": local, "question_mark": "?" in folded, "thanks": THANKS.search(folded),
        "relay": RELAY.search(folded), "opinion": OPINION.search(folded), "event": EVENT.search(folded),
        "private": PRIVATE.search(folded), "rhetoric": RHETORIC.search(folded), "demand": DEMAND.search(folded),
        "imperative": IMPERATIVE.search(folded), "polite": POLITE.search(folded), "problem": PROBLEM.search(folded),
        "persistence": PERSISTENCE.search(folded), "outrage": OUTRAGE.search(folded),
        "indirect": INDIRECT.search(folded), "need": NEED.search(folded) or SERVICE.search(folded),
        "propose": PROPOSE.search(folded), "contrast": CONTRAST.search(folded),
        "reply_to_town": parent_author == "mairie", "reply_to_citizen": parent_author == "citizen",
        "reply_to_media": parent_author == "media", "short": len(text) < 60, "long": len(text) > 300,
        **{f"kind_{kind}": reading.kind == kind for kind in KINDS},
    }
    return {name: float(bool(found[name])) for name in SIGNALS}


def original_words(text: str, cue: str | None) -> str | None:
    """The cue as the text writes it (accents, case) when folding kept the text's length, else folded."""
    if not cue:
        return cue
    folded = fold(text)
    start = folded.find(cue)
    if start < 0 or len(folded) != len(text):
        return cue
    return text[start:start + len(cue)]


@registry.misc("vigie.request_head.v1")
def request_head(path: str | None = None) -> RequestHeadSource:
    """The request model at ``path`` (default: the packaged ``nlp/data/models/request_e5_head_v1.npz``)."""
    return RequestHeadSource(path, DEFAULT_HEAD)


class RequestHeadSource(ModelSource):
    def get(self) -> RequestHead:
        if self._model is None:
            self._model = RequestHead.load(self.path)
        return self._model


@Language.factory(
    "vigie_request",
    default_config={"default_service": "accueil", "needs_matter": True, "profile": "accurate",
                    "head": {"@misc": "vigie.request_head.v1", "path": None}},
)
def make_request(nlp: Language, name: str, default_service: str, needs_matter: bool, profile: str,
                 head: RequestHeadSource) -> RequestDetector:
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    return RequestDetector(name, default_service, needs_matter, profile=profile, head=head)


def _meta(doc: Doc) -> dict:
    meta = doc.user_data.get(META)
    return meta if isinstance(meta, dict) else {}


def fallback_cue(text: str) -> str:
    """The words to show for a request the model found and the rules did not: the problem word, else the
    question, else the text's first words."""
    folded = fold(text)
    problem = _first(PROBLEM, folded)
    if problem:
        return problem
    questions = _SENTENCE.findall(folded)
    words = (questions[-1] if questions else folded).split()
    return " ".join(words[-8:] if questions else words[:8])


@dataclass
class Candidate:
    """What the component reads in one document before deciding."""

    doc: Doc
    reading: Reading | None = None  # None: not French, empty, or from the collectivité
    matter: bool = False
    signals: dict | None = None
    vetoed: bool = False  # a frame (thanks, relay, opinion) and no direct ask: never a request

    @property
    def scored(self) -> bool:
        """Whether the model reads it: French, not the collectivité's, a municipal matter, no veto."""
        return self.reading is not None and self.matter and not self.vetoed


class RequestDetector:
    """Sets ``doc._.request`` = {is_request, kind, service, cue}.  ``profile`` ``accurate``: the trained
    model (``vigie.nlp.components.request_model``) decides and gives the kind; ``fast``: the rules alone."""

    def __init__(self, name: str, default_service: str = "accueil", needs_matter: bool = True, *,
                 profile: str = "fast", head: RequestHeadSource | None = None):
        extensions.register()
        self.name = name
        self.default_service = default_service
        self.needs_matter = needs_matter
        self.profile = profile
        self.source = head or RequestHeadSource(None, DEFAULT_HEAD)

    @property
    def head(self) -> RequestHead:
        return self.source.get()

    def load(self) -> None:
        if self.profile != "accurate":
            return
        try:
            self.source.get()
            from vigie.nlp.components import _encoder

            _encoder.model(threads=1)
        except Exception as exc:
            raise PipelineLoadError(self.name, f"encoder or head {self.source.path}: "
                                               f"{type(exc).__name__}: {exc}") from exc

    def to_disk(self, path, *, exclude=()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.profile == "accurate":
            self.head.save(path / HEAD_FILE)

    def from_disk(self, path, *, exclude=()):
        path = ensure_path(path) / HEAD_FILE
        if path.exists():
            try:
                self.source.set(RequestHead.load(path))
            except Exception as exc:
                raise PipelineLoadError(self.name, f"{path}: {type(exc).__name__}: {exc}") from exc
        return self

    def to_bytes(self, *, exclude=()):
        return b""

    def from_bytes(self, data: bytes, *, exclude=()):
        return self

    @staticmethod
    def from_the_collectivite(doc: Doc) -> bool:
        """Articles and pages are not requests, nor what the collectivité's own accounts post."""
        meta = _meta(doc)
        if meta.get("kind") in ("article", "page"):
            return True
        author = meta.get("author")
        if isinstance(author, str):  # a bare handle
            author = {"handle": author}
        watch = doc._.watch
        return bool(watch and OwnAccounts(watch.own_accounts).is_author(author))

    def candidate(self, doc: Doc) -> Candidate:
        """The rules' reading of a document, its matter and its signals (the model's inputs besides the text)."""
        if not (is_french(doc) and len(doc)) or self.from_the_collectivite(doc):
            return Candidate(doc)
        watch = doc._.watch
        parent_author = _meta(doc).get("parent_author")
        reading = read(doc.text, watch.own_accounts if watch else (), parent_author)
        topics = bool(doc._.topics)
        folded = fold(doc.text)
        matter = topics or reading.addressed or bool(LOCAL.search(folded)) or not self.needs_matter
        vetoed = reading.kind is None and _framed(folded)
        return Candidate(doc, reading, matter, signals(doc.text, reading, topics, parent_author), vetoed)

    def _result(self, doc: Doc, kind: str, cue: str) -> dict:
        services = doc._.services or []
        return {"is_request": True, "kind": kind, "service": services[0] if services else self.default_service,
                "cue": original_words(doc.text, cue)}

    def decide(self, docs: list[Doc]) -> list[dict]:
        """``doc._.request`` of each document (the model runs once over the batch in the accurate profile)."""
        found = [self.candidate(doc) for doc in docs]
        results = [{"is_request": False, "kind": None, "service": None, "cue": None} for _ in docs]
        if self.profile != "accurate":
            for i, c in enumerate(found):
                if c.reading and c.matter and c.reading.kind:
                    results[i] = self._result(docs[i], c.reading.kind, c.reading.cue)
            return results
        wanted = [i for i, c in enumerate(found) if c.scored]
        if not wanted:
            return results
        from vigie.nlp.components.request_model import embeddings

        head = self.head
        vectors = embeddings([docs[i].text for i in wanted])
        table = head.table([found[i].signals for i in wanted])
        proba, kinds = head.proba(vectors, table), head.kind_proba(vectors, table)
        for row, i in enumerate(wanted):
            if proba[row] >= head.threshold:
                reading = found[i].reading
                results[i] = self._result(docs[i], head.kinds[int(np.argmax(kinds[row]))],
                                          reading.cue or fallback_cue(docs[i].text))
        return results

    def __call__(self, doc: Doc) -> Doc:
        doc._.request = self.decide([doc])[0]
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for batch in batches(docs, batch_size):
            yield from self._apply(batch)

    def _apply(self, docs: list[Doc]):
        for doc, result in zip(docs, self.decide(docs), strict=True):
            doc._.request = result
        return docs
