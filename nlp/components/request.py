"""vigie_request: questions, complaints, reports and suggestions addressed to the collectivité.

A text is a citizen request when it needs an answer or an action of the collectivité:
"Quand est-ce que la rue sera réparée ?" (question), "Toujours pas de ramassage des poubelles
rue X" (complaint), "Lampadaire en panne au 12 rue Y" (report), "Il faudrait un passage piéton
devant l'école" (suggestion).  Rules on the folded text (lowercase, no accents):

- a *question* is a sentence ending in "?" that asks about when, why, how, whether something is
  planned, or asks the collectivité directly ("pouvez-vous", "la mairie va-t-elle");
- a *complaint* carries an exasperation cue ("toujours pas", "inadmissible", "depuis des semaines");
- a *report* describes a fault ("en panne", "cassé", "fuite", "dépôt sauvage", "je signale");
- a *suggestion* proposes ("il faudrait", "pourquoi ne pas", "ce serait bien").

Each cue must come with a municipal matter: a topic of vigie_topics, an explicit address to
the collectivité (mairie, ville, élus, the watch's own accounts) or a public place (rue,
quartier…).  The first topic's service routes it (``default_service`` when no topic was found).
Articles and pages, and posts of the watch's own accounts (``vigie.accounts``), are never requests
(the enrichment driver puts the document's kind and author in ``doc.user_data["vigie_meta"]``).
When several kinds apply, the first of question, suggestion (a question that proposes, "pourquoi
pas…?"), complaint, report, suggestion wins: a question needs an answer before anything else.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from vigie.accounts import OwnAccounts
from vigie.nlp import extensions
from vigie.nlp.components.language import is_french
from vigie.textfold import fold

KINDS = ("question", "complaint", "report", "suggestion")
META = "vigie_meta"  # doc.user_data key: {"kind": Document kind, "author": {handle, id, name}}, set by nlp.enrich


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])")


ASK = _rx(
    r"quand", r"pourquoi", r"comment", r"est-ce qu", r"est ce qu", r"combien", r"ou (?:en|est|sont|peut|faut|se)",
    r"a quelle (?:heure|date)", r"jusqu'a quand", r"qui (?:s'occupe|doit|peut|va|gere|est responsable)",
    r"que (?:fait|compte|prevoit|va faire)", r"qu'attend", r"peut-on", r"peut on", r"pourra-t-on",
    r"pouvez-vous", r"pouvez vous", r"pourriez-vous", r"allez-vous", r"comptez-vous", r"savez-vous",
    r"sait-on", r"y a-t-il", r"y aura-t-il", r"est-il (?:prevu|possible|normal)", r"serait-il possible",
    r"[\w']+-t-(?:il|elle|on)", r"[\w']+-(?:vous|on)", r"est-ce normal", r"c'est normal", r"prevu", r"possible de",
    r"quel(?:le)?s? (?:sont|est|solution|date|horaire)",
)
COMPLAIN = _rx(
    r"toujours pas", r"toujours aucun", r"toujours rien", r"toujours le meme", r"encore une fois", r"une fois de plus",
    r"ras[- ]le[- ]bol", r"(?:j'en ai|on en a|y en a) marre", r"marre", r"inadmissible", r"inacceptable", r"scandale",
    r"scandaleux", r"honteux", r"honte", r"lamentable", r"n'importe quoi", r"personne ne", r"rien n'est fait",
    r"rien ne (?:bouge|change)", r"aucune reponse", r"sans reponse", r"pas de reponse", r"jamais de reponse",
    r"depuis (?:des|plusieurs|\d+|deux|trois|quatre|cinq|six|quinze) (?:jours|semaines|mois|ans|annees)",
    r"depuis (?:une|un) (?:semaine|mois|an)", r"depuis l'(?:ete|hiver|automne)", r"depuis le printemps",
    r"ca fait (?:des|plusieurs|\d+|deux|trois|quatre|cinq|six|quinze) (?:jours|semaines|mois|ans)",
    r"nos impots", r"on paie des impots", r"laisse(?:e|s|es)? a l'abandon", r"insupportable", r"degoutant",
    r"deplorable", r"catastrophique", r"pitoyable", r"intolerable", r"ca suffit", r"on attend toujours",
    r"j'attends toujours", r"plus personne", r"c'est penible", r"on se moque", r"se fout", r"foutage de gueule",
    r"aucun entretien", r"jamais (?:nettoye|entretenu|repare|ramasse|passe|vu)\w*", r"abandonne(?:e|s|es)? par",
    r"en a assez", r"on nous oublie", r"oublie(?:e|s|es)? de la mairie", r"quelle honte", r"c'est une honte",
    r"toujours en panne", r"toujours ferme", r"encore en panne", r"encore bouche", r"encore une coupure",
    r"c'est la troisieme fois", r"c'est la deuxieme fois", r"chaque (?:semaine|jour|annee) c'est",
)
REPORT = _rx(
    r"en panne", r"casse(?:e|s|es)?", r"hors service", r"hs", r"bouche(?:e|s|es)?", r"fuite", r"fuit",
    r"effondre(?:e|s|es)?", r"tombe(?:e|s|es)? (?:sur|en travers|au milieu|dans)",
    r"(?:panneau|grille|poteau|barriere|potelet|banc)s? (?:a ete |ont ete )?arrache(?:e|s|es)?",
    r"deborde(?:nt)?", r"inonde(?:e|s|es)?", r"depots? sauvages?", r"nids?[- ]de[- ]poule", r"eteint(?:e|s|es)?",
    r"ne (?:fonctionne|marche|s'allume) (?:plus|pas)", r"je (?:vous )?signale", r"signalement", r"a signaler",
    r"endommage(?:e|s|es)?", r"renverse(?:e|s|es)?", r"degrade(?:e|s|es)?", r"abime(?:e|s|es)?", r"defonce(?:e|s|es)?",
    r"trou (?:enorme|beant|dans)", r"clignote", r"voiture (?:ventouse|abandonnee|brulee)",
    r"encombrants? (?:devant|sur|rue)",
    r"odeur", r"rats?", r"il y a (?:un|une|des) (?:trou|fuite|arbre|branche|voiture|dechets|sacs|tas)",
    r"bloque(?:e|s|es)? (?:le|la|les)", r"plus d'eau", r"plus de lumiere", r"dans le noir", r"dangereu(?:x|se)",
    r"abandonne(?:e|s|es)? (?:devant|sur|dans|au|a|en|depuis)",
    r"gravats", r"seringues?", r"tags?", r"vitre brisee", r"a terre", r"renverse", r"sans eclairage",
)
SUGGEST = _rx(
    r"il faudrait", r"il faut (?:que|absolument|installer|mettre|creer|faire|prevoir|ajouter|remettre)",
    r"pourquoi ne pas", r"pourquoi pas", r"ce serait (?:bien|top|super|genial|utile|bien)",
    r"ca serait (?:bien|top|super|genial|utile)", r"serait-il possible", r"je propose", r"je suggere", r"suggestion",
    r"il serait temps", r"il serait (?:bien|utile|souhaitable)", r"on pourrait", r"vous pourriez", r"pourriez-vous",
    r"merci de (?:bien vouloir|(?!votre|notre|leur|vous|nous)\w+(?:er|ir|re))",
    r"il manque", r"on aimerait", r"nous aimerions", r"j'aimerais", r"on demande", r"nous demandons",
    r"serait souhaitable", r"a quand (?:un|une|des|le|la|les)", r"faudrait", r"mettre en place", r"installer",
)
ADDRESS = _rx(
    r"mairie", r"la ville", r"la commune", r"municipalite", r"monsieur le maire", r"madame la maire", r"le maire",
    r"la maire", r"elus?", r"services? techniques", r"vos services", r"les services", r"conseil municipal",
    r"metropole", r"agglo", r"police municipale",
)
LOCAL = _rx(r"rue", r"avenue", r"boulevard", r"bd", r"place (?:du|de|des)", r"quartier", r"chemin", r"allee",
            r"impasse", r"residence", r"cite", r"lotissement", r"square", r"parc", r"carrefour", r"rond-point")
PROPOSE = _rx(r"pourquoi ne pas", r"pourquoi pas", r"serait-il possible", r"pourriez-vous", r"vous pourriez",
              r"ne pourrait-on pas", r"ne serait-il pas")
_SENTENCE = re.compile(r"[^.!?\n]*\?")


@Language.factory(
    "vigie_request",
    default_config={"default_service": "accueil", "needs_matter": True},
)
def make_request(nlp: Language, name: str, default_service: str, needs_matter: bool) -> RequestDetector:
    return RequestDetector(name, default_service, needs_matter)


class RequestDetector:
    """Sets ``doc._.request`` = {is_request, kind, service}."""

    def __init__(self, name: str, default_service: str = "accueil", needs_matter: bool = True):
        extensions.register()
        self.name = name
        self.default_service = default_service
        self.needs_matter = needs_matter

    def kind(self, text: str, own_accounts: tuple[str, ...] = ()) -> tuple[str | None, bool]:
        """The kind of request the text reads as (or None), and whether it addresses the collectivité."""
        folded = fold(text)
        addressed = bool(ADDRESS.search(folded)) or any(
            f"@{fold(account)}" in folded for account in own_accounts if account)
        questions = _SENTENCE.findall(folded)
        if any(PROPOSE.search(q) for q in questions):
            return "suggestion", addressed
        if any(ASK.search(q) for q in questions):
            return "question", addressed
        if COMPLAIN.search(folded):
            return "complaint", addressed
        if REPORT.search(folded):
            return "report", addressed
        if SUGGEST.search(folded):
            return "suggestion", addressed
        return None, addressed

    @staticmethod
    def from_the_collectivite(doc: Doc) -> bool:
        """Articles and pages are not requests, nor what the collectivité's own accounts post."""
        meta = doc.user_data.get(META) or {}
        if meta.get("kind") in ("article", "page"):
            return True
        author = meta.get("author")
        if isinstance(author, str):  # a bare handle
            author = {"handle": author}
        watch = doc._.watch
        return bool(watch and OwnAccounts(watch.own_accounts).is_author(author))

    def __call__(self, doc: Doc) -> Doc:
        result = {"is_request": False, "kind": None, "service": None}
        if is_french(doc) and len(doc) and not self.from_the_collectivite(doc):
            watch = doc._.watch
            kind, addressed = self.kind(doc.text, watch.own_accounts if watch else ())
            services = doc._.services or []
            matter = bool(doc._.topics) or addressed or bool(LOCAL.search(fold(doc.text)))
            if kind and (matter or not self.needs_matter):
                result = {"is_request": True, "kind": kind,
                          "service": services[0] if services else self.default_service}
        doc._.request = result
        return doc
