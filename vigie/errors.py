"""Errors a user can fix, shared by every layer; the command line turns them into exit codes.

They live in the core so that a stage raises them and the application catches them without either
importing the other: ``vigie.indexes`` raises ``ClusterUnavailable`` and ``LocalNodeError``,
``vigie.clikit.handles_errors`` maps them to exit code 3; ``vigie.nlp`` raises ``PipelineLoadError`` (exit 1);
``vigie.settings`` raises ``SettingsError`` (exit 2).
"""

from __future__ import annotations


class ClusterUnavailable(RuntimeError):
    """The Elasticsearch cluster cannot be used; the message says why and what to do."""


class SettingsError(ValueError):
    """A setting given by a flag or an environment variable has a value it cannot take; the message names it."""


class LocalNodeError(RuntimeError):
    """The local Elasticsearch node cannot be set up or started; the message says what and how."""


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
