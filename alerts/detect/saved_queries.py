"""Saved queries: Elasticsearch query strings from watch.yaml, with a threshold per window.

Online (``vigie alerts run``) each query runs as an Elasticsearch ``query_string`` query over the
watch's documents (``fields: [title, text]``, ``default_operator: AND``): the cluster decides which
documents match.  Offline (``vigie alerts replay``) there may be no cluster, so the same string is
evaluated here by a small evaluator of the subset documented in docs/alerts.md:

- words (French analysis as in the index: case, accents, elisions, stop words, light stemming),
  ``"phrases"`` (consecutive words, stop words skipped), ``prefix*``;
- ``AND``/``&&``, ``OR``/``||``, ``NOT``/``!``, ``+word``, ``-word``, parentheses; juxtaposition is AND;
- ``field:value`` / ``field:"phrase"`` / ``field:(a OR b)`` on ``title``, ``text`` and the keyword fields
  ``topics``, ``services``, ``platform``, ``source_id``, ``source_kind``, ``kind``, ``language``,
  ``sentiment.label``, ``hashtags``, ``mentions``, ``territory.communes.insee``,
  ``territory.communes.name``, ``territory.places``.

Anything else (ranges, fuzzy ``~``, boosts ``^``, regular expressions) is refused with a clear error
rather than silently evaluated differently.  Both sides are checked against each other on the real
node in ``tests/alerts/test_saved_queries.py``.  Indexing replayed documents into a temporary index
would give exact Elasticsearch semantics but make replay depend on a cluster and be ~100 times slower.
"""

from __future__ import annotations

import re
from collections import deque

from vigie.alerts.detect._french_light import analyze
from vigie.alerts.model import Candidate, DocInfo
from vigie.schema import Document
from vigie.textfold import fold

TEXT_FIELDS = ("title", "text")
KEYWORD_FIELDS = {
    "topics": lambda d: d.topics, "services": lambda d: d.services, "platform": lambda d: [d.platform],
    "source_id": lambda d: [d.source_id], "source_kind": lambda d: [d.source_kind or ""],
    "kind": lambda d: [str(d.kind)], "language": lambda d: [d.language or ""],
    "sentiment.label": lambda d: [d.sentiment.label or ""],
    "hashtags": lambda d: [h.lower() for h in d.hashtags], "mentions": lambda d: [m.lower() for m in d.mentions],
    "territory.communes.insee": lambda d: [c.insee for c in d.territory.communes],
    "territory.communes.name": lambda d: [c.name for c in d.territory.communes],
    "territory.places": lambda d: d.territory.places,
}
LOWERCASE_FIELDS = {"hashtags", "mentions"}
TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|&&|\|\||[+\-!](?=\S)|[^\s()"]+)')
UNSUPPORTED = re.compile(r"[~^\[\]{}/]|\bTO\b")


class QueryError(ValueError):
    pass




class Query:
    """A parsed query string: ``matches(Document) -> bool``."""

    def __init__(self, text: str):
        self.text = text
        if UNSUPPORTED.search(text):
            raise QueryError(f"{text!r}: ranges, fuzziness (~), boosts (^) and regular expressions are not "
                             "supported in saved queries")
        pos, self.tokens = 0, []
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m:
                if text[pos:].strip():
                    raise QueryError(f"{text!r}: cannot read the query at character {pos + 1}")
                break
            self.tokens.append(m.group(1))
            pos = m.end()
        self.i = 0
        self.field = None  # the field of an enclosing ``field:( … )`` group
        self.tree = self._or()
        if self.i < len(self.tokens):
            raise QueryError(f"{text!r}: unexpected {self.tokens[self.i]!r}")

    # -- parsing: or := and (OR and)*; and := unary (AND? unary)*; unary := (NOT|!|-|+) unary | primary
    def _peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _or(self):
        parts = [self._and()]
        while self._peek() in ("OR", "||"):
            self.i += 1
            parts.append(self._and())
        return ("or", parts) if len(parts) > 1 else parts[0]

    def _and(self):
        parts = [self._unary()]
        while self._peek() not in (None, ")", "OR", "||"):
            if self._peek() in ("AND", "&&"):
                self.i += 1
            parts.append(self._unary())
        return ("and", parts) if len(parts) > 1 else parts[0]

    def _unary(self):
        tok = self._peek()
        if tok in ("NOT", "!", "-"):
            self.i += 1
            return ("not", self._unary())
        if tok == "+":
            self.i += 1
            return self._unary()
        return self._primary(None)

    def _primary(self, field):
        tok = self._peek()
        if tok is None:
            raise QueryError(f"{self.text!r}: the query ends too early")
        self.i += 1
        if tok == "(":
            outer, self.field = self.field, field or self.field
            node = self._or()
            self.field = outer
            if self._peek() != ")":
                raise QueryError(f"{self.text!r}: a parenthesis is not closed")
            self.i += 1
            return node
        if tok == ")":
            raise QueryError(f"{self.text!r}: unexpected ')'")
        if not tok.startswith('"') and ":" in tok:
            name, _, value = tok.partition(":")
            self._check_field(name)
            if value:
                return self._leaf(name, value)
            return self._primary(name)
        return self._leaf(field, tok)

    def _check_field(self, name):
        if name not in TEXT_FIELDS and name not in KEYWORD_FIELDS:
            raise QueryError(f"{self.text!r}: unknown field {name!r}; known: "
                             + ", ".join((*TEXT_FIELDS, *KEYWORD_FIELDS)))

    def _leaf(self, field, tok):
        field = field or self.field
        phrase = tok.startswith('"')
        value = tok[1:-1].replace('\\"', '"') if phrase else tok
        if field in KEYWORD_FIELDS:
            return ("kw", field, value.lower() if field in LOWERCASE_FIELDS else value)
        fields = (field,) if field else TEXT_FIELDS
        if not phrase and value.endswith("*"):
            return ("prefix", fields, fold(value[:-1]))
        words = tuple(analyze(value))
        if not words:
            return ("all",)  # only stop words: Elasticsearch ignores the clause
        return ("phrase", fields, words)

    def matches(self, doc: Document, cache: dict | None = None) -> bool:
        cache = {} if cache is None else cache
        return _eval(self.tree, doc, cache)


def _terms(doc: Document, field: str, cache: dict) -> list[str]:
    if field not in cache:
        cache[field] = analyze(getattr(doc, field) or "")
    return cache[field]


def _eval(node, doc: Document, cache: dict) -> bool:
    op = node[0]
    if op == "and":
        positives = [n for n in node[1] if n[0] != "not"]
        return all(_eval(n, doc, cache) for n in node[1]) if positives or node[1] else False
    if op == "or":
        return any(_eval(n, doc, cache) for n in node[1])
    if op == "not":
        return not _eval(node[1], doc, cache)
    if op == "all":
        return True
    if op == "kw":
        return node[2] in KEYWORD_FIELDS[node[1]](doc)
    if op == "prefix":
        return any(t.startswith(node[2]) for f in node[1] for t in _terms(doc, f, cache))
    words = node[2]
    for f in node[1]:
        terms = _terms(doc, f, cache)
        if len(words) == 1:
            if words[0] in terms:
                return True
            continue
        k = len(words)
        if any(tuple(terms[i:i + k]) == words for i, t in enumerate(terms) if t == words[0]):
            return True
    return False


class SavedQueries:
    """Counts each query's matches in a sliding window; a candidate when the count reaches the threshold.

    ``matcher(query, doc) -> bool`` decides a match: the evaluator here (replay) or membership in the
    set of doc ids Elasticsearch returned for that query (run).
    """

    def __init__(self, queries, slice_seconds: int, matcher=None):
        self.queries = queries
        self.parsed = {q.name: Query(q.query) for q in queries}
        self.matcher = matcher or (lambda q, doc: self.parsed[q.name].matches(doc))
        self.hits: dict[str, deque] = {q.name: deque() for q in queries}
        self.slice_seconds = slice_seconds

    def add(self, doc: Document, info: DocInfo) -> None:
        for q in self.queries:
            if self.matcher(q, doc):
                self.hits[q.name].append(info)

    def close(self, end: float) -> list[Candidate]:
        out = []
        for q in self.queries:
            hits = self.hits[q.name]
            horizon = end - 2 * q.window_seconds
            while hits and hits[0].ts < horizon:
                hits.popleft()
            docs = [d for d in hits if d.ts >= end - q.window_seconds]
            if len(docs) < q.threshold:
                continue
            if not any(d.ts >= end - self.slice_seconds for d in docs):
                continue  # nothing new in this slice
            previous = len(hits) - len(docs)
            out.append(Candidate("saved_query", q.name, docs, [], magnitude=float(len(docs)),
                                 growth=round(len(docs) / max(previous, 1), 2), start=None,
                                 duration_slices=max(1, q.window_seconds // self.slice_seconds),
                                 label=q.label or q.name))
        return out
