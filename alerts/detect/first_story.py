"""Online first-story detection (FSD) over lemmatised text: TF-IDF, cosine threshold, sliding window.

Each document is compared with the documents of the last ``window`` seconds.  If its nearest
neighbour's cosine similarity reaches ``threshold`` it joins that neighbour's thread; otherwise it is
a *first story* and starts a thread of its own (Allan et al.'s FSD, in the variant Mazoyer et al.
found best on French tweets: TF-IDF vectors and a threshold on the nearest neighbour in a window).
A reply whose platform thread (``thread_id``/``parent_id``) is known and that resembles nothing joins
its platform thread.

Speed: vectors are sparse dicts; candidates come from an inverted index (term -> the most recent
``max_postings`` documents holding it), queried with the document's ``max_query_terms`` heaviest
terms, so one document costs a few hundred multiplications whatever the window holds (the bounded
postings play the part of Petrović et al.'s bounded comparisons).  IDF is computed online.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from operator import itemgetter


class FirstStory:
    def __init__(self, threshold: float = 0.5, window_seconds: float = 86400, max_postings: int = 8,
                 max_query_terms: int = 5):
        self.threshold = threshold
        self.window = window_seconds
        self.max_postings = max_postings
        self.max_query_terms = max_query_terms
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.postings: dict[str, deque] = {}                            # term -> (serial, weight)
        self.norms: dict[int, float] = {}                              # serial -> norm (in window)
        self.thread_of: dict[int, str] = {}                            # serial -> thread id
        self.thread_by_doc: dict[str, str] = {}                        # doc id -> thread id (in window)
        self._expiry: deque = deque()                                   # (ts, serial, doc id)
        self._serial = 0

    def _expire(self, ts: float) -> None:
        limit = ts - self.window
        expiry = self._expiry
        while expiry and expiry[0][0] < limit:
            _, serial, doc_id = expiry.popleft()
            self.norms.pop(serial, None)
            self.thread_of.pop(serial, None)
            self.thread_by_doc.pop(doc_id, None)

    def add(self, doc_id: str, ts: float, terms: list[str], roots: tuple[str | None, ...] = ()) -> tuple[str, float]:
        """Place one document; returns (thread id, similarity to its nearest neighbour)."""
        self._expire(ts)
        tf = Counter(terms)
        n = self.n_docs
        df = self.df
        log = math.log
        log_n = log(n + 1)
        weights = {t: (1.0 + log(c) if c > 1 else 1.0) * (log_n - log(df.get(t, 0) + 1) + 1.0) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        query = sorted(weights.items(), key=itemgetter(1), reverse=True)[:self.max_query_terms]
        dots: dict[int, float] = {}
        get = dots.get
        postings = self.postings
        for term, w in query:
            plist = postings.get(term)
            if plist:
                for serial, w2 in plist:
                    dots[serial] = get(serial, 0.0) + w * w2
        best, best_sim = None, 0.0
        norms = self.norms
        for serial, dot in dots.items():
            other = norms.get(serial)
            if other is not None:  # None: out of the window
                sim = dot / (norm * other)
                if sim > best_sim:
                    best, best_sim = serial, sim
        if best is not None and best_sim >= self.threshold:
            thread = self.thread_of[best]
        else:
            thread = next((self.thread_by_doc[r] for r in roots if r and r in self.thread_by_doc), doc_id)
        serial = self._serial = self._serial + 1
        norms[serial] = norm
        self.thread_of[serial] = thread
        self.thread_by_doc[doc_id] = thread
        self._expiry.append((ts, serial, doc_id))
        for term, w in weights.items():
            df[term] += 1
            plist = postings.get(term)
            if plist is None:
                plist = postings[term] = deque(maxlen=self.max_postings)
            plist.append((serial, w))
        self.n_docs = n + 1
        return thread, best_sim
