"""The contract between the spaCy components and the Document (shared by every component).

Each component writes one or more ``Doc`` extensions whose values are plain JSON-ready
data shaped like the Document field of the same name; ``vigie.nlp.enrich`` copies them onto
the Document.  Components read the watch context from ``doc._.watch`` (a
``WatchContext`` or None) that the enrichment driver sets before the pipeline runs.

| extension          | written by          | shape (see vigie.schema)                                   |
|--------------------|---------------------|------------------------------------------------------------|
| ``language``       | vigie_language      | "fr", "en", … (ISO 639-1)                                  |
| ``flags``          | any                 | list[str], appended to (truncated, mojibake_repaired, …)   |
| ``territory``      | vigie_territory     | {"communes": [{insee, name, departement}], "places": [...], |
|                    |                     |  "location": {"lat", "lon"} or None}                       |
| ``topics``         | vigie_topics        | list[str] (topic ids)                                      |
| ``services``       | vigie_topics        | list[str] (service ids)                                    |
| ``sentiment``      | vigie_sentiment     | {"label": negative|neutral|positive, "score": -1..1}       |
| ``toxicity``       | vigie_toxicity      | {"score": 0..1, "labels": [...], "flagged": bool,          |
|                    |                     |  "category", "target", "cue": str or None}                 |
| ``request``        | vigie_request       | {"is_request", "kind", "service", "cue"}                   |
| ``entities``       | vigie_terms         | {"persons": [...], "organisations": [...], "locations": [...]} |
| ``hashtags``, ``mentions``, ``links``, ``emojis``, ``keyphrases`` | vigie_terms | list[str] |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

EXTENSIONS = (
    "watch", "language", "flags", "territory", "topics", "services", "sentiment", "toxicity",
    "request", "entities", "hashtags", "mentions", "links", "emojis", "keyphrases",
)


@dataclass(frozen=True)
class WatchContext:
    """What a component may know of the watch a text belongs to."""

    watch_id: str | None = None
    communes: tuple[str, ...] = ()        # INSEE codes of the territory
    departements: tuple[str, ...] = ()
    places: tuple[str, ...] = ()          # quartiers, streets, venues
    keywords: tuple[str, ...] = ()
    own_accounts: tuple[str, ...] = ()
    topics: tuple[dict, ...] = field(default=())  # TopicRule dicts: {id, label, keywords, service}

    @classmethod
    def from_watch(cls, watch) -> WatchContext:
        return cls(
            watch_id=watch.id,
            communes=tuple(watch.territory.communes),
            departements=tuple(watch.territory.departements),
            places=tuple(watch.territory.places),
            keywords=tuple(watch.territory.keywords),
            own_accounts=tuple(watch.own_accounts),
            topics=tuple(t.model_dump() for t in watch.topics),
        )


def register() -> None:
    """Register every extension once, with ``default=None`` (never a mutable default)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()
