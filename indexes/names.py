"""Index and alias names, all derived from one prefix (``VIGIE_INDEX_PREFIX``)."""

from __future__ import annotations

from datetime import UTC, datetime

from vigie import settings


def prefix() -> str:
    return settings.index_prefix()


def documents_alias() -> str:
    return f"{prefix()}-documents"


def documents_pattern() -> str:
    return f"{prefix()}-documents-*"


def documents_template() -> str:
    return f"{prefix()}-documents"


def documents_index(published_at: datetime) -> str:
    """Monthly index of a document, from its publication date in UTC.

    A document keeps its ``published_at`` across re-crawls, so a re-write always
    lands in the index that already holds it.
    """
    month = published_at.astimezone(UTC).strftime("%Y.%m")
    return f"{prefix()}-documents-{month}"


def watch_alias(watch_id: str) -> str:
    """Filtered alias showing one watch's documents only."""
    return f"{prefix()}-watch-{watch_id}"


def alerts_index() -> str:
    return f"{prefix()}-alerts"


def authors_index() -> str:
    return f"{prefix()}-authors"


def watch_alerts_alias(watch_id: str) -> str:
    return f"{prefix()}-watch-{watch_id}-alerts"


def watch_authors_alias(watch_id: str) -> str:
    return f"{prefix()}-watch-{watch_id}-authors"


def digests_index() -> str:
    """One record per watch and day: the daily digest's sending log (``_id`` = ``<watch>:<YYYY-MM-DD>``)."""
    return f"{prefix()}-digests"
