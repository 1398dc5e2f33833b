"""``vigie_sentiment``: negative / neutral / positive sentiment of social text.

A sparse linear model (TF-IDF word 1–2-grams with negation scope, char 2–5-grams, lexicon, emoji,
punctuation and irony markers; see ``vigie.nlp.components._textmodel``) trained on DEFT 2017 French tweets
(``vigie.nlp.train.sentiment``).  Reads only ``doc.text`` (and ``doc._.language`` when a language component
ran before), so it works on ``spacy.blank("fr")`` pipelines too.  Writes
``doc._.sentiment = {"label": ..., "score": p(positive) - p(negative)}`` (score in −1..1).
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, registry

from vigie.nlp import extensions
from vigie.nlp.components._textmodel import MODELS, LinearTextModel, text_features
from vigie.nlp.errors import PipelineLoadError

extensions.register()

DEFAULT_MODEL = MODELS / "sentiment_v1.json.gz"
MODEL_FILE = "model.json.gz"


class ModelSource:
    """Where a model comes from; loaded on first use (a saved pipeline replaces it in ``from_disk``)."""

    def __init__(self, path: str | Path | None, default: Path):
        self.path = Path(path) if path else default
        self._model: LinearTextModel | None = None

    def get(self) -> LinearTextModel:
        if self._model is None:
            self._model = LinearTextModel.load(self.path)
        return self._model

    def set(self, model: LinearTextModel) -> None:
        self._model = model


@registry.misc("vigie.sentiment_model.v1")
def sentiment_model(path: str | None = None) -> ModelSource:
    """The sentiment model at ``path`` (default: the packaged ``nlp/data/models/sentiment_v1.json.gz``)."""
    return ModelSource(path, DEFAULT_MODEL)


@Language.factory(
    "vigie_sentiment",
    default_config={
        "model": {"@misc": "vigie.sentiment_model.v1", "path": None},
        "max_chars": 5000,
        "languages": ["fr"],
    },
)
def make_sentiment(nlp: Language, name: str, model: ModelSource, max_chars: int, languages: list[str]):
    return SentimentComponent(name, model, max_chars=max_chars, languages=languages)


class SavedModel:
    """Save and load a component's linear model, so a saved pipeline is one folder (``self.source``
    holds the model, ``self.model`` reads it)."""

    def to_disk(self, path, *, exclude=()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save(path / MODEL_FILE)

    def from_disk(self, path, *, exclude=()):
        path = ensure_path(path) / MODEL_FILE
        try:
            self.source.set(LinearTextModel.load(path))
        except Exception as exc:
            raise PipelineLoadError(self.name, f"{path}: {type(exc).__name__}: {exc}") from exc
        return self

    def load(self) -> None:
        """Read the model now rather than on first use, so that a model that cannot be read stops the build."""
        try:
            self.source.get()
        except Exception as exc:
            raise PipelineLoadError(self.name, f"{self.source.path}: {type(exc).__name__}: {exc}") from exc

    def to_bytes(self, *, exclude=()):
        return self.model.to_bytes()

    def from_bytes(self, data: bytes, *, exclude=()):
        self.source.set(LinearTextModel.from_bytes(data))
        return self


class SentimentComponent(SavedModel):
    """Writes ``doc._.sentiment``; texts whose ``doc._.language`` is known and not in ``languages``
    get ``{"label": None, "score": None}`` (the model is French)."""

    def __init__(self, name: str, model: ModelSource, *, max_chars: int = 5000, languages=("fr",)):
        self.name = name
        self.source = model
        self.max_chars = max_chars
        self.languages = set(languages or ())

    @property
    def model(self) -> LinearTextModel:
        return self.source.get()

    def predict(self, text: str) -> dict:
        if not any(ch.isalnum() or ord(ch) > 0x2000 for ch in text):
            return {"label": "neutral", "score": 0.0}
        proba = self.model.proba(text_features(text[: self.max_chars]))
        label = max(proba, key=proba.get)
        score = max(-1.0, min(1.0, proba.get("positive", 0.0) - proba.get("negative", 0.0)))
        return {"label": label, "score": round(score, 4)}

    def __call__(self, doc: Doc) -> Doc:
        language = doc._.language
        if language and self.languages and language not in self.languages:
            doc._.sentiment = {"label": None, "score": None}
        else:
            doc._.sentiment = self.predict(doc.text)
        return doc

