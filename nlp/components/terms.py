"""vigie_terms: entities, hashtags, mentions, links, emojis and keyphrases.

- entities: the model's ``ner`` spans, PER → persons, ORG → organisations, LOC → locations
  (MISC is left out), deduplicated in order of appearance; spans that are hashtags, mentions or
  links, or that start with a lowercase letter (mostly tagging errors on social text), are dropped.
  The model's ``ner`` costs as much as the rest of the model: ``build_pipeline`` disables it and
  this component runs it itself, only on French texts that can hold a name (a proper noun, or a
  capitalised word that does not start a sentence) outside street names ("rue Victor Hugo" is
  a street, not a person).  If ``ner`` is enabled in the pipeline, its entities are used (street
  names still dropped);
- hashtags and mentions without their ``#``/``@``, links (http, https, www), emojis (the ``emoji``
  package, so flags and skin tones stay whole): found in the text itself, in every language;
- keyphrases: lemmatised noun phrases from a part-of-speech chunker, no parser needed:
  [ADJ] NOUN [ADJ]* [(de|d'|à|en) [DET] NOUN [ADJ]*], lowercased ("nid-de-poule",
  "ramassage de poubelle", "piste cyclable").  ``min_chars`` drops tiny nouns, ``stop_nouns``
  drops nouns that say nothing on their own ("chose", "fois").  No word of a phrase is a pronoun
  fragment ("-ce", "-ils"), a stop word (``vigie.stopwords.FRENCH``: "bon", "tout"), a form of a
  common irregular verb (``VERB_FORMS``: "sait", "vont") or a word the model's dictionary (the
  lemmatizer tables of fr_core_news_sm, read by vigie_lexicon) knows only as a verb; an adjective
  alone ("grave") is no keyphrase.  The named places (``locations`` entities) follow, lowercased.

Non-French texts keep hashtags, mentions, links and emojis only.
"""

from __future__ import annotations

import re

import emoji
from spacy.language import Language
from spacy.tokens import Doc, Token

from vigie.nlp import extensions
from vigie.nlp.components.language import is_french
from vigie.stopwords import EMPTY_NOUNS, FRENCH
from vigie.textfold import fold

HASHTAG = re.compile(r"(?<![\w#&])#([^\W\d_][\w]{0,99})", re.UNICODE)
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][\w.\-]{0,62}[\w])", re.UNICODE)
LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'«»]+", re.I)
# every emoji holds a character of these ranges (French letters and punctuation do not): the
# emoji package scans character by character, so it only runs on texts that may hold one
_MAY_EMOJI = re.compile("[\u00a9\u00ae\u203c\u2049\u20e3\u2122-\U0010ffff]")
_LINK_TAIL = ".,;:!?)]}’'\"…"
ENTITY_FIELDS = {"PER": "persons", "ORG": "organisations", "LOC": "locations"}
LINKERS = {"de": "de", "d'": "d'", "du": "de", "des": "de", "à": "à", "au": "à", "aux": "à", "en": "en"}
STOP_NOUNS = list(EMPTY_NOUNS)  # nouns that say nothing on their own (vigie.stopwords)
# Inflected forms of the commonest irregular verbs, which the lemmatizer's lookup lacks (so the lexicon
# tagger takes them for unknown nouns): "sait", "vont" are never keyphrases.
_VERB_FORMS = """
sais sait savons savez savent su vais vas va allons allez vont veux veut voulons voulez veulent voulu peux
peut pouvons pouvez peuvent pu dois doit devons devez doivent dû fais fait faisons faites font dis dit disons
dites disent viens vient venons venez viennent venu vois voit voyons voyez voient vu prends prend prenons
prenez prennent pris mets met mettons mettez mettent mis faut fallait faudrait faudra crois croit croyons
croient sors sort sortent pars part partent tiens tient tiennent connais connait connaît connaissent
"""
VERB_FORMS = frozenset(fold(w) for w in _VERB_FORMS.split())
# Verbs whose inflected forms are never keyphrase words, whether or not the lemmatizer's verb table has them
# (a constant: building ``verbs | {…}`` on each token copied the whole table every time).
COMMON_VERBS = frozenset({"savoir", "pouvoir", "vouloir", "devoir", "aller", "faire", "dire", "venir", "voir",
                          "prendre"})


def _dedup(items) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def surface_terms(text: str) -> dict[str, list[str]]:
    """Hashtags, mentions, links and emojis of a text (any language)."""
    links = [m.group(0).rstrip(_LINK_TAIL) for m in LINK.finditer(text)]
    no_links = LINK.sub(" ", text)
    return {
        "hashtags": _dedup(m.group(1) for m in HASHTAG.finditer(no_links)),
        "mentions": _dedup(m.group(1) for m in MENTION.finditer(no_links)),
        "links": _dedup(links),
        "emojis": _dedup(e["emoji"] for e in emoji.emoji_list(text)) if _MAY_EMOJI.search(text) else [],
    }


@Language.factory(
    "vigie_terms",
    default_config={"keyphrases": True, "entities": True, "ner": "ner", "min_chars": 3, "max_words": 6,
                    "stop_nouns": STOP_NOUNS},
)
def make_terms(nlp: Language, name: str, keyphrases: bool, entities: bool, ner: str, min_chars: int,
               max_words: int, stop_nouns: list[str]) -> TermExtractor:
    return TermExtractor(name, keyphrases, entities, min_chars, max_words, stop_nouns, nlp=nlp, ner=ner)


_SENTENCE_END = {".", "!", "?", "…", ":", ";", "\n", "\"", "«", "»", "-", "—", "(", ")"}


STREET_WORDS = {"rue", "avenue", "av", "bd", "boulevard", "place", "allée", "chemin", "impasse", "quai", "cours",
                "route", "résidence", "square", "parvis", "sentier", "voie", "rond-point", "passage", "cité"}
_STREET_LINKS = {"de", "du", "des", "d'", "la", "l'", "le", "les", "-"}


def street_tokens(doc: Doc) -> set[int]:
    """Indexes of the capitalised words that name a street ("rue Victor Hugo", "place de la République")."""
    inside: set[int] = set()
    for token in doc:
        if token.lower_ not in STREET_WORDS:
            continue
        j = token.i + 1
        while j < len(doc) and doc[j].lower_ in _STREET_LINKS:
            j += 1
        while j < len(doc) and (doc[j].text[:1].isupper() or doc[j].lower_ in _STREET_LINKS or doc[j].like_num) \
                and not doc[j].is_punct:
            if doc[j].text[:1].isupper():
                inside.add(j)
            j += 1
    return inside


def may_hold_names(doc: Doc) -> bool:
    """Whether a French doc can hold a named entity: a proper noun, or a capitalised word inside a
    sentence, that is not part of a street name (the territory component handles places)."""
    streets = street_tokens(doc)
    for token in doc:
        if token.i in streets:
            continue
        if token.pos_ == "PROPN" and token.is_alpha:
            return True
        if token.i and token.is_alpha and token.text[0].isupper() and len(token.text) > 1 and not token.is_upper:
            prev = doc[token.i - 1]
            if not prev.is_space and prev.text not in _SENTENCE_END and prev.text[:1] not in "#@":
                return True
    return False


class TermExtractor:
    def __init__(self, name: str, keyphrases: bool = True, entities: bool = True, min_chars: int = 3,
                 max_words: int = 6, stop_nouns: list[str] | None = None, nlp: Language | None = None,
                 ner: str = "ner"):
        extensions.register()
        self.name = name
        self.nlp = nlp
        self.ner_name = ner
        self.keyphrases = keyphrases
        self.entities = entities
        self.min_chars = min_chars
        self.max_words = max_words
        self.stop_nouns = {fold(n) for n in (stop_nouns or [])}
        self._word_classes: dict[str, frozenset] | None = None

    def _ner(self):
        """The model's ner when it is in the pipeline but disabled (we run it), else None."""
        if self.nlp is None or self.ner_name in self.nlp.pipe_names or self.ner_name not in self.nlp.component_names:
            return None
        return self.nlp.get_pipe(self.ner_name)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size: int = 128):
        from spacy.util import minibatch

        ner = self._ner() if self.entities else None
        for batch in minibatch(docs, size=batch_size):
            if ner is not None:
                wanted = [d for d in batch if is_french(d) and may_hold_names(d)]
                if wanted:
                    list(ner.pipe(wanted, batch_size=batch_size))
            yield from (self._set(doc) for doc in batch)

    def _set(self, doc: Doc) -> Doc:
        for key, values in surface_terms(doc.text).items():
            setattr(doc._, key, values)
        french = is_french(doc)
        doc._.entities = self.find_entities(doc) if french and self.entities else \
            {"persons": [], "organisations": [], "locations": []}
        doc._.keyphrases = _dedup(self.find_keyphrases(doc) + [place.lower() for place in
                                                               doc._.entities["locations"]]) \
            if french and self.keyphrases else []  # noun phrases, then the named places
        return doc

    @staticmethod
    def find_entities(doc: Doc) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {"persons": [], "organisations": [], "locations": []}
        streets = street_tokens(doc) if doc.ents else set()
        for ent in doc.ents:
            if all(t.i in streets for t in ent):
                continue  # "Victor Hugo" in "rue Victor Hugo" is a street, not a person
            field = ENTITY_FIELDS.get(ent.label_)
            text = " ".join(ent.text.split()).strip(" -'’\"«».,:;")
            if not field or len(text) < 2 or not text[0].isupper() or any(c in text for c in "#@/"):
                continue
            if _MAY_EMOJI.search(text) and emoji.emoji_count(text):
                continue
            first = ent[0]
            if len(ent) == 1 and first.pos_ not in ("PROPN", "X", "") and (
                    first.i == 0 or doc[first.i - 1].text in _SENTENCE_END or doc[first.i - 1].is_space):
                continue  # a common word capitalised at the start of a sentence ("Lampadaire en panne")
            found[field].append(text)
        return {k: _dedup(v) for k, v in found.items()}

    # ----------------------------------------------------------------- keyphrases
    def _tables(self) -> dict | None:
        """The lemmatizer's tables read by vigie_lexicon (``lookup``: form → lemma; ``noun``, ``adj``,
        ``verb``: the lemmas it knows), when vigie_lexicon is in the pipeline."""
        if self._word_classes is None:
            self._word_classes = {}
            if self.nlp is not None and "vigie_lexicon" in self.nlp.pipe_names:
                lookup, sets = self.nlp.get_pipe("vigie_lexicon")._load()
                self._word_classes = {"lookup": lookup, **sets}
        return self._word_classes or None

    def _content_word(self, token: Token) -> bool:
        """A word that can carry a keyphrase: no pronoun fragment ("-ce", "-t-il"), no stop word ("bon",
        "vont"), no verb form ("sait", "finir", "est coupée")."""
        text, low = token.text, token.lower_
        if text[:1] in "-'’" or text[-1:] in "-'’" or not any(c.isalpha() for c in text):
            return False
        if fold(low) in FRENCH or fold(token.lemma_ or low) in FRENCH or fold(low) in VERB_FORMS:
            return False
        tables = self._tables()
        if not tables or token.pos_ == "PROPN":
            return True
        prev = token.nbor(-1) if token.i > 0 else None
        prev_pos = prev.pos_ if prev is not None else ""
        after_determiner = prev_pos in ("DET", "NUM")
        noun = low in tables["noun"]
        found = tables["lookup"].get(low)
        lemma = found[0] if found else low
        inflected_verb = lemma != low and lemma.endswith(("er", "ir", "oir", "re")) and (
            lemma in tables["verb"] or lemma in COMMON_VERBS)
        if inflected_verb and not noun and not after_determiner:
            return False  # "sait" → savoir, "veut" → vouloir
        if low.endswith(("er", "ir", "oir")) and not after_determiner and \
                not (noun and prev_pos in ("ADP", "PUNCT", "SPACE", "")):
            return False  # an infinitive: "peut-on savoir", "pour ramasser", "va mal finir"
        attribute = low in tables["adj"] or low.endswith(("é", "ée", "és", "ées", "i", "ie", "is", "u", "ue"))
        return not (prev_pos == "AUX" and attribute)  # after an auxiliary: "c'est nul", "la route est coupée"

    def _noun(self, token: Token) -> bool:
        if token.like_url or token.text[:1] in "#@" or (not token.is_alpha and "-" not in token.text):
            return False
        if not self._content_word(token):
            return False
        if token.pos_ == "NOUN":
            return True
        # the small model tags many plural nouns after a determiner as ADJ ("des poubelles")
        prev = token.nbor(-1) if token.i > 0 else None
        return token.pos_ == "ADJ" and prev is not None and prev.pos_ in ("DET", "ADP") and prev.lower_ != "en"

    def _adj(self, token: Token) -> bool:
        return token.pos_ == "ADJ" and token.is_alpha and self._content_word(token)

    @staticmethod
    def _lemma(token: Token) -> str:
        lemma = token.lemma_.lower() if token.lemma_ else token.lower_
        low = token.lower_
        if low.endswith("aux") and lemma.endswith("ail"):
            return low  # "travaux" is not "travail", "vitraux" not "vitrail"
        # the rule lemmatizer sometimes cuts unknown words ("panne" → "pann"): keep the word then
        if len(lemma) < len(low) - 2 or fold(lemma)[:3] != fold(low)[:3] or (len(lemma) < len(low) and
                                                                               not low.endswith(("s", "x"))):
            return low
        return lemma

    def find_keyphrases(self, doc: Doc) -> list[str]:
        phrases = []
        i, n = 0, len(doc)
        while i < n:
            start = i
            if self._adj(doc[i]) and i + 1 < n and doc[i + 1].pos_ == "NOUN":
                i += 1
            if not self._noun(doc[i]):
                i = start + 1
                continue
            words = [doc[t] for t in range(start, i + 1)]
            i += 1
            while i < n and self._adj(doc[i]) and len(words) < self.max_words:
                words.append(doc[i])
                i += 1
            # one complement: de / à / en [DET] NOUN [ADJ]*
            j = i
            if j < n and doc[j].lower_ in LINKERS:
                j += 1
                if j < n and doc[j].pos_ == "DET" and doc[j].lower_ in ("la", "l'", "le", "les"):
                    j += 1
                if j < n and self._noun(doc[j]) and doc[j].lower_ not in LINKERS:
                    words += [doc[t] for t in range(i, j + 1)]
                    j += 1
                    while j < n and self._adj(doc[j]) and len(words) < self.max_words:
                        words.append(doc[j])
                        j += 1
                    i = j
            phrase = self._render(words)
            if phrase:
                phrases.append(phrase)
        return _dedup(phrases)

    def _render(self, words: list[Token]) -> str | None:
        content = [w for w in words if w.pos_ not in ("DET", "ADP") and w.lower_ not in LINKERS]
        if not content:
            return None
        if len(content) == 1:
            word = content[0]
            if len(word.text) < self.min_chars or fold(self._lemma(word)) in self.stop_nouns:
                return None
            tables = self._tables()
            after_determiner = word.i > 0 and word.nbor(-1).pos_ == "DET"  # "les encombrants" is a noun use
            if tables and not after_determiner and (word.lower_ in tables["adj"] or word.lemma_ in tables["adj"]) \
                    and word.lower_ not in tables["noun"] and word.lemma_ not in tables["noun"]:
                return None  # an adjective alone is no keyphrase ("grave")
        out = []
        for w in words:
            if w.lower_ in LINKERS and w is not words[0]:
                out.append(LINKERS[w.lower_])
            elif w.pos_ != "DET":
                out.append(self._lemma(w))
        text = " ".join(out).replace("d' ", "d'")
        return text if len(text) >= self.min_chars else None
