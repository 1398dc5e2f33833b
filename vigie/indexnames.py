"""Index and alias names, all derived from one prefix: the ``index_prefix`` of the run's ``Settings``.

Code that touches Elasticsearch receives an ``IndexNames`` (``settings.names``) and asks it for names;
nothing reads the prefix from the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class IndexNames:
    prefix: str = "vigie"

    def documents_alias(self) -> str:
        return f"{self.prefix}-documents"

    def documents_pattern(self) -> str:
        return f"{self.prefix}-documents-*"

    def documents_template(self) -> str:
        return f"{self.prefix}-documents"

    def documents_index(self, published_at: datetime) -> str:
        """Monthly index of a document, from its publication date in UTC.

        A document keeps its ``published_at`` across re-crawls, so a re-write always
        lands in the index that already holds it.
        """
        month = published_at.astimezone(UTC).strftime("%Y.%m")
        return f"{self.prefix}-documents-{month}"

    def watch_alias(self, watch_id: str) -> str:
        """Filtered alias showing one watch's documents only."""
        return f"{self.prefix}-watch-{watch_id}"

    def alerts_index(self) -> str:
        return f"{self.prefix}-alerts"

    def authors_index(self) -> str:
        return f"{self.prefix}-authors"

    def watch_alerts_alias(self, watch_id: str) -> str:
        return f"{self.prefix}-watch-{watch_id}-alerts"

    def watch_authors_alias(self, watch_id: str) -> str:
        return f"{self.prefix}-watch-{watch_id}-authors"

    def digests_index(self) -> str:
        """One record per watch and day: the daily digest's sending log (``_id`` = ``<watch>:<YYYY-MM-DD>``)."""
        return f"{self.prefix}-digests"
