"""The Vigie French pipeline: a spaCy model trimmed to what we use, plus our components.

    nlp = build_pipeline()                 # fr_core_news_sm, our components, in order
    doc = nlp("Toujours pas de ramassage des poubelles rue Victor Hugo !")
    doc._.topics, doc._.request            # ['proprete-dechets', …], {'is_request': True, …}

Model components kept: ``tok2vec``, ``morphologizer``, ``attribute_ruler`` and ``lemmatizer``
(lemmas for topics and keyphrases) and ``ner`` (persons, organisations, places).  The ``parser``
is excluded: nothing reads dependencies (keyphrases come from a part-of-speech chunker).
``ner`` is kept but disabled: vigie_terms runs it only on French texts that can hold a name
(half the cost of the model goes to ``ner``, which has its own token-to-vector layer).
``fr_core_news_sm`` is the default: ``md`` is slower (static vectors) and did not change the
topic or request figures, which are rule-based on lemmas (see docs/nlp.md for the figures).

Our components, in this order after the model: vigie_language (first of all, before tok2vec),
vigie_territory, vigie_topics, vigie_sentiment, vigie_toxicity, vigie_request, vigie_terms.
Territory, sentiment and toxicity are built by other modules; each is added when its module
imports and its component builds, and is otherwise left out with a warning (``nlp.meta["vigie"]``
says which components are in and which were left out, and why).
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

MODELS = {"sm": "fr_core_news_sm", "md": "fr_core_news_md"}
EXCLUDED = ["parser", "senter"]
# (factory name, module that registers it, optional?)
COMPONENTS = [
    ("vigie_territory", "vigie.nlp.components.territory", True),
    ("vigie_topics", "vigie.nlp.components.topics", False),
    ("vigie_sentiment", "vigie.nlp.components.sentiment", True),
    ("vigie_toxicity", "vigie.nlp.components.toxicity", True),
    ("vigie_request", "vigie.nlp.components.request", False),
    ("vigie_terms", "vigie.nlp.components.terms", False),
]
LANGUAGE = ("vigie_language", "vigie.nlp.components.language")


def import_components() -> dict[str, str]:
    """Import every component module (registering its factory); returns the optional ones that failed."""
    failed = {}
    importlib.import_module(LANGUAGE[1])
    importlib.import_module("vigie.nlp.components.lexicon")
    for factory, module, optional in COMPONENTS:
        try:
            importlib.import_module(module)
        except Exception as exc:
            if not optional:
                raise
            failed[factory] = f"{module} does not import: {type(exc).__name__}: {exc}"
    return failed


def build_pipeline(model: str = "fr_core_news_sm", *, tagger: str = "lexicon",
                   exclude: list[str] | tuple[str, ...] = (), config: dict[str, dict] | None = None) -> Language:
    """Load the model without what we do not use and add our components.

    ``model``: "sm", "md" or a package name/path.  ``tagger``: "lexicon" (lemmas and parts of
    speech from the model's lemmatizer tables, see vigie_lexicon) or "model" (the model's
    tok2vec, morphologizer, attribute_ruler and lemmatizer).  ``exclude``: our component names
    to leave out (e.g. ``["vigie_terms"]``).  ``config``: per-component config overrides, by
    factory name.
    """
    if tagger not in ("lexicon", "model"):
        raise ValueError(f"tagger must be 'lexicon' or 'model', not {tagger!r}")
    model = MODELS.get(model, model)
    failed = import_components()
    excluded = EXCLUDED + (["tok2vec", "morphologizer", "attribute_ruler"] if tagger == "lexicon" else [])
    nlp = spacy.load(model, exclude=excluded)
    config = config or {}
    added, skipped = [], dict(failed)
    if tagger == "lexicon":
        nlp.disable_pipe("lemmatizer")  # its tables serve vigie_lexicon
        nlp.add_pipe("vigie_lexicon", first=True, config=config.get("vigie_lexicon", {}))
        added.append("vigie_lexicon")
    if LANGUAGE[0] not in exclude:
        nlp.add_pipe(LANGUAGE[0], first=True, config=config.get(LANGUAGE[0], {}))
        added.insert(0, LANGUAGE[0])
    for factory, _module, optional in COMPONENTS:
        if factory in exclude or factory in failed:
            continue
        try:
            nlp.add_pipe(factory, config=config.get(factory, {}))
            added.append(factory)
        except Exception as exc:
            if not optional:
                raise
            if factory in nlp.pipe_names:  # add_pipe can fail after adding (when linking listeners)
                nlp.remove_pipe(factory)
            skipped[factory] = f"cannot be built: {type(exc).__name__}: {exc}"
    if "vigie_terms" in added and "ner" in nlp.pipe_names:
        nlp.disable_pipe("ner")  # vigie_terms runs it, only on the texts that can hold a name
    for factory, why in skipped.items():
        log.warning("%s left out of the pipeline: %s", factory, why)
    nlp.meta["vigie"] = {"model": model, "tagger": tagger, "components": added, "skipped": skipped}
    return nlp


def load_pipeline(path: str | Path) -> Language:
    """Load a pipeline saved with ``nlp.to_disk`` (our factories are registered first)."""
    import_components()
    return spacy.load(path)
