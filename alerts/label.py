"""The readable label of an alert: the event in French nouns, and where it happens.

    « Inondation, cave — rue des Saules, Lambersart »

- **Event words** are the lemmas of the nouns (spaCy ``fr_core_news_sm`` part-of-speech tags) found in
  the most documents of the alert: never a verb, a stop word, a number, a handle, a link, a hashtag
  mark, a retweet marker (``rt``, ``via``) nor one of the generic words of social posts (``info``,
  ``photo``, ``gens``…). Two at most, each in at least two documents (or the only one there is).
- **The place** is the most cited specific place (a street, a quarter, a road: ``rue des Saules``,
  ``Pacot-Vandracq``, ``D933``), then the most cited commune or locality. Places come from the text
  (street patterns, road references, spaCy's location entities) and from the enrichment
  (``territory.places``, the communes recognised). Road references keep their digits (``D933``,
  ``RN41``, ``A25``): they are place names; any other token with a digit is left out.

Only documents of alerts are analysed, a few milliseconds each: detection itself never waits for spaCy.
The model is loaded once per process. ``label_junk`` is the check the tests and the evaluation apply to
a finished label.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from vigie.stopwords import FRENCH
from vigie.textfold import fold

MAX_EVENT_WORDS = 2
# nouns of social posts that say nothing of the event
GENERIC_WORDS = """
info infos information message post tweet thread fil photo photos video vidéo lien article
gens monde personne truc chose fois jour jours soir matin nuit midi heure heures minute minutes
semaine mois an ans année instant moment coup cas ville commune quartier secteur rue route avenue
boulevard place chemin côté niveau bout partie merci bravo courage besoin question réponse
mairie maire habitant habitants voisin voisins ami amis copain copine abonné abonnés compte
cm km mètre mètres euro euros h min lol mdr svp stp rt via mt cc dm pj
"""
GENERIC = {fold(w) for w in GENERIC_WORDS.split()}
STOP = FRENCH | GENERIC

HANDLE = re.compile(r"(?<![\w.])@[\w.]+(?:@[\w.-]+)?")
URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:fr|com|org|net|example|info|eu)(?:/\S*)?\b")
RT_MARK = re.compile(r"^\s*(?:RT|MT)\b\s*:?\s*|\b(?:via|cc)\s*:?\s*(?=@)", re.IGNORECASE)
HASH_MARK = re.compile(r"#(?=\w)")
HASH_TAIL = re.compile(r"(?:\s+#[\w-]+)+\s*$")   # the hashtags closing a post: not part of its last phrase
# a road reference: D933, RD 17, RN41, N41, A25, M700, CD12 (one to four digits, one letter suffix)
ROAD = re.compile(r"\b(?:(?:R?[DN]|CD|RM)\s?|[AM]|(?:r?[dn]|cd)(?=\d))\d{1,4}[a-z]?\b")
ROAD_TOKEN = re.compile(r"^(?:r?[dn]|a|m|cd|rm)\d{1,4}[a-z]?$", re.IGNORECASE)
STREET_WORDS = ("rue", "avenue", "av.", "boulevard", "bd", "place", "chemin", "quai", "impasse", "allée",
                "allee", "route", "rond-point", "carrefour", "pont", "parc", "square", "passage", "cours",
                "résidence", "residence", "quartier", "sentier", "voie", "esplanade", "porte", "parvis",
                "plage", "stade", "gare", "port", "canal", "mont", "forêt", "bois", "lac", "école", "collège",
                "lycée", "piscine", "usine", "église", "cimetière", "zone", "hôpital", "salle")
UPPER = r"[A-ZÀ-ÖØ-Þ]"
NAME = UPPER + r"[\w'’-]*"
CONNECT = r"(?:de\s+la|de\s+l['’]|des|du|de|d['’]|la|le|les|l['’]|aux|au)"
# a street word (any case), then capitalised words, with "de", "des", "la"… between them
STREET = re.compile(
    r"\b((?i:" + "|".join(re.escape(w) for w in STREET_WORDS) + r"))\s+"
    r"((?:" + CONNECT + r"\s*)?" + NAME
    + r"(?:(?:\s+|-)(?:(?:" + CONNECT + r"|et|sur|lez|sous)(?:\s+|-|(?<=['’])))?" + NAME + r")*)")
WORD = re.compile(r"[\w'’-]+")
# the same in lower case, as casual posts write it (« rue des saules »): only with « de », « des »,
# « du »… before one name; a capitalised place cited as often goes first ("weak" places)
WEAK_STREET = re.compile(
    r"\b((?i:" + "|".join(re.escape(w) for w in STREET_WORDS) + r"))\s+"
    r"((?:de\s+la|de\s+l['’]|des|du|de|d['’])\s*[a-zà-öø-ÿœ][\w-]{2,})")
# a compound proper name, the way quarters and communes are written: Pacot-Vandracq, Saint-André-lez-Lille,
# Villeneuve-d'Ascq (not a compound first name: Jean-Pierre)
COMPOUND = re.compile(UPPER + r"[a-zà-öø-ÿœ]+(?:-(?:(?:lez|les|sur|en|sous|de|du|la|le|d['’]|l['’])-?)*"
                      + UPPER + r"[\w'’]*)+")
# proper nouns after "la", "le", "l'" that are institutions, not places
INSTITUTIONS = {"metropole", "prefecture", "mairie", "ville", "region", "police", "gendarmerie", "poste", "sncf",
                "republique", "france", "nord", "voix", "commune", "departement", "ministere", "meteo"}
GIVEN = {"jean", "marie", "anne", "pierre", "paul", "louis", "jacques", "marc", "claude", "michel", "francois",
         "jean-", "luc", "yves", "rose", "charles", "henri", "andre", "rene", "guy", "eric", "hugo"}


def clean(text: str) -> str:
    """The words of a post without what a relay adds: links, handles, ``RT``/``via`` markers, ``#``."""
    text = URL.sub(" ", text or "")
    text = RT_MARK.sub(" ", text)
    text = HANDLE.sub(" ", text)
    text = HASH_TAIL.sub(lambda m: ". " + m.group(0).replace("#", " ").strip(), text)
    text = HASH_MARK.sub("", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("fr_core_news_sm", disable=["parser"])


def _weak(display: str) -> bool:
    """A place written all in lower case (« rue des saules »): less sure than a capitalised one."""
    return not any(c.isupper() for c in display)


def _is_event_word(lemma: str) -> bool:
    key = fold(lemma)
    # "évitez", "appelez": imperatives the tagger takes for nouns
    return len(key) >= 3 and key.isalpha() and key not in STOP and not (key.endswith("ez") and len(key) > 4)


def _street_places(text: str) -> list[str]:
    return [f"{m.group(1).lower()} {m.group(2)}" for m in STREET.finditer(text)]


class DocFacts:
    """What the labeller keeps of one document: noun lemmas and places (display form, folded key)."""

    __slots__ = ("nouns", "places", "specific", "territory", "text_key")

    def __init__(self, nouns: set[str], places: dict[str, str], specific: set[str], territory: set[str] = frozenset(),
                 text_key: str = ""):
        self.text_key = text_key   # the words of the post once relay marks are gone: a retweet has its original's
        self.nouns = nouns
        self.places = places       # folded key -> display form
        self.specific = specific   # folded keys of streets, quarters, roads
        self.territory = territory  # folded keys of the watch's own place names (communes)


def _tagged(cleaned: list[str], known: list[bool]):
    """spaCy docs of the texts; the entity recogniser (more than half of the cost) only runs on the texts
    whose places the NLP stage has not already found."""
    nlp = _nlp()
    with nlp.select_pipes(disable=["ner"]):
        light = dict(zip((i for i, k in enumerate(known) if k),
                         nlp.pipe([t for t, k in zip(cleaned, known, strict=True) if k], batch_size=64), strict=True))
    full = dict(zip((i for i, k in enumerate(known) if not k),
                    nlp.pipe([t for t, k in zip(cleaned, known, strict=True) if not k], batch_size=64), strict=True))
    return [light[i] if i in light else full[i] for i in range(len(cleaned))]


def analyse(texts: list[str], enriched_places: list[list[str]] | None = None,
            communes: list[list[str]] | None = None, enriched: list[bool] | None = None) -> list[DocFacts]:
    """Nouns and places of each text (one spaCy pass over all of them).  ``enriched_places`` are the places
    the NLP stage found (``territory.places``, location entities); ``enriched`` says which texts it
    enriched (no entity recognition again for those)."""
    cleaned = [clean(t) for t in texts]
    out = []
    for i, doc in enumerate(_tagged(cleaned, enriched or [False] * len(cleaned))):
        text = cleaned[i]
        places: dict[str, str] = {}
        specific: set[str] = set()
        for p in _street_places(text):
            key = fold(p)
            places.setdefault(key, p)
            specific.add(key)
        for m in WEAK_STREET.finditer(text):
            name = f"{m.group(1).lower()} {m.group(2)}"
            key = fold(name)
            last = fold(re.split(r"[\s'’]+", m.group(2))[-1])
            if last not in STOP and not any(key in k or k in key for k in places):
                places.setdefault(key, name)
                specific.add(key)
        for m in COMPOUND.finditer(text):
            name = m.group(0)
            key = fold(name)
            if key.split("-")[0] not in GIVEN and not any(key in k for k in places):
                places.setdefault(key, name)
                specific.add(key)
        for j, tok in enumerate(doc):
            # la Sambre, la Deûle, le Mont Noir: a proper noun after an article names a river or a site
            if tok.pos_ in ("PROPN", "NOUN") and j > 0 and doc[j - 1].lower_ in ("la", "le", "l'", "l’") \
                    and tok.text[:1].isupper() and not tok.text.isupper() and tok.is_alpha \
                    and fold(tok.text) not in INSTITUTIONS and not any(fold(tok.text) in k for k in places):
                places.setdefault(fold(tok.text), tok.text)
                specific.add(fold(tok.text))
        for m in ROAD.finditer(text):
            p = m.group(0).replace(" ", "").upper()
            places.setdefault(fold(p), p)
            specific.add(fold(p))
        for p in (enriched_places[i] if enriched_places else []):
            key = fold(p)
            if key and not any(key in k for k in places):
                places.setdefault(key, p)
                if any(fold(p).startswith(w + " ") for w in STREET_WORDS) or ROAD_TOKEN.match(p) or "-" in p:
                    specific.add(key)
        for ent in doc.ents:
            if ent.label_ not in ("LOC", "GPE") or not any(t.pos_ == "PROPN" for t in ent):
                continue  # "Évitez le secteur": a verb taken for a place
            name = ent.text.strip(" .,;:!?'’\"")
            key = fold(name)
            if not name or not re.match(UPPER, name) or (any(c.isdigit() for c in name)
                                                                    and not ROAD_TOKEN.match(name)):
                continue
            if key in STOP or any(key in k for k in places):
                continue
            places.setdefault(key, name)
            if "-" in name and len(name.split()) == 1:
                specific.add(key)  # Pacot-Vandracq, Canon-d'Or: compound names of quarters
        territory = set()
        for c in (communes[i] if communes else []):
            key = fold(c)
            if key and key in fold(text):
                places.setdefault(key, c)
                territory.add(key)
                specific.discard(key)
        place_words = {fold(w) for p in places.values() for w in re.split(r"[\s'’-]+", p) if w}
        nouns = set()
        for tok in doc:
            if tok.pos_ != "NOUN" or not tok.text.replace("-", "").isalpha():
                continue
            lemma = tok.lemma_.lower() if tok.lemma_ else tok.text.lower()
            if fold(tok.text) in place_words or not _is_event_word(lemma.replace("-", "")):
                continue
            nouns.add(lemma)
        out.append(DocFacts(nouns, places, specific, territory, " ".join(WORD.findall(fold(text)))))
    return out


class EventLabel:
    """Counts of nouns and places over the documents of one alert, and the label they give."""

    def __init__(self, nouns: Counter | None = None, places: Counter | None = None,
                 display: dict[str, str] | None = None, specific: set[str] | None = None,
                 territory: set[str] | None = None):
        self.nouns = nouns or Counter()
        self.places = places or Counter()
        self.display = display or {}
        self.specific = specific or set()
        self.territory = territory or set()
        self.docs = 0
        self.base_places = Counter(self.places)   # counts kept from an earlier run
        self.boost: Counter = Counter()           # detector labels' words: in the label, not in the event key
        self.rows: list[DocFacts] = []            # this run's documents
        self.texts: set[str] = set()

    def add(self, facts: DocFacts) -> None:
        """Count a document; the words of a text already counted (a retweet, a copy) are not counted again:
        the label says what the posts say, not how often one of them was relayed."""
        self.docs += 1
        if facts.text_key and facts.text_key in self.texts:
            return
        self.texts.add(facts.text_key)
        self.rows.append(facts)
        self.nouns.update(facts.nouns)
        self.places.update(facts.places.keys())
        for k, v in facts.places.items():
            self.display.setdefault(k, v)
        self.specific |= facts.specific
        self.territory |= facts.territory

    def add_words(self, words: list[str], n: int) -> None:
        """Words a detector knows name the event (a crisis pack's label), counted for ``n`` documents."""
        for w in words:
            if _is_event_word(w):
                self.boost[w] += n

    def top_words(self, n: int, boosted: bool = True) -> list[str]:
        counts = self.nouns + self.boost if boosted else self.nouns
        return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def top_specific(self, n: int) -> set[str]:
        ranked = sorted(((k, c) for k, c in self.places.items() if k in self.specific), key=lambda kv: (-kv[1], kv[0]))
        return {k for k, _ in ranked[:n]}

    def to_stats(self, keep: int = 40) -> dict:
        """The counts, cut to the ``keep`` most frequent (stored with the alert for the next run)."""
        places = dict(self.places.most_common(keep))
        return {"docs": self.docs, "nouns": dict(self.nouns.most_common(keep)), "places": places,
                "boost": dict(self.boost.most_common(keep)),
                "display": {k: self.display[k] for k in places}, "specific": sorted(self.specific & places.keys()),
                "territory": sorted(self.territory & places.keys())}

    @classmethod
    def from_stats(cls, stats: dict) -> EventLabel:
        acc = cls(Counter(stats.get("nouns") or {}), Counter(stats.get("places") or {}),
                  dict(stats.get("display") or {}), set(stats.get("specific") or []),
                  set(stats.get("territory") or []))
        acc.docs = int(stats.get("docs") or 0)
        acc.boost = Counter(stats.get("boost") or {})
        return acc

    def event_words(self) -> list[str]:
        ranked = sorted((self.nouns + self.boost).items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return []
        words = [w for w, n in ranked if n >= 2][:MAX_EVENT_WORDS]
        return words or [ranked[0][0]]

    def place_names(self) -> list[str]:
        """The most cited specific place (cited by two documents and a tenth of them at least: a street
        named once in passing is not where it happens), then the wider place: the watch's own commune
        when it is cited about half as often as the most cited one."""
        # documents that speak of the event (one of its three main words): a detector may have brought
        # in ordinary posts sharing one word with it, and their streets are not the event's (from 8
        # distinct posts on; below, every post counts)
        top = set(self.top_words(3))
        counts = Counter(self.base_places)
        about = [r for r in self.rows if r.nouns & top] if len(self.rows) >= 8 else []
        for r in about or self.rows:
            counts.update(r.places.keys())
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        floor = max(2, (len(about) or self.docs) // 10)
        # the most cited; a capitalised name before a lower-case one cited as often
        specs = sorted(((k, n) for k, n in ranked if k in self.specific and n >= floor),
                       key=lambda kv: (-kv[1], _weak(self.display[kv[0]]), kv[0]))
        spec = specs[0][0] if specs else None
        wides = [(k, n) for k, n in ranked if k not in self.specific and k != spec]
        wide = None
        if wides:
            wide = wides[0][0]
            own = next(((k, n) for k, n in wides if k in self.territory), None)
            if own and own[1] * 2 >= wides[0][1]:
                wide = own[0]
        return [self.display[k] for k in (spec, wide) if k]

    def label(self) -> str:
        words = self.event_words()
        places = self.place_names()
        what = ", ".join(words)
        what = what[:1].upper() + what[1:]
        where = ", ".join(places)
        if what and where:
            return f"{what} — {where}"
        return what or where


def label_docs(texts: list[str], enriched_places: list[list[str]] | None = None,
               communes: list[list[str]] | None = None) -> str:
    """The label of an event made of these posts (what the evaluation calls directly)."""
    acc = EventLabel()
    for facts in analyse(texts, enriched_places, communes):
        acc.add(facts)
    return acc.label()


def label_junk(label: str) -> list[str]:
    """The junk terms of a label: ``rt``/``via``, handles, links, ``#``, stop words, numbers that are not
    road references.  The place part (after « — ») may hold stop words (``rue des Saules``, ``La
    Madeleine``): there only handles, links, ``#``, ``rt`` and numbers count."""
    what, _, where = label.partition(" — ")
    junk = []
    for part, is_place in ((what, False), (STREET.sub(" ", where), True)):
        junk += [m.group(0) for m in HANDLE.finditer(part)] + [m.group(0) for m in URL.finditer(part)]
        if "#" in part:
            junk.append("#")
        for w in WORD.findall(URL.sub(" ", HANDLE.sub(" ", part))):
            f = fold(w.strip("'’-"))
            if not f:
                continue
            if any(c.isdigit() for c in f):
                if not ROAD_TOKEN.match(f):
                    junk.append(w)
            elif f in {"rt", "via", "mt", "cc"} or (f in FRENCH and not is_place):
                junk.append(w)
    return junk


def label_words(phrase: str) -> list[str]:
    """The content words of a detector's label: « coupure d'électricité » → coupure, électricité."""
    return [w for w in WORD.findall(re.sub(r"\b[ldjmnst]['’]|qu['’]", " ", phrase.lower())) if _is_event_word(w)]
