"""vigie_language: French or another language, with a French prior for short texts.

py3langid is reliable on sentences and noisy on a few words ("Merci !", "Top", "Bravo" come out
as Italian or Turkish).  Vigie reads French local sources, so a text of fewer than
``short_words`` words is French unless another language wins with ``short_confidence``.
Links, mentions, hashtags and emojis are removed before identification.  A text with no letters
at all (emoji only, empty) gets ``None`` and the flag ``no_text``.  Most texts are French: one
holding three distinct French function words ("les", "est", "pas", "c'est"…) and no English one
is French at once (``french_words``), which halves the component's cost.  A text found in another
language gets the flag ``not_french``: the heavy components (topics, requests, keyphrases, NER
entities) skip it; hashtags, mentions, links and emojis are still extracted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp import extensions
from vigie.nlp.components._util import add_flag
from vigie.nlp.errors import PipelineLoadError

DEFAULT_LANGUAGES = ["fr", "en", "es", "de", "it", "pt", "nl", "ar", "tr", "pl", "ro", "ru", "zh", "ja",
                     "br", "ca", "oc", "eu"]
FLAG_NOT_FRENCH = "not_french"
FLAG_NO_TEXT = "no_text"

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.\-]+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Words found in French and rarely in the other languages met in French feeds: a text holding
# ``french_words`` distinct ones (and no English function word) is French without asking py3langid.
FRENCH_WORDS = re.compile(r"(?<![\w'’])(les|des|est|pas|une|dans|avec|pour|sur|nous|vous|je|j'|c'est|qu'|"
                          r"cette|sont|mais|très|été|aux|du|au|il|elle|ils|on|ce|qui|ça|n'|d'|l')(?![\w])",
                          re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"(?<![\w'’])(the|and|is|are|was|of|to|with|for|this|that|you|not|have|in)(?![\w'’])",
                           re.IGNORECASE)


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def is_french(doc: Doc) -> bool:
    """Whether the heavy components should process this doc (undetermined counts as French)."""
    return doc._.language in (None, "fr")


@Language.factory(
    "vigie_language",
    default_config={"languages": DEFAULT_LANGUAGES, "short_words": 6, "short_confidence": 0.9,
                    "max_chars": 2000, "french_words": 3},
)
def make_language(nlp: Language, name: str, languages: list[str], short_words: int,
                  short_confidence: float, max_chars: int, french_words: int) -> LanguageDetector:
    return LanguageDetector(name, languages, short_words, short_confidence, max_chars, french_words)


class LanguageDetector:
    """Sets ``doc._.language`` (ISO 639-1 or None) and the language flags."""

    def __init__(self, name: str, languages: list[str], short_words: int = 6,
                 short_confidence: float = 0.9, max_chars: int = 2000, french_words: int = 3):
        extensions.register()
        self.name = name
        self.languages = tuple(languages)
        self.short_words = short_words
        self.short_confidence = short_confidence
        self.max_chars = max_chars
        self.french_words = french_words

    def load(self) -> None:
        """Read py3langid's model now, so that a failure stops the pipeline's build."""
        try:
            _identifier(self.languages)
        except Exception as exc:
            raise PipelineLoadError(self.name, exc) from exc

    def detect(self, text: str) -> str | None:
        clean = _NOISE.sub(" ", text[: self.max_chars])
        if not _LETTER.search(clean):
            return None
        words = _WORD.findall(clean)
        if self.french_words and len({w.lower() for w in FRENCH_WORDS.findall(clean)}) >= self.french_words \
                and not ENGLISH_WORDS.search(clean):
            return "fr"
        lang, prob = _identifier(self.languages).classify(clean)
        if lang != "fr" and len(words) < self.short_words and prob < self.short_confidence:
            return "fr"
        return lang

    def __call__(self, doc: Doc) -> Doc:
        lang = self.detect(doc.text)
        doc._.language = lang
        if doc._.flags is None:
            doc._.flags = []
        if lang is None:
            add_flag(doc, FLAG_NO_TEXT)
        elif lang != "fr":
            add_flag(doc, FLAG_NOT_FRENCH)
        return doc
