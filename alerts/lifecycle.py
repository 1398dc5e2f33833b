"""One event, one alert: match candidates to alerts, escalate, acknowledge, snooze, close.

- **Matching.** Every detector's candidate (crisis pack, emerging topic, negative spike, toxicity,
  saved query) joins the open alert of the same event, whatever detector opened it:
  - the same detector and key (``kind:key``) seen again while the alert is active (a crisis pack
    or a topic's negative spike back after more than ``same_event_hours`` with no document in
    common is another event);
  - shared documents: a third of the smaller side for crisis packs and emerging topics; half of
    the candidate's own documents for negative spikes, toxicity and saved queries (they are views
    of an event, not events of their own);
  - the *event key*: for crisis packs and emerging topics, the same specific place (street,
    quarter, road) and one event word in common, or two event words in common (alerts/label.py),
    or, for emerging topics, two of the three main terms.  This is what keeps the next day's wave of
    the same event (new documents, new bursting terms) in the same alert.
  Otherwise it opens a new alert whose id hashes the watch, kind, key and first document, so a replay
  of the same documents gives the same ids.  The alert records every contributing detector
  (``detectors``).
- **Escalation**: level = min(3, 1 + ⌊log_f(doc_count / base_count)⌋) with f = ``escalation_factor``
  (2: the volume doubled): 1 information, 2 vigilance, 3 crise; never above 3.  A higher level emits an
  ``escalation`` event; anything else only updates the record.
- An alert quiet for ``close_after_hours`` closes; the same words later open a new alert.
- Acknowledged alerts stay acknowledged; their escalations are still emitted and sent (it got worse).
  Snoozed alerts emit events with ``deliver: false`` until ``snoozed_until``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from vigie.alerts import label as labeller
from vigie.alerts.model import (
    LEVEL_NAMES,
    Alert,
    Candidate,
    DocInfo,
    alert_id,
    french_title,
    iso,
    level_for,
    sentiment_mix,
)

MAX_DOC_IDS = 2000
KEYED = {"crisis_keywords", "saved_query", "negative_spike", "toxicity_spike"}
TOPICAL = ("emerging_topic", "crisis_keywords")   # detectors that see events (and may match by event key)
VIEWS = ("negative_spike", "toxicity_spike", "saved_query")  # join an event holding half their documents
GENERIC = ("crisis_keywords", "negative_spike")  # categories: the same one much later is another event
MAX_FACTS = 50_000
# the label is made from an alert's first 100 documents (and a candidate's first 40 for the event key):
# more would not change it, and tagging is the costly part of an alert (docs/alerts.md, "Labels")
MAX_LABEL_DOCS = 100
MAX_KEY_DOCS = 40
LABEL_CHARS = 1500


def parse_ts(value: str | None) -> float | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).timestamp()


class Lifecycle:
    def __init__(self, watch_id: str, *, slice_minutes: int = 15, escalation_factor: float = 2.0,
                 close_after_hours: float = 24, known: list[Alert] = (),
                 commune_names: dict[str, str] | None = None, window_label=None, rematch_seconds: float = 4 * 3600,
                 territory: list[str] = ()):
        self.watch_id = watch_id
        self.slice_minutes = slice_minutes
        self.factor = escalation_factor
        self.close_after = close_after_hours * 3600
        self.rematch = rematch_seconds
        self.alerts: dict[str, Alert] = {}
        self.docsets: dict[str, set[str]] = {}
        self.counters: dict[str, dict[str, Counter]] = {}
        self.commune_names = commune_names or {}
        self.window_label = window_label or (lambda c: "")
        self.touched: set[str] = set()
        self.territory = list(territory)   # the watch's place names: a place when a post names them
        self.facts: dict[str, labeller.DocFacts] = {}   # doc id -> nouns and places (alerted documents)
        self.labels: dict[str, labeller.EventLabel] = {}
        for alert in known:
            self.labels[alert.alert_id] = label_from_stats(alert.label_stats)
            self.alerts[alert.alert_id] = alert
            self.docsets[alert.alert_id] = set(alert.doc_ids)
            self.counters[alert.alert_id] = {
                "communes": Counter({c: len(alert.communes) - i for i, c in enumerate(alert.communes)}),
                "topics": Counter({t: len(alert.topics) - i for i, t in enumerate(alert.topics)}),
                "sources": Counter({s: len(alert.sources) - i for i, s in enumerate(alert.sources)}),
                "entities": Counter({e: len(alert.entities) - i for i, e in enumerate(alert.entities)}),
            }

    # ------------------------------------------------------------------ matching
    def _open(self, end: float):
        """Alerts open at ``end``.  Closing is a matter of time (quiet for ``close_after``), so an alert
        stored as closed by a later run is open again while ``vigie alerts run`` replays the days
        before it closed; acknowledged and snoozed alerts keep their status."""
        for alert in self.alerts.values():
            if (parse_ts(alert.last_seen) or 0) < end - self.close_after:
                if alert.status != "closed":
                    alert.status = "closed"
                    self.touched.add(alert.alert_id)
                continue
            if alert.status == "closed":
                alert.status = "open"
            yield alert

    def finish(self, end: float) -> None:
        """Close what is quiet at the end of the run."""
        for _ in self._open(end):
            pass

    def _facts(self, docs: list[DocInfo]) -> list[labeller.DocFacts]:
        todo = [d for d in docs if d.doc_id not in self.facts]
        if todo:
            if len(self.facts) > MAX_FACTS:
                self.facts.clear()
            found = labeller.analyse([(f"{d.title}\n{d.text}" if d.title else d.text)[:LABEL_CHARS] for d in todo],
                                     [d.entities for d in todo],
                                     [[n for _, n in d.communes] + self.territory for d in todo],
                                     [d.enriched for d in todo])
            self.facts.update(zip((d.doc_id for d in todo), found, strict=True))
        return [self.facts[d.doc_id] for d in docs]

    def _same_event(self, cand_label: labeller.EventLabel, alert: Alert, first_ts: float) -> bool:
        """The event key: the same specific place and an event word, or two event words in common, with
        the alert active within ``close_after_hours`` before the candidate's first document (a night's
        pause does not split an event).  The words are the posts' own nouns (a crisis pack's label,
        shared by all its events, does not count)."""
        acc = self.labels.get(alert.alert_id)
        if acc is None or not acc.docs or (parse_ts(alert.last_seen) or 0) < first_ts - self.close_after:
            return False
        words = set(cand_label.top_words(4, boosted=False)) & set(acc.top_words(4, boosted=False))
        places = cand_label.top_specific(2) & acc.top_specific(2)
        return (bool(words) and bool(places)) or len(words) >= 2

    def _match(self, cand: Candidate, end: float) -> Alert | None:
        ids = {d.doc_id for d in cand.docs}
        entry = f"{cand.kind}:{cand.key}"
        best, best_score = None, 0.0
        cand_label = None
        for alert in self._open(end):
            docs = self.docsets[alert.alert_id]
            shared = len(ids & docs)
            # the same pack, query, topic or pages: one alert while it goes on
            if cand.kind in KEYED and (alert.kind, alert.key) == (cand.kind, cand.key) and (
                    cand.kind not in GENERIC or (parse_ts(alert.last_seen) or 0) >= end - self.rematch or shared):
                return alert
            if cand.kind in KEYED and entry in alert.detectors and shared:
                return alert
            if cand.kind in VIEWS:
                ok = shared * 2 >= len(ids)
            else:
                ok = shared * 3 >= min(len(ids), len(docs) or 1) and shared > 0
            score = float(shared)
            if not ok and cand.kind in TOPICAL and any(d.split(":")[0] in TOPICAL for d in alert.detectors):
                if cand.kind == "emerging_topic" and len(set(cand.terms[:3]) & set(alert.terms[:3])) >= 2:
                    ok, score = True, 0.5
                else:
                    if cand_label is None:
                        cand_label = labeller.EventLabel()
                        for facts in self._facts(cand.docs[:MAX_KEY_DOCS]):
                            cand_label.add(facts)
                    if self._same_event(cand_label, alert, cand.docs[0].ts):
                        ok, score = True, 0.5
            if ok and score > best_score:
                best, best_score = alert, score
        return best

    # ------------------------------------------------------------------ updates
    def apply(self, candidates: list[Candidate], end: float) -> list[dict]:
        events = []
        for cand in candidates:
            if not cand.docs:
                continue
            alert = self._match(cand, end)
            event = self._open_new(cand, end) if alert is None else self._update(alert, cand, end)
            if event:
                events.append(event)
        for alert in list(self._open(end)):
            if alert.status == "snoozed" and (parse_ts(alert.snoozed_until) or 0) <= end:
                alert.status = "open"
                self.touched.add(alert.alert_id)
        return events

    def _open_new(self, cand: Candidate, end: float) -> dict | None:
        first = cand.docs[0]
        aid = alert_id(self.watch_id, cand.kind, cand.key, first.doc_id)
        if aid in self.alerts:  # known from an earlier run
            return self._update(self.alerts[aid], cand, end)
        alert = Alert(alert_id=aid, watch_id=self.watch_id, kind=cand.kind, key=cand.key, title="",
                      first_seen=iso(first.ts), slice_minutes=self.slice_minutes, label=cand.label,
                      sentiment={"negative": 0, "neutral": 0, "positive": 0, "unknown": 0})
        self.alerts[aid] = alert
        self.labels[aid] = labeller.EventLabel()
        self.docsets[aid] = set()
        self.counters[aid] = {k: Counter() for k in ("communes", "topics", "sources", "entities")}
        self._absorb(alert, cand, end)
        alert.base_count = alert.doc_count
        alert.level = 1
        alert.level_name = LEVEL_NAMES[1]
        alert.title = self._title(alert)
        alert.fired_at = iso(end)
        alert.history = [{"level": 1, "fired_at": alert.fired_at, "doc_count": alert.doc_count}]
        return self._event("new", alert, end)

    def _update(self, alert: Alert, cand: Candidate, end: float) -> dict | None:
        self._absorb(alert, cand, end)
        level = level_for(alert.doc_count, alert.base_count, self.factor)
        if level <= alert.level:
            return None
        alert.level = level
        alert.level_name = LEVEL_NAMES[level]
        alert.title = self._title(alert)
        alert.fired_at = iso(end)
        alert.history.append({"level": level, "fired_at": alert.fired_at, "doc_count": alert.doc_count})
        if alert.status == "closed":
            alert.status = "open"
        return self._event("escalation", alert, end)

    def _absorb(self, alert: Alert, cand: Candidate, end: float) -> None:
        aid = alert.alert_id
        docset = self.docsets[aid]
        new: list[DocInfo] = [d for d in cand.docs if d.doc_id not in docset]
        counters = self.counters[aid]
        for d in new:
            docset.add(d.doc_id)
            counters["communes"].update(c for c, _ in d.communes)
            for insee, name in d.communes:
                self.commune_names.setdefault(insee, name)
            counters["topics"].update(d.topics)
            counters["sources"].update([f"{d.platform}/{d.source_id}"])
            counters["entities"].update(d.entities)
        mix = sentiment_mix(new)
        for k, v in mix.items():
            alert.sentiment[k] = alert.sentiment.get(k, 0) + v
        alert.doc_count = len(docset)
        if len(alert.doc_ids) < MAX_DOC_IDS:
            alert.doc_ids = (alert.doc_ids + [d.doc_id for d in new])[:MAX_DOC_IDS]
        alert.last_seen = iso(max([parse_ts(alert.last_seen) or 0] + [d.ts for d in cand.docs]))
        alert.magnitude = max(alert.magnitude, cand.magnitude)
        alert.growth = cand.growth
        if cand.start is not None and alert.start is None:
            alert.start = iso(cand.start * self.slice_minutes * 60)
        alert.duration_slices = max(alert.duration_slices, cand.duration_slices)
        entry = f"{cand.kind}:{cand.key}"
        if entry not in alert.detectors:
            alert.detectors = [*alert.detectors, entry]
        if cand.label and cand.kind != "emerging_topic":
            alert.detector_labels = {**alert.detector_labels, entry: cand.label}
        if cand.kind == alert.kind == "crisis_keywords" and cand.label and cand.label not in alert.label.split(", "):
            alert.label = f"{alert.label}, {cand.label}"
        acc = self.labels.setdefault(aid, labeller.EventLabel())
        for facts in self._facts(new[:max(0, MAX_LABEL_DOCS - acc.docs)]):
            acc.add(facts)
        if cand.kind == "crisis_keywords" and cand.label and new:
            acc.add_words(labeller.label_words(cand.label), len(new))
        alert.label_stats = acc.to_stats()
        alert.event_label = acc.label()
        alert.places = acc.place_names()
        alert.event_terms = acc.event_words()
        terms = alert.terms + [t for t in cand.terms if t not in alert.terms]
        alert.terms = terms[:8]
        alert.communes = [c for c, _ in counters["communes"].most_common(10)]
        alert.commune_names = [self.commune_names.get(c, c) for c in alert.communes]
        alert.topics = [t for t, _ in counters["topics"].most_common(5)]
        alert.sources = [s for s, _ in counters["sources"].most_common(10)]
        alert.entities = [e for e, _ in counters["entities"].most_common(5)]
        samples = {s["doc_id"]: s for s in alert.samples}
        for d in cand.docs[:3] + cand.docs[-2:]:
            samples.setdefault(d.doc_id, d.sample())
        ordered = sorted(samples.values(), key=lambda s: s["published_at"] or "")
        alert.samples = ordered[:3] + ordered[3:][-2:]
        alert.sample_doc_ids = [s["doc_id"] for s in alert.samples]
        alert.title = self._title(alert)
        self.touched.add(aid)

    def _title(self, alert: Alert) -> str:
        """« Vigilance : Inondation, cave — rue des Saules, Lambersart ».  Toxic comments on the watch's
        own pages alone keep their own title: their words are insults, not an event."""
        level = LEVEL_NAMES.get(alert.level, LEVEL_NAMES[1]).capitalize()
        only_toxic = all(d.startswith("toxicity_spike:") for d in alert.detectors)
        if alert.event_label and not only_toxic:
            return f"{level} : {alert.event_label}"
        counters = self.counters[alert.alert_id]
        places = [e for e, n in counters["entities"].most_common(2) if n >= 2] or alert.commune_names[:1]
        return f"{level} : " + french_title(alert.kind, alert.terms, places, alert.label, alert.doc_count,
                                            self.window_label(alert))

    def _event(self, kind: str, alert: Alert, end: float) -> dict:
        self.touched.add(alert.alert_id)
        deliver = not (alert.status == "snoozed" and (parse_ts(alert.snoozed_until) or 0) > end)
        data = alert.to_dict()
        data.pop("doc_ids")
        data.pop("label_stats")  # the labeller's counts: stored, not sent
        return {"event": kind, "deliver": deliver, **data}

    # ------------------------------------------------------------------ user actions
    @staticmethod
    def acknowledge(alert: Alert, when: datetime) -> Alert:
        alert.status = "acknowledged"
        alert.acked_at = iso(when.timestamp())
        return alert

    @staticmethod
    def snooze(alert: Alert, until: datetime) -> Alert:
        alert.status = "snoozed"
        alert.snoozed_until = iso(until.timestamp())
        return alert


def label_from_stats(stats: dict | None) -> labeller.EventLabel:
    return labeller.EventLabel.from_stats(stats or {})
