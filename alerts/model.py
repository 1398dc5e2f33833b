"""The records of the alerts stage: what a detector sees of a document, a candidate, an alert."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from vigie.schema import Document

KINDS = ("emerging_topic", "crisis_keywords", "negative_spike", "toxicity_spike", "saved_query")
KIND_LABELS = {
    "emerging_topic": "Sujet émergent",
    "crisis_keywords": "Crise possible",
    "negative_spike": "Hausse des messages négatifs",
    "toxicity_spike": "Messages toxiques sur vos pages",
    "saved_query": "Requête enregistrée",
}
EXCERPT_CHARS = 280
# three levels at most; an alert starts at 1 and climbs one level each time its volume grows by the
# watch's ``escalation_factor`` (docs/alerts.md, "Escalation")
LEVEL_NAMES = {1: "information", 2: "vigilance", 3: "crise"}
MAX_LEVEL = max(LEVEL_NAMES)
DETECTOR_LABELS = {
    "emerging_topic": "sujet émergent",
    "crisis_keywords": "mots-clés de crise",
    "negative_spike": "hausse des messages négatifs",
    "toxicity_spike": "messages toxiques",
    "saved_query": "requête enregistrée",
}


def level_for(doc_count: int, base_count: int, factor: float) -> int:
    """1 + ⌊log_factor(doc_count / base_count)⌋, never above ``MAX_LEVEL``."""
    if not base_count or doc_count <= base_count:
        return 1
    return min(MAX_LEVEL, 1 + math.floor(math.log(doc_count / base_count, factor) + 1e-9))


def detector_names(detectors: list[str], labels: dict[str, str] | None = None) -> list[str]:
    """``kind:key`` entries in French: « mots-clés de crise (inondation) », « sujet émergent »."""
    out = []
    for entry in detectors:
        kind, _, key = entry.partition(":")
        name = DETECTOR_LABELS.get(kind, kind)
        shown = (labels or {}).get(entry) or key
        if shown and kind != "emerging_topic":
            name = f"{name} ({shown})"
        if name not in out:
            out.append(name)
    return out


def iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


class DocInfo:
    """What detection keeps of one Document: small, so a week of documents fits in memory."""

    __slots__ = (
        "author",
        "communes",
        "doc",
        "doc_id",
        "enriched",
        "entities",
        "fold_text",
        "own",
        "parent_id",
        "platform",
        "sentiment",
        "source_id",
        "source_kind",
        "terms",
        "text",
        "thread_id",
        "title",
        "topics",
        "toxic",
        "ts",
        "url",
    )

    def __init__(self, doc: Document, terms: list[str], own_accounts: frozenset[str] = frozenset(),
                 keep_doc: bool = False):
        self.doc_id = doc.doc_id
        self.ts = doc.published_at.timestamp()
        self.terms = terms
        self.url = doc.url or doc.canonical_url
        self.title = doc.title
        self.text = doc.text
        self.platform = doc.platform
        self.source_id = doc.source_id
        self.source_kind = doc.source_kind
        self.communes = [(c.insee, c.name) for c in doc.territory.communes]
        self.topics = doc.topics
        self.sentiment = doc.sentiment.label
        tox = doc.toxicity
        self.toxic = bool(tox.flagged or (tox.score is not None and tox.score >= 0.5))
        ents = doc.entities
        self.entities = doc.territory.places + [e for e in ents.locations if e not in doc.territory.places]
        self.enriched = doc.enriched_at is not None  # its places were found by the NLP stage
        self.thread_id = doc.thread_id
        self.parent_id = doc.parent_id
        handle = (doc.author.handle or doc.author.name or "").lstrip("@").lower()
        self.author = handle
        self.own = bool(handle and handle in own_accounts)
        self.doc = doc if keep_doc else None
        self.fold_text = None  # filled lazily by the saved-query evaluator

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text[:EXCERPT_CHARS * 2].split())
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"

    def sample(self) -> dict:
        return {"doc_id": self.doc_id, "url": self.url, "title": self.title, "excerpt": self.excerpt,
                "published_at": iso(self.ts), "platform": self.platform, "source_id": self.source_id}


@dataclass
class Candidate:
    """What a detector found in the slice that just closed."""

    kind: str
    key: str                   # identity hint: pack id, query name, topic, or "" for emerging topics
    docs: list[DocInfo]
    terms: list[str] = field(default_factory=list)  # top terms (surface forms), best first
    magnitude: float = 0.0     # MABED-style: sum of (observed - expected) over the burst interval
    growth: float = 0.0        # observed / expected over the burst interval
    start: float | None = None  # start of the burst interval (epoch seconds)
    duration_slices: int = 0
    label: str | None = None   # pack or query label, topic label


@dataclass
class Alert:
    alert_id: str
    watch_id: str
    kind: str
    key: str
    title: str
    status: str = "open"          # open | acknowledged | snoozed | closed
    level: int = 1
    first_seen: str | None = None
    fired_at: str | None = None
    last_seen: str | None = None
    magnitude: float = 0.0
    growth: float = 0.0
    doc_count: int = 0
    base_count: int = 0           # doc_count at level 1: escalation compares against it
    communes: list[str] = field(default_factory=list)
    commune_names: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    sample_doc_ids: list[str] = field(default_factory=list)
    samples: list[dict] = field(default_factory=list)
    sentiment: dict = field(default_factory=lambda: {"negative": 0, "neutral": 0, "positive": 0, "unknown": 0})
    start: str | None = None
    duration_slices: int = 0
    slice_minutes: int = 15
    doc_ids: list[str] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # one entry per level: level, fired_at, doc_count
    acked_at: str | None = None
    snoozed_until: str | None = None
    label: str | None = None
    # one event, one alert: what the detectors that joined it were ("kind:key"), and their labels
    detectors: list[str] = field(default_factory=list)
    detector_labels: dict = field(default_factory=dict)
    level_name: str = "information"
    event_label: str = ""         # « Inondation, cave — rue des Saules, Lambersart » (alerts/label.py)
    places: list[str] = field(default_factory=list)
    event_terms: list[str] = field(default_factory=list)
    label_stats: dict = field(default_factory=dict)  # the labeller's counts, so the next run goes on from them

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Alert:
        known = {f for f in cls.__dataclass_fields__}
        alert = cls(**{k: v for k, v in data.items() if k in known})
        alert.level = min(alert.level, MAX_LEVEL)  # stored by a version without the bound
        alert.level_name = LEVEL_NAMES[alert.level]
        if not alert.detectors:
            alert.detectors = [f"{alert.kind}:{alert.key}"]
        return alert


def alert_id(watch_id: str, kind: str, key: str, first_doc_id: str) -> str:
    raw = "\x1f".join((watch_id, kind, key, first_doc_id)).encode()
    return hashlib.blake2b(raw, digest_size=10).hexdigest()


def sentiment_mix(docs: list[DocInfo]) -> dict:
    mix = Counter(d.sentiment if d.sentiment in ("negative", "neutral", "positive") else "unknown" for d in docs)
    return {k: mix.get(k, 0) for k in ("negative", "neutral", "positive", "unknown")}


def top(values, n: int) -> list[str]:
    return [v for v, _ in Counter(values).most_common(n)]


def french_title(kind: str, terms: list[str], places: list[str], label: str | None, count: int,
                 window_label: str = "") -> str:
    """A short readable French title: what, where."""
    where = f" — {', '.join(places[:2])}" if places else ""
    what = ", ".join(terms[:3])
    if kind == "emerging_topic":
        return f"Sujet émergent : {what or 'nouveau fil de discussion'}{where}"
    if kind == "crisis_keywords":
        return f"Crise possible ({label}) : {what}{where}" if what else f"Crise possible ({label}){where}"
    if kind == "negative_spike":
        return f"Hausse des messages négatifs sur « {label} »" + (f" : {what}" if what else "") + where
    if kind == "toxicity_spike":
        return f"Messages toxiques en hausse sur vos pages ({count})" + (f" : {what}" if what else "")
    if kind == "saved_query":
        return f"Requête « {label} » : {count} documents{window_label}" + (f" ({what})" if what else "")
    return what or kind
