"""The detection engine of one watch: documents in ``published_at`` order in, alert events out.

``vigie alerts replay`` feeds it a file; ``vigie alerts run`` feeds it the watch's documents from
Elasticsearch.  Same code path: documents are cut into slices of ``slice_minutes`` (aligned on the
clock, in UTC); when a slice is complete every detector scores it, and the lifecycle turns candidates
into ``new`` and ``escalation`` events whose ``fired_at`` is the end of that slice.
"""

from __future__ import annotations

import gc
import re
from collections import Counter, deque
from collections.abc import Iterable

from vigie.alerts.detect.bursts import EmergingTopics, Series
from vigie.alerts.detect.first_story import FirstStory
from vigie.alerts.detect.saved_queries import SavedQueries
from vigie.alerts.detect.spikes import CrisisPacks, NegativeSpikes, ToxicitySpikes
from vigie.alerts.lifecycle import Lifecycle
from vigie.alerts.model import Alert, Candidate, DocInfo
from vigie.alerts.text import make_lemmatizer, stem
from vigie.config import Watch
from vigie.schema import Document
from vigie.textfold import fold

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


class Engine:
    def __init__(self, watch: Watch, *, lemmatizer=None, saved_query_matcher=None, known: list[Alert] = (),
                 topic_labels: dict[str, str] | None = None, keep_docs: bool = False):
        cfg = watch.alerts
        th = cfg.thresholds
        self.watch = watch
        self.kinds = set(cfg.kinds)
        self.slice_seconds = cfg.slice_minutes * 60
        territory_words = [*watch.territory.keywords]
        self.lemmatizer = lemmatizer or make_lemmatizer("light")
        ignore = frozenset(t for w in territory_words for t in self.lemmatizer.terms(w))
        horizon = int(th.history_days * 86400 // self.slice_seconds)
        self.lookback = th.lookback_slices
        self.warmup = th.warmup_hours * 3600
        self.fsd = FirstStory(threshold=th.similarity, window_seconds=th.fsd_window_hours * 3600)
        self.emerging = EmergingTopics(horizon, self.lookback, th.min_docs, th.min_magnitude, th.min_growth, ignore,
                                       th.min_significance)
        self.crisis = CrisisPacks(self.lemmatizer, cfg.crisis_packs, Series(horizon, self.lookback),
                                  th.crisis_min_docs, th.min_growth, min(th.min_magnitude, th.crisis_min_docs - 0.5),
                                  th.crisis_min_significance)
        self.negative = NegativeSpikes(Series(horizon, self.lookback), th.negative_min_docs, th.negative_share,
                                       th.min_growth, th.min_magnitude, topic_labels, th.min_significance)
        self.toxicity = ToxicitySpikes(Series(horizon, self.lookback), th.toxicity_min_docs, th.min_growth,
                                       min(th.min_magnitude, th.toxicity_min_docs - 0.5), th.crisis_min_significance)
        self.saved = SavedQueries(cfg.saved_queries, self.slice_seconds, saved_query_matcher) \
            if cfg.saved_queries and "saved_query" in self.kinds else None
        windows = {q.name: f" (seuil : {q.threshold} en {q.window})" for q in cfg.saved_queries}
        self.lifecycle = Lifecycle(
            watch.id, slice_minutes=cfg.slice_minutes, escalation_factor=th.escalation_factor,
            close_after_hours=th.close_after_hours, known=list(known),
            rematch_seconds=th.same_event_hours * 3600, territory=territory_words,
            window_label=lambda a: windows.get(a.key, "") if a.kind == "saved_query" else "")
        self.own = frozenset(a.lstrip("@").lower() for a in watch.own_accounts)
        self.keep_docs = keep_docs
        self.current: int | None = None
        self.first_ts: float | None = None
        self.slice_docs: list[tuple[DocInfo, str]] = []
        self.recent: deque = deque()
        self.docs_seen = 0
        self.slices_closed = 0

    # ------------------------------------------------------------------ input
    def run(self, docs: Iterable[Document], until: float | None = None, batch: int = 256) -> list[dict]:
        """Feed documents (already in ``published_at`` order) and close the last slice (or up to ``until``).

        The documents already loaded are moved out of the garbage collector's sight meanwhile (``gc.freeze``):
        scanning a week of them again and again cost about 6 % of the time.
        """
        events: list[dict] = []
        chunk: list[Document] = []
        gc.freeze()
        try:
            for doc in docs:
                chunk.append(doc)
                if len(chunk) >= batch:
                    events += self.feed_many(chunk)
                    chunk = []
            if chunk:
                events += self.feed_many(chunk)
            events += self.finish(until)
        finally:
            gc.unfreeze()
        return events

    def feed_many(self, docs: list[Document]) -> list[dict]:
        texts = [f"{d.title}\n{d.text}" if d.title else d.text for d in docs]
        all_terms = self.lemmatizer.terms_many(texts)
        events = []
        for doc, text, terms in zip(docs, texts, all_terms, strict=True):
            events += self.feed(doc, terms, text)
        return events

    def feed(self, doc: Document, terms: list[str] | None = None, text: str | None = None) -> list[dict]:
        if text is None:
            text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
        if terms is None:
            terms = self.lemmatizer.terms(text)
        info = DocInfo(doc, terms, self.own, self.keep_docs)
        idx = int(info.ts // self.slice_seconds)
        events = []
        if self.current is None:
            self.current = idx
            self.first_ts = info.ts
        elif idx > self.current:
            events = self._close()
            self.current = idx
        # a late document (older than the open slice) is counted in the open slice
        idx = self.current
        self.docs_seen += 1
        thread, _ = self.fsd.add(info.doc_id, info.ts, terms, (doc.thread_id, doc.parent_id))
        self.emerging.add(info, thread, idx)
        self.crisis.add(info, idx, text)
        self.negative.add(info, idx)
        self.toxicity.add(info, idx)
        if self.saved:
            self.saved.add(doc, info)
        self.slice_docs.append((info, thread))
        self.recent.append((idx, info, thread))
        return events

    def finish(self, until: float | None = None) -> list[dict]:
        """Close the open slice if it has ended by ``until`` (always, when ``until`` is None)."""
        if self.current is None:
            return []
        events = []
        if self.slice_docs and (until is None or (self.current + 1) * self.slice_seconds <= until):
            events = self._close()
            self.current += 1
        self.lifecycle.finish(until if until is not None else self.current * self.slice_seconds)
        return events

    # ------------------------------------------------------------------ slices
    def _close(self) -> list[dict]:
        now = self.current
        end = (now + 1) * self.slice_seconds
        self.slices_closed += 1
        lo = now - self.lookback
        recent = self.recent
        forgotten = []
        while recent and recent[0][0] <= lo:
            _, info, thread = recent.popleft()
            forgotten.append(info.doc_id)
            self.emerging.forget(info, thread)
        self.crisis.forget(forgotten)
        recent_list = list(recent)
        warm = self.first_ts is not None and end - self.first_ts >= self.warmup
        cands: list[Candidate] = []
        if "crisis_keywords" in self.kinds:
            cands += self.crisis.close(now, self.slice_docs, recent_list)
        if "emerging_topic" in self.kinds and warm:
            cands += self.emerging.close(now, self.slice_docs, recent_list)
        if "negative_spike" in self.kinds and warm:
            cands += self.negative.close(now, self.slice_docs, recent_list)
        if "toxicity_spike" in self.kinds:
            cands += self.toxicity.close(now, self.slice_docs, recent_list)
        if self.saved:
            cands += self.saved.close(end)
        for cand in cands:
            if cand.kind == "emerging_topic":
                cand.terms = readable_terms(cand.terms, cand.docs)
        self.slice_docs = []
        if now % 96 == 0:
            for series in (self.emerging.terms, self.emerging.threads, self.crisis.series, self.negative.series,
                           self.toxicity.series):
                series.prune(now)
        return self.lifecycle.apply(cands, end) if cands else []


def readable_terms(keys: list[str], docs: list[DocInfo]) -> list[str]:
    """Map term keys (stems or folded lemmas) back to the most frequent word written in the documents."""
    wanted = set(keys)
    seen: dict[str, Counter] = {}
    for d in docs[:50]:
        for word in WORD.findall(f"{d.title or ''} {d.excerpt}"):
            low = word.lower().strip("'’-")
            if "'" in low or "’" in low:
                low = re.split(r"['’]", low)[-1]
            key = fold(low)
            for k in (stem(key), key):
                if k in wanted:
                    seen.setdefault(k, Counter())[low] += 1
                    break
    return [seen[k].most_common(1)[0][0] if k in seen else k for k in keys]
