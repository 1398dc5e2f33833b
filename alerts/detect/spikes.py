"""Spikes: crisis keyword packs, negative sentiment per topic, toxicity on the collectivité's own pages.

All three count documents per slice in a ``Series`` and score the count with the same MABED-style
anomaly as bursts (``alerts/detect/bursts.py``): a pack, topic or page that always carries this much
traffic does not alert; a jump against its own history does.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from vigie.alerts.detect.bursts import Series
from vigie.alerts.model import Candidate, DocInfo
from vigie.textfold import fold

PACKS_FILE = Path(__file__).resolve().parent.parent / "data" / "crisis_packs.yaml"


def load_packs(path: Path = PACKS_FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["packs"]


def _select(series: Series, key: str, now: int, min_docs: int, min_growth: float, min_magnitude: float,
            min_significance: float):
    if series.recent(key, now) < min_docs:
        return None
    b = series.burst(key, now)
    if b and b.count >= min_docs and b.growth >= min_growth and b.magnitude >= min_magnitude \
            and b.significance >= min_significance:
        return b
    return None


def _docs(recent, start: int, keep) -> list[DocInfo]:
    return sorted((d for i, d, _ in recent if i >= start and keep(d)), key=lambda d: (d.ts, d.doc_id))


class CrisisPacks:
    """A pack matches a document when one of its terms (a word, or a phrase of consecutive words) is in it."""

    def __init__(self, lemmatizer, enabled: list[str], series: Series, min_docs: int, min_growth: float,
                 min_magnitude: float, min_significance: float = 5.0):
        packs = load_packs()
        known = [p["id"] for p in packs]
        if "all" not in enabled:
            unknown = sorted(set(enabled) - set(known))
            if unknown:
                raise ValueError(f"unknown crisis pack(s) {', '.join(unknown)}; known: {', '.join(known)}")
            packs = [p for p in packs if p["id"] in enabled]
        self.packs = packs
        self.single: dict[str, set[str]] = {}       # term -> pack ids
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}   # first word -> (words, pack)
        self.term_label: dict[tuple[str, ...], str] = {}
        raw: dict[str, list[tuple[str, str]]] = {}   # phrases made mostly of stop words: matched on text
        gate: set[str] = set()
        for pack in packs:
            for term in pack["terms"]:
                words = tuple(lemmatizer.terms(term))
                if len(words) < len(term.replace("'", " ").replace("-", " ").split()) and len(words) < 2:
                    raw.setdefault(fold(term), []).append((pack["id"], term))
                    gate.update(words or ["*"])
                    continue
                self.term_label[words] = term
                if len(words) == 1:
                    self.single.setdefault(words[0], set()).add(pack["id"])
                else:
                    self.phrases.setdefault(words[0], []).append((words, pack["id"]))
        self.raw = raw
        # the text is searched for those phrases only when one of their content words is in the document
        self.raw_gate = gate
        self.always = "*" in gate
        self.raw_re = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(raw, key=len, reverse=True))
                                 + r")\b") if raw else None
        self.labels = {p["id"]: p["label"] for p in packs}
        self.series = series
        self.min_docs, self.min_growth, self.min_magnitude = min_docs, min_growth, min_magnitude
        self.min_significance = min_significance
        self.matches: dict[str, dict[str, list[str]]] = {}  # doc id -> pack -> matched terms (recent docs)

    def match(self, terms: list[str], text: str = "") -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if self.raw_re is not None and text and (self.always or not self.raw_gate.isdisjoint(terms)):
            for phrase in set(self.raw_re.findall(fold(text).replace("’", "'"))):
                for pack, label in self.raw[phrase]:
                    found.setdefault(pack, []).append(label)
        single = self.single
        for t in set(terms):
            for pack in single.get(t, ()):
                found.setdefault(pack, []).append(self.term_label[(t,)])
        phrases = self.phrases
        for i, t in enumerate(terms):
            for words, pack in phrases.get(t, ()):
                if tuple(terms[i:i + len(words)]) == words:
                    labels = found.setdefault(pack, [])
                    if self.term_label[words] not in labels:
                        labels.append(self.term_label[words])
        return found

    def add(self, doc: DocInfo, slice_idx: int, text: str) -> None:
        self.series.add_total(slice_idx)
        found = self.match(doc.terms, text)
        if found:
            self.matches[doc.doc_id] = found
            for pack in found:
                self.series.add(pack, slice_idx)

    def close(self, now: int, slice_docs, recent) -> list[Candidate]:
        packs_now = {p for d, _ in slice_docs for p in self.matches.get(d.doc_id, ())}
        out = []
        for pack in sorted(packs_now):
            b = _select(self.series, pack, now, self.min_docs, self.min_growth, self.min_magnitude,
                        self.min_significance)
            if not b:
                continue
            docs = _docs(recent, b.start, lambda d, p=pack: p in self.matches.get(d.doc_id, ()))
            counts: dict[str, int] = {}
            for d in docs:
                for term in self.matches[d.doc_id][pack]:
                    counts[term] = counts.get(term, 0) + 1
            terms = sorted(counts, key=lambda t: -counts[t])
            out.append(Candidate("crisis_keywords", pack, docs, terms, round(b.magnitude, 2), round(b.growth, 2),
                                 b.start, b.duration, label=self.labels[pack]))
        return out

    def forget(self, doc_ids) -> None:
        for doc_id in doc_ids:
            self.matches.pop(doc_id, None)


class NegativeSpikes:
    """Negative documents per topic: many, mostly negative, and far above the topic's usual level."""

    def __init__(self, series: Series, min_docs: int, share: float, min_growth: float, min_magnitude: float,
                 topic_labels: dict[str, str] | None = None, min_significance: float = 8.0):
        self.series = series
        self.min_significance = min_significance
        self.min_docs, self.share, self.min_growth, self.min_magnitude = min_docs, share, min_growth, min_magnitude
        self.labels = topic_labels or {}

    def add(self, doc: DocInfo, slice_idx: int) -> None:
        self.series.add_total(slice_idx)
        if doc.sentiment == "negative":
            for topic in doc.topics:
                self.series.add(topic, slice_idx)

    def close(self, now: int, slice_docs, recent) -> list[Candidate]:
        topics_now = {t for d, _ in slice_docs if d.sentiment == "negative" for t in d.topics}
        out = []
        for topic in sorted(topics_now):
            b = _select(self.series, topic, now, self.min_docs, self.min_growth, self.min_magnitude,
                        self.min_significance)
            if not b:
                continue
            on_topic = _docs(recent, b.start, lambda d, t=topic: t in d.topics)
            negative = [d for d in on_topic if d.sentiment == "negative"]
            if len(negative) < self.share * len(on_topic):
                continue
            out.append(Candidate("negative_spike", topic, negative, [], round(b.magnitude, 2), round(b.growth, 2),
                                 b.start, b.duration, label=self.labels.get(topic, topic)))
        return out


class ToxicitySpikes:
    """Toxic comments on the collectivité's own pages (its accounts, its Facebook page, replies to its posts)."""

    def __init__(self, series: Series, min_docs: int, min_growth: float, min_magnitude: float,
                 min_significance: float = 4.0):
        self.series = series
        self.min_significance = min_significance
        self.min_docs, self.min_growth, self.min_magnitude = min_docs, min_growth, min_magnitude
        self.own_threads: set[str] = set()

    def is_own(self, doc: DocInfo) -> bool:
        if doc.own:
            self.own_threads.add(doc.doc_id)
            return True
        return doc.source_kind == "facebook_page" or doc.thread_id in self.own_threads \
            or doc.parent_id in self.own_threads

    def add(self, doc: DocInfo, slice_idx: int) -> bool:
        own = self.is_own(doc)
        if own:
            self.series.add_total(slice_idx)
            if doc.toxic:
                self.series.add("own_pages", slice_idx)
        return own and doc.toxic

    def close(self, now: int, slice_docs, recent) -> list[Candidate]:
        if not any(d.toxic for d, _ in slice_docs):
            return []
        b = _select(self.series, "own_pages", now, self.min_docs, self.min_growth, self.min_magnitude,
                    self.min_significance)
        if not b:
            return []
        docs = _docs(recent, b.start, lambda d: d.toxic and self.is_own(d))
        return [Candidate("toxicity_spike", "own_pages", docs, [], round(b.magnitude, 2), round(b.growth, 2),
                          b.start, b.duration, label="vos pages")]
