"""What one page of an HTML kind (feed, web, phpbb, spip, forum, telegram, discourse) gives.

``Items`` holds the Document fields built from the page, the items skipped with their reason
(counted as errors by the spider: ``no_date``, ``no_text``…) and the items only noted (not
errors: a media-only Telegram post, a Discourse moderator action).  The spiders and
``vigie extract`` both go through these page-level functions, so they agree on every item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class Items:
    fields: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reason, detail): errors
    noted: list[tuple[str, str]] = field(default_factory=list)    # (reason, detail): not errors
    links: list[str] = field(default_factory=list)                # pages a crawl would fetch next

    def skip(self, reason: str, detail: str = "") -> None:
        self.skipped.append((reason, detail))

    def note(self, reason: str, detail: str = "") -> None:
        self.noted.append((reason, detail))


def with_estimated_date(fields: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """``fields`` with ``published_at`` set to now and flagged ``published_at_estimated`` when missing."""
    if fields.get("published_at") is not None:
        return fields
    return {**fields, "published_at": now or datetime.now(UTC),
            "flags": [*fields.get("flags", []), "published_at_estimated"]}
