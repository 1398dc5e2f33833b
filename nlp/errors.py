"""The error raised when the NLP pipeline, or one of its components, cannot be built or loaded."""

from __future__ import annotations


class PipelineLoadError(ValueError):
    """A component failed to load: enrichment must stop, not go on without it.

    ``component`` is the component's name in the pipeline (``vigie_sentiment``, ``ner``…), or
    ``"pipeline"`` when no single component is at fault; ``cause`` is the underlying error.
    """

    def __init__(self, component: str, cause: BaseException | str):
        self.component = component
        self.cause = cause
        why = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"the NLP component {component} failed to load: {why}")

    def __reduce__(self):  # travels from worker processes: the cause goes as text
        cause = self.cause if isinstance(self.cause, str) else f"{type(self.cause).__name__}: {self.cause}"
        return type(self), (self.component, cause)
