"""MABED-style bursts: each term's and each thread's counts scored against their own history.

After Guille & Favre, *Event detection, tracking, and visualization in Twitter: a mention-anomaly-based
approach* (MABED, 2015), written from the paper's description.  For a key k (a term, a thread, a crisis
pack, a topic's negative posts) and a time slice i, the anomaly is the observed count minus the count
expected from the key's share of the whole stream:

    anomaly(k, i) = n(k, i) - N(i) * p(k),   p(k) = (n(k, history) + 1) / (N(history) + prior)

``history`` is the key's own past (up to ``history_days``) before the interval being scored; ``prior``
(pseudo-documents) keeps a key never seen before from having a zero expectation.  MABED's burst is the
interval of maximal anomaly sum; online we want bursts that are still running, so the interval is the
best one *ending at the current slice* (at most ``lookback`` slices long).  Its sum is the magnitude,
its first slice the start and its length the duration; growth is observed / expected on it.

A burst must also be unlikely under the key's usual rate: its *significance* is
``-log10 P(X >= observed)`` for X ~ Poisson(expected).  Thousands of terms are scored every slice, so a
magnitude alone lets chance fluctuations of common words through (5 posts in a slice where 0.9 are
expected happens 2 times in 1,000); the significance threshold is the multiple-testing guard.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from vigie.alerts.model import Candidate, DocInfo

PRIOR_DOCS = 200.0


@dataclass
class Burst:
    key: str
    magnitude: float
    growth: float
    start: int          # slice index
    duration: int       # slices
    count: int          # observed documents in the interval
    expected: float = 0.0

    @property
    def significance(self) -> float:
        return poisson_significance(self.count, self.expected)


def poisson_significance(observed: int, expected: float) -> float:
    """-log10 P(X >= observed), X ~ Poisson(expected)."""
    if observed <= expected or observed <= 0:
        return 0.0
    expected = max(expected, 1e-9)
    log_pmf = -expected + observed * math.log(expected) - math.lgamma(observed + 1)
    total, term, k = 1.0, 1.0, observed
    while term > 1e-12 and k < observed + 200:
        k += 1
        term *= expected / k
        total += term
    return -(log_pmf + math.log(total)) / math.log(10)


class Series:
    """Counts per key and per slice, plus the stream's total per slice.

    Running totals make the history sums O(1); slices older than the horizon are dropped about once
    a day of slices, so the history is between ``horizon`` and ``horizon`` + 96 slices long.
    """

    def __init__(self, horizon_slices: int, lookback: int):
        self.horizon = horizon_slices
        self.lookback = lookback
        self.counts: dict[str, dict[int, int]] = defaultdict(dict)
        self.key_total: dict[str, int] = defaultdict(int)
        self.total: dict[int, int] = defaultdict(int)
        self.grand_total = 0
        self._pruned_at = None
        self._cache_now = None
        self._cache: tuple[list[int], int] = ([], 0)

    def add_total(self, slice_idx: int, n: int = 1) -> None:
        self.total[slice_idx] += n
        self.grand_total += n
        self._cache_now = None

    def add(self, key: str, slice_idx: int, n: int = 1) -> None:
        row = self.counts[key]
        row[slice_idx] = row.get(slice_idx, 0) + n
        self.key_total[key] += n

    def recent(self, key: str, now: int) -> int:
        row = self.counts.get(key)
        if not row:
            return 0
        return sum(row.get(i, 0) for i in range(now, now - self.lookback, -1))

    def _totals(self, now: int) -> tuple[list[int], int]:
        if self._cache_now != now:
            totals = [self.total.get(i, 0) for i in range(now, now - self.lookback, -1)]
            self._cache = (totals, self.grand_total - sum(totals))
            self._cache_now = now
        return self._cache

    def burst(self, key: str, now: int) -> Burst | None:
        """The best interval of positive anomaly ending at ``now`` (None when there is none)."""
        row = self.counts.get(key, {})
        totals, total_before = self._totals(now)
        counts = [row.get(i, 0) for i in range(now, now - self.lookback, -1)]
        before = self.key_total.get(key, 0) - sum(counts)
        p = (before + 1.0) / (total_before + PRIOR_DOCS)
        best_j, best_acc, best_obs, best_exp = -1, 0.0, 0, 0.0
        acc = expected = 0.0
        observed = 0
        for j, n in enumerate(counts):
            e = totals[j] * p
            acc += n - e
            observed += n
            expected += e
            if n and acc > best_acc:
                best_j, best_acc, best_obs, best_exp = j, acc, observed, expected
        if best_j < 0:
            return None
        return Burst(key, best_acc, best_obs / max(best_exp, 1e-3), now - best_j, best_j + 1, best_obs, best_exp)

    def prune(self, now: int) -> None:
        """Forget slices older than the horizon (about once a day of slices)."""
        if self._pruned_at is not None and now - self._pruned_at < 96:
            return
        self._pruned_at = now
        cut = now - self.horizon
        for i in [i for i in self.total if i <= cut]:
            self.grand_total -= self.total.pop(i)
        for key in list(self.counts):
            row = self.counts[key]
            for i in [i for i in row if i <= cut]:
                self.key_total[key] -= row.pop(i)
            if not row:
                del self.counts[key]
                del self.key_total[key]


class EmergingTopics:
    """Bursting terms and bursting first-story threads, merged into topics by shared documents."""

    def __init__(self, horizon_slices: int, lookback: int, min_docs: int, min_magnitude: float,
                 min_growth: float, ignore_terms: frozenset[str] = frozenset(), min_significance: float = 8.0):
        self.terms = Series(horizon_slices, lookback)
        self.threads = Series(horizon_slices, lookback)
        self.min_docs = min_docs
        self.min_magnitude = min_magnitude
        self.min_growth = min_growth
        self.ignore = ignore_terms
        self.min_significance = min_significance
        self.recent_terms: Counter = Counter()    # documents per term over the lookback
        self.recent_threads: Counter = Counter()

    def add(self, doc: DocInfo, thread: str, slice_idx: int) -> None:
        self.terms.add_total(slice_idx)
        self.threads.add_total(slice_idx)
        self.threads.add(thread, slice_idx)
        self.recent_threads[thread] += 1
        ignore = self.ignore
        counts = self.terms.counts
        key_total = self.terms.key_total
        recent = self.recent_terms
        for term in set(doc.terms):
            if term not in ignore:
                row = counts[term]
                row[slice_idx] = row.get(slice_idx, 0) + 1
                key_total[term] += 1
                recent[term] += 1

    def forget(self, doc: DocInfo, thread: str) -> None:
        """The document left the lookback."""
        self.recent_threads[thread] -= 1
        if not self.recent_threads[thread]:
            del self.recent_threads[thread]
        recent = self.recent_terms
        for term in set(doc.terms):
            if term in recent:
                recent[term] -= 1
                if not recent[term]:
                    del recent[term]

    def _bursts(self, series: Series, keys: Counter, now: int, recent_counts) -> list[Burst]:
        """Score the keys seen in this slice.  A key seen once in the slice whose whole lookback is not
        ``min_growth`` above its usual level is skipped: its burst, if any, was scored when it grew."""
        out = []
        totals, total_before = series._totals(now)
        window_total = sum(totals)
        for key, n_now in keys.items():
            recent = recent_counts.get(key, 0)
            if recent < self.min_docs:
                continue
            if n_now < 2:
                p = (series.key_total.get(key, 0) - recent + 1.0) / (total_before + PRIOR_DOCS)
                if recent < self.min_growth * p * window_total:
                    continue
            b = series.burst(key, now)
            if b and b.count >= self.min_docs and b.magnitude >= self.min_magnitude and b.growth >= self.min_growth \
                    and b.significance >= self.min_significance:
                out.append(b)
        return out

    def close(self, now: int, slice_docs: list[tuple[DocInfo, str]],
              recent: list[tuple[int, DocInfo, str]]) -> list[Candidate]:
        """Candidates at the end of slice ``now``; ``recent`` holds (slice, doc, thread) of the lookback."""
        terms_now = Counter(t for d, _ in slice_docs for t in set(d.terms) if t not in self.ignore)
        threads_now = Counter(th for _, th in slice_docs)
        groups: list[dict] = []
        items = [("term", b) for b in self._bursts(self.terms, terms_now, now, self.recent_terms)]
        if not items:
            return []  # an emerging topic needs at least one bursting term
        items += [("thread", b) for b in self._bursts(self.threads, threads_now, now, self.recent_threads)]
        items.sort(key=lambda it: (-it[1].magnitude, -it[1].significance, it[1].key))
        for what, b in items:
            if what == "term":
                docs = {d.doc_id: d for i, d, _ in recent if i >= b.start and b.key in d.terms}
            else:
                docs = {d.doc_id: d for i, d, th in recent if i >= b.start and th == b.key}
            for g in groups:
                shared = len(g["docs"].keys() & docs.keys())
                if shared * 2 >= min(len(g["docs"]), len(docs)):
                    g["docs"].update(docs)
                    g["bursts"].append((what, b))
                    break
            else:
                groups.append({"docs": docs, "bursts": [(what, b)]})
        out = []
        for g in groups:
            if not any(w == "term" for w, _ in g["bursts"]):
                continue  # a new thread whose words are all usual: a conversation, not a new topic
            docs = sorted(g["docs"].values(), key=lambda d: (d.ts, d.doc_id))
            lead = max(g["bursts"], key=lambda wb: wb[1].magnitude)[1]
            terms = [b.key for w, b in g["bursts"] if w == "term"]
            counts: dict[str, int] = defaultdict(int)
            for d in docs:
                for t in set(d.terms):
                    if t not in self.ignore:
                        counts[t] += 1
            for t, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:6]:
                if t not in terms:
                    terms.append(t)
            out.append(Candidate("emerging_topic", "", docs, terms[:6], magnitude=round(lead.magnitude, 2),
                                 growth=round(lead.growth, 2), start=lead.start, duration_slices=lead.duration))
        return out
