"""The one Document model shared by every stage.

Crawlers fill the source fields, the NLP stage fills the enrichment fields and
``indexes`` maps the model 1:1 to Elasticsearch (``tests/test_mapping.py`` keeps
the two in step).

Identity: ``doc_id`` is a stable hash of the platform and the item's own id
(or canonical URL), so writing the same item twice updates it.  ``thread_id``
and ``parent_id`` hold doc ids too (``make_doc_id`` of the root and parent).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1


def make_doc_id(platform: str, item_id: str) -> str:
    """Stable identifier of one item of one platform (32 hex characters)."""
    if not platform or not item_id:
        raise ValueError("platform and item_id are both needed to build a doc_id")
    key = f"{platform.strip().lower()}\x1f{item_id.strip()}".encode()
    return hashlib.blake2b(key, digest_size=16).hexdigest()


class Kind(StrEnum):
    article = "article"
    post = "post"
    comment = "comment"
    page = "page"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Author(Strict):
    id: str | None = None
    handle: str | None = None
    name: str | None = None
    url: str | None = None
    followers: int | None = Field(default=None, ge=0)
    pseudonymised: bool = False


class Engagement(Strict):
    likes: int | None = Field(default=None, ge=0)
    shares: int | None = Field(default=None, ge=0)
    replies: int | None = Field(default=None, ge=0)
    views: int | None = Field(default=None, ge=0)

    @property
    def total(self) -> int:
        return sum(v or 0 for v in (self.likes, self.shares, self.replies))


class GeoPoint(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class CommuneRef(Strict):
    insee: str
    name: str
    departement: str | None = None


class Territory(Strict):
    communes: list[CommuneRef] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    location: GeoPoint | None = None


class Sentiment(Strict):
    label: str | None = None  # negative | neutral | positive
    score: float | None = Field(default=None, ge=-1, le=1)


TOXICITY_LABELS = ("insult", "hate", "threat", "harassment", "obscenity", "personal_data")
# why a flagged text is to be moderated (vigie.nlp.components.moderation), and whom it targets
MODERATION_CATEGORIES = ("threat", "dehumanisation", "hate", "slur", "insult", "harassment", "personal_data")
MODERATION_TARGETS = ("origin", "religion", "gender", "sexual_orientation", "disability", "official", "person")


class Toxicity(Strict):
    score: float | None = Field(default=None, ge=0, le=1)
    labels: list[str] = Field(default_factory=list)  # among TOXICITY_LABELS
    flagged: bool = False
    category: str | None = None  # among MODERATION_CATEGORIES, when flagged
    target: str | None = None  # among MODERATION_TARGETS (a protected trait, an official, a person), when known
    cue: str | None = None  # the words that triggered the flag ("modèle" when the trained model alone did)


class CitizenRequest(Strict):
    is_request: bool = False
    kind: str | None = None  # question | report | complaint | service_request (older documents: suggestion)
    service: str | None = None
    cue: str | None = None  # the words that made it a request
    answered: bool | None = None  # set by vigie.analytics.answers from the thread
    answered_at: datetime | None = None  # when the first answer of an own account was published
    answer_hours: float | None = None  # hours from the request to that answer
    answered_by: str | None = None  # doc_id of that answer


class Entities(Strict):
    persons: list[str] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)


class Document(Strict):
    """A post, comment, article or page, with its source and enrichment fields."""

    # identity and source
    doc_id: str = ""
    item_id: str
    platform: str
    source_id: str
    source_kind: str | None = None
    watch_ids: list[str] = Field(default_factory=list)
    kind: Kind = Kind.post
    thread_id: str | None = None
    parent_id: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    text: str = ""
    language: str | None = None
    author: Author = Field(default_factory=Author)
    engagement: Engagement = Field(default_factory=Engagement)
    published_at: datetime
    crawled_at: datetime | None = None
    schema_version: int = SCHEMA_VERSION
    # deduplication and versions (crawlers)
    content_hash: str | None = None       # hash of the normalised main text
    near_duplicate_of: str | None = None  # doc_id of the first copy (syndicated articles…)
    version_of: str | None = None         # doc_id of the first version of a page that changed

    # enrichment (filled by nlp/)
    enriched_at: datetime | None = None
    territory: Territory = Field(default_factory=Territory)
    topics: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    sentiment: Sentiment = Field(default_factory=Sentiment)
    toxicity: Toxicity = Field(default_factory=Toxicity)
    request: CitizenRequest = Field(default_factory=CitizenRequest)
    entities: Entities = Field(default_factory=Entities)
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    keyphrases: list[str] = Field(default_factory=list)
    emojis: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)  # processing notes: truncated, mojibake_repaired…

    @field_validator("published_at", "crawled_at", "enriched_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must carry a timezone (e.g. 2026-11-18T08:15:00+01:00)")
        return value

    @field_validator("item_id", "platform", "source_id")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @model_validator(mode="after")
    def _identity(self) -> Document:
        expected = make_doc_id(self.platform, self.item_id)
        if not self.doc_id:
            object.__setattr__(self, "doc_id", expected)
        elif self.doc_id != expected:
            raise ValueError(
                f"doc_id {self.doc_id!r} does not match platform and item_id "
                f"(expected {expected!r}); leave it out to have it computed"
            )
        return self

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# Minimal documents: what a user may load from an export of their own.
MINIMAL_KEYS = {"id", "text", "published_at"}
MINIMAL_OPTIONAL = {"title", "url", "platform", "source_id", "kind", "watch_ids"}


def from_record(record: dict[str, Any], *, default_platform: str = "import",
                default_source: str = "import", now: datetime | None = None) -> Document:
    """Build a Document from a full record or from a minimal one.

    A record with ``item_id`` is taken as a full Document.  A record with ``id``
    (and ``text``, ``published_at``) is a minimal one: the other fields are filled.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    if "item_id" in record:
        return Document.model_validate(record)
    missing = sorted(k for k in MINIMAL_KEYS if k not in record)
    if missing:
        raise ValueError(
            "neither a full Document (no 'item_id') nor a minimal one: missing "
            + ", ".join(repr(k) for k in missing)
        )
    unknown = sorted(set(record) - MINIMAL_KEYS - MINIMAL_OPTIONAL)
    if unknown:
        raise ValueError(
            "unknown keys in a minimal document: " + ", ".join(repr(k) for k in unknown)
            + f" (allowed: {', '.join(sorted(MINIMAL_KEYS | MINIMAL_OPTIONAL))})"
        )
    data: dict[str, Any] = {
        "item_id": str(record["id"]),
        "text": record["text"],
        "published_at": record["published_at"],
        "platform": record.get("platform") or default_platform,
        "source_id": record.get("source_id") or default_source,
        "crawled_at": now or datetime.now(UTC),
    }
    for key in ("title", "url", "kind", "watch_ids"):
        if record.get(key) is not None:
            data[key] = record[key]
    if "url" in data:
        data["canonical_url"] = data["url"]
    return Document.model_validate(data)
