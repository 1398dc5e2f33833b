"""Source kinds as seen by the watch file: a registry the crawlers fill in.

The core (``vigie.config``) must not import the crawlers, yet ``load_config`` has to know which
kinds exist, which of them need a URL and what options each accepts.  So the core defines what a
kind is (:class:`SourceKind`) and where the registry plugs in (:func:`install`); the crawlers
package installs its registry when it is imported (``vigie.crawlers.kinds``, which reads the
declarations of the spider modules: one folder per new kind).

Every command that crawls or checks a watch file (``vigie config check``, ``vigie crawl``, the
collect stage, the demo) runs with the crawlers imported, so it validates kinds and options fully.
A process that never imports the crawlers (a library user of ``vigie.config`` alone, the NLP
workers) checks sources for their shape only: ``kind`` must be a slug and ``options`` a mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel


@dataclass(frozen=True)
class SourceKind:
    """One source kind: its name in watch files, its options model, whether it needs ``url``/``urls``,
    and how the digest names it in French."""

    name: str
    options: type[BaseModel]
    needs_url: bool
    label_fr: str


class Registry(Protocol):
    def names(self) -> Sequence[str]:
        """Every kind, without importing their modules."""

    def get(self, name: str) -> SourceKind:
        """The kind ``name``; ``LookupError`` when there is none."""


_installed: Registry | None = None


def install(registry: Registry) -> None:
    """Make ``registry`` the one ``load_config`` checks sources against."""
    global _installed
    _installed = registry


def installed() -> Registry | None:
    return _installed
