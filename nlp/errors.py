"""The error raised when the NLP pipeline, or one of its components, cannot be built or loaded
(defined in the core, ``vigie.errors``, so that every command reports it the same way)."""

from vigie.errors import PipelineLoadError

__all__ = ["PipelineLoadError"]
