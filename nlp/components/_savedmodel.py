"""What the components with a linear model share (sentiment, toxicity): where the model comes from
(``ModelSource``, read on first use) and how it is saved with a pipeline (``SavedModel``)."""

from __future__ import annotations

from pathlib import Path

from spacy.util import ensure_path

from vigie.nlp.components._textmodel import LinearTextModel
from vigie.nlp.errors import PipelineLoadError

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



class SavedModel:
    """Save and load a component's linear model, so a saved pipeline is one folder (``self.source``
    holds the model, ``self.model`` reads it)."""

    def to_disk(self, path, *, exclude=()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save(path / MODEL_FILE)
        self._extra_to_disk(path)

    def from_disk(self, path, *, exclude=()):
        folder = ensure_path(path)
        path = folder / MODEL_FILE
        try:
            self.source.set(LinearTextModel.load(path))
            self._extra_from_disk(folder)
        except Exception as exc:
            raise PipelineLoadError(self.name, f"{path}: {type(exc).__name__}: {exc}") from exc
        return self

    def _extra_to_disk(self, folder: Path) -> None:
        """More files of a component (its encoder head)."""

    def _extra_from_disk(self, folder: Path) -> None:
        pass

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
