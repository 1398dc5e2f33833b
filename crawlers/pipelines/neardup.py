"""Near-duplicates (syndicated articles, a press release on three sites) are linked, not repeated.

Each Document of at least ``VIGIE_NEAR_DUPLICATE_MIN_WORDS`` words is signed with MinHash
(word 3-shingles, 64 permutations) and looked up in an LSH index holding the signatures of
the Documents written before, in this run and in earlier ones (kept in the state).  When a
candidate's estimated Jaccard similarity reaches ``VIGIE_NEAR_DUPLICATE_THRESHOLD``, the
Document gets ``near_duplicate_of`` = the doc_id of the *first* copy (a copy of a copy points
at the first one).  Versions of the same page and the Document itself never count.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scrapy.exceptions import NotConfigured

from vigie.crawlers._text import NUM_PERM, decode_signature, encode_signature, minhash, words
from vigie.crawlers.pipelines import vigie_spider
from vigie.schema import Document


@cache
def _bands(threshold: float) -> tuple[int, int]:
    """The LSH bands and rows for ``threshold``, computed once per process (the computation, a numerical
    integration, costs milliseconds: a crawl process of many sources would repeat it for each)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class NearDuplicatePipeline:
    def __init__(self, crawler: Any, threshold: float, min_words: int):
        self.crawler = crawler
        self.threshold = threshold
        self.min_words = min_words
        self.lsh: Any = None
        self.order: dict[str, int] = {}
        self.signatures: dict[str, Any] = {}
        self.chain: dict[str, str] = {}  # doc_id -> doc_id of its first version

    @classmethod
    def from_crawler(cls, crawler: Any) -> NearDuplicatePipeline:
        threshold = crawler.settings.getfloat("VIGIE_NEAR_DUPLICATE_THRESHOLD", 0.8)
        if not vigie_spider(crawler) or threshold <= 0:
            raise NotConfigured
        return cls(crawler, threshold, crawler.settings.getint("VIGIE_NEAR_DUPLICATE_MIN_WORDS", 40))

    def _index(self) -> Any:
        """The LSH index, built on first use: a run without long texts never imports datasketch
        (whose import pulls in scipy and costs seconds per crawl process)."""
        if self.lsh is None:
            from datasketch import MinHashLSH

            self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM, params=_bands(self.threshold))
            for doc_id, encoded in list(self.crawler.spider.state.signatures.items()):
                try:
                    self._insert(doc_id, decode_signature(encoded))
                except ValueError:
                    continue
        return self.lsh

    def _insert(self, doc_id: str, signature: Any) -> None:
        if doc_id in self.order:
            self.lsh.remove(doc_id)
        self.lsh.insert(doc_id, signature)
        self.order[doc_id] = len(self.order)
        self.signatures[doc_id] = signature

    def process_item(self, doc: Document) -> Document:
        tokens = words(doc.text)
        if len(tokens) < self.min_words:
            return doc
        state = self.crawler.spider.state
        self._index()
        signature = minhash(tokens)
        base = doc.version_of or doc.doc_id
        if not doc.near_duplicate_of:
            best = None
            for candidate in self.lsh.query(signature):
                if candidate == doc.doc_id or self.chain.get(candidate, candidate) == base:
                    continue
                if state.root_of(candidate) == doc.doc_id:
                    continue
                if signature.jaccard(self.signatures[candidate]) < self.threshold:
                    continue  # an LSH false positive
                if best is None or self.order[candidate] < self.order[best]:
                    best = candidate
            if best is not None:
                doc = doc.model_copy(update={"near_duplicate_of": state.root_of(best)})
                self.crawler.stats.inc_value("vigie/near_duplicates")
        self.chain[doc.doc_id] = base
        self._insert(doc.doc_id, signature)
        state.signatures.pop(doc.doc_id, None)
        state.signatures[doc.doc_id] = encode_signature(signature)
        return doc
