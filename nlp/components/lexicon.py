"""vigie_lexicon: lemmas and coarse parts of speech from the model's own dictionary, no neural network.

The French model's ``tok2vec`` + ``morphologizer`` cost about half of its time, and we only need
lemmas (topics) and nouns and adjectives (keyphrases).  This component reads the tables the
model's rule lemmatizer ships with (``lemma_lookup``: 217,000 inflected forms → lemma;
``lemma_index``: the nouns, adjectives, verbs and adverbs it knows) and sets ``token.lemma_`` and
``token.pos_`` with a few context rules: closed-class words from a list, a capitalised unknown word
is a proper noun, after a determiner or a preposition a word is a noun (or an adjective, or an
infinitive verb), after a noun a participle is an adjective, after a subject pronoun a verb.
Measured against the morphologizer on our topic and request sets it gives the same figures (see
docs/nlp.md); it is the pipeline's default (``build_pipeline(tagger="lexicon")``), the model
path stays available (``tagger="model"``).

The tables are read from the model's ``lemmatizer`` component, kept in the pipeline but disabled
(so a saved pipeline holds them).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.errors import PipelineLoadError

CLOSED = {
    "DET": "le la les l' un une des du ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur "
           "leurs chaque quelques plusieurs certains certaines aucun aucune quel quelle quels quelles tout toute "
           "tous toutes",
    "ADP": "de d' à au aux en dans sur sous par pour avec sans chez vers entre depuis pendant contre devant "
           "derrière après avant près jusqu' jusque malgré selon parmi via dès hors",
    "PRON": "je j' tu il elle on nous vous ils elles me m' te t' se s' y lui eux moi toi qui quoi dont où ça "
            "cela ceci c' celui celle ceux celles rien personne quelqu'un chacun",
    "CCONJ": "et ou mais ni or donc car",
    "AUX": "est sont était étaient sera seront serait seraient été être suis es sommes êtes fut soit sois "
           "a ont avait avaient aura auront aurait auraient ai as avons avez eu avoir",
    "SCONJ": "que qu' quand si comme lorsque puisque lorsqu' puisqu' quoique",
    "ADV": "ne n' pas plus très toujours encore déjà bien mal trop aussi enfin jamais souvent ici là "
           "vraiment beaucoup peu assez tellement non oui vite tard tôt hier demain aujourd'hui maintenant "
           "ensuite alors surtout partout vraiment combien comment pourquoi",
}
CLOSED_POS = {word: pos for pos, words in CLOSED.items() for word in words.split()}
SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "qui"}
SENTENCE_END = {".", "!", "?", "…", ":", ";", "\n", "\"", "«", "»", "(", ")", "-", "—"}
PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées", "ant", "i", "ie", "is", "ies", "u", "ue", "us", "ues", "t", "te")


def _base(word: str, nouns: frozenset, adjs: frozenset) -> str:
    """A base form for words the lookup lacks: feminine and plural endings removed when that gives a known word."""
    for cut in ("es", "s", "e", "x"):
        if word.endswith(cut) and len(word) > len(cut) + 2:
            base = word[: -len(cut)]
            if base in adjs or base in nouns:
                return base
    return word


@Language.factory("vigie_lexicon", default_config={"lemmatizer": "lemmatizer"})
def make_lexicon(nlp: Language, name: str, lemmatizer: str) -> LexiconTagger:
    return LexiconTagger(nlp, name, lemmatizer)


class LexiconTagger:
    def __init__(self, nlp: Language, name: str, lemmatizer: str = "lemmatizer"):
        self.nlp = nlp
        self.name = name
        self.lemmatizer = lemmatizer
        self._tables = None

    def _load(self):
        if self._tables is None:
            lookups = self.nlp.get_pipe(self.lemmatizer).lookups
            index = lookups.get_table("lemma_index")
            sets = {pos: frozenset(index.get(pos, [])) for pos in ("noun", "adj", "verb", "adv")}
            self._tables = (lookups.get_table("lemma_lookup"), sets)
        return self._tables

    def load(self) -> None:
        """Read the lemmatizer's tables now, so that a pipeline without them stops at its build."""
        try:
            self._load()
        except Exception as exc:
            raise PipelineLoadError(self.name, f"the tables of {self.lemmatizer!r}: {type(exc).__name__}: {exc}") \
                from exc

    def __call__(self, doc: Doc) -> Doc:
        lookup, sets = self._load()
        nouns, adjs, verbs, advs = sets["noun"], sets["adj"], sets["verb"], sets["adv"]
        prev_pos, prev_text = "", ""
        for token in doc:
            text, lower = token.text, token.lower_
            lemma = lower
            if token.is_space:
                pos = "SPACE"
            elif token.like_url or text[:1] in "#@":
                pos = "X"
            elif token.is_punct:
                pos = "PUNCT"
            elif lower in CLOSED_POS:
                pos = CLOSED_POS[lower]
                lemma = {"AUX": "être" if lower[:1] in "eésf" else "avoir"}.get(pos, lower)
            elif token.like_num:
                pos = "NUM"
            elif not any(c.isalpha() for c in text):
                pos = "SYM"
            else:
                found = lookup.get(lower)
                lemma = found[0] if found else _base(lower, nouns, adjs)
                pos = self._pos(token, lower, lemma, prev_pos, prev_text, nouns, adjs, verbs, advs)
                if pos in ("ADJ", "NOUN") and lemma.endswith(("er", "ir")) and not lower.endswith(("er", "ir")):
                    lemma = lower  # a participle used as an adjective keeps its form ("protégée")
            token.pos_ = pos
            token.lemma_ = lemma
            if not token.is_space:
                prev_pos, prev_text = pos, lower
        return doc

    @staticmethod
    def _pos(token, lower, lemma, prev_pos, prev_text, nouns, adjs, verbs, advs) -> str:
        initial = token.i == 0 or prev_pos == "" or (prev_pos == "PUNCT" and prev_text in SENTENCE_END)
        known = lemma in nouns or lower in nouns or lemma in adjs or lemma in verbs or lemma in advs
        if token.text[0].isupper() and lower not in CLOSED_POS:
            shouting = token.is_upper and len(token.text) > 1 and known  # "IMPOSSIBLE DE SE GARER"
            if not shouting and (not initial or not known):
                return "PROPN"
        if lower in CLOSED_POS:
            return CLOSED_POS[lower]
        if lemma in ("être", "avoir"):
            return "AUX"
        n = lemma in nouns or lower in nouns
        a = lemma in adjs or lower in adjs or _base(lower, frozenset(), adjs) != lower
        v = lemma in verbs
        if not (n or a or v) and (lemma in advs or lower.endswith("ment")):
            return "ADV"
        if not v and lemma != lower and lemma.endswith(("er", "ir", "re", "oir")) and not n:
            v = True  # an inflected form the lookup maps to an infinitive ("faudrait" → "falloir")
        if prev_pos in ("DET", "ADP", "NUM"):
            if v and not n and not a:
                return "VERB"
            if n:
                return "NOUN"
            return "ADJ" if a else "NOUN"
        if prev_text in SUBJECTS and prev_pos == "PRON" and v:
            return "VERB"
        if prev_pos in ("NOUN", "PROPN", "ADJ"):
            if a:
                return "ADJ"
            if v and lower.endswith(PARTICIPLE_ENDINGS):
                return "ADJ"
            if v:
                return "VERB"
            return "NOUN" if n else "ADJ"
        if n and not v:
            return "NOUN"
        if v and not n:
            return "VERB"
        if a and not n:
            return "ADJ"
        return "NOUN"
