"""One real pipeline per test session for the NLP tests of the pipeline engineer (built on first use)."""

from __future__ import annotations

from functools import lru_cache

OTHERS = ("vigie_territory", "vigie_sentiment", "vigie_toxicity")


@lru_cache(maxsize=2)
def own_pipeline():
    """fr_core_news_sm + language, topics, request, terms (the components these tests are about); the
    request component in the ``fast`` profile (its rules: tests/nlp/test_request_model.py tests the model)."""
    from vigie.nlp.pipeline import build_pipeline

    return build_pipeline("fr_core_news_sm", exclude=OTHERS, config={"vigie_request": {"profile": "fast"}})


@lru_cache(maxsize=1)
def full_pipeline():
    """The whole pipeline as `vigie enrich` builds it (other components included when they build)."""
    from vigie.nlp.pipeline import build_pipeline

    return build_pipeline("fr_core_news_sm")


def toxicity_pipeline(profile: str = "fast"):
    """A blank French pipeline with ``vigie_toxicity`` alone, in ``profile`` (a fresh one at each call: some tests
    change the component's head paths)."""
    import spacy

    import vigie.nlp.components.toxicity  # noqa: F401  (registers the factory)

    nlp = spacy.blank("fr")
    nlp.add_pipe("vigie_toxicity", config={"profile": profile})
    return nlp
