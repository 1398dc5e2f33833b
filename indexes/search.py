"""Full-text search with filters, for the CLI and for those without Kibana."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from elastic_transport import ConnectionTimeout
from elasticsearch import BadRequestError, Elasticsearch

from vigie.indexnames import IndexNames

SEARCH_FIELDS = ["title^2", "text", "author.name"]
# What one search may ask of the cluster: a person's query, not a generated one.  Elasticsearch's own
# index.max_result_window (10,000 by default) bounds from + size anyway.
MAX_SIZE = 10_000
MAX_QUERY_CHARS = 1_000
MAX_TERMS = 64
MAX_WILDCARDS = 10
SEARCH_TIMEOUT = 30  # seconds (default); a search is not retried after a timeout (it would only load the cluster again)


class SearchRejected(ValueError):
    """A search that cannot be run as asked; the message says why in one line and what to do."""
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
RELATIVE = re.compile(r"^(\d+)([hdw])$")
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass
class Filters:
    """What `vigie search` can narrow a search to; every field is optional."""

    topics: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)  # INSEE codes or names
    sentiment: str | None = None
    since: str | None = None  # ISO date/datetime, or 24h / 7d / 2w
    sources: list[str] = field(default_factory=list)  # source id, platform or source kind
    request: bool = False  # citizen requests not yet answered
    timezone: str = "Europe/Paris"  # what a date without offset means (--since 2026-11-17: local midnight)
    authors: list[str] = field(default_factory=list)  # author handles (any case, with or without @)

    def clauses(self, now: datetime | None = None) -> list[dict]:
        out: list[dict] = []
        if self.topics:
            out.append({"terms": {"topics": self.topics}})
        if self.communes:
            should = []
            for commune in self.communes:
                if INSEE.match(commune):
                    should.append({"term": {"territory.communes.insee": commune}})
                else:
                    should.append({"term": {"territory.communes.name": {"value": commune, "case_insensitive": True}}})
            out.append({"bool": {"should": should, "minimum_should_match": 1}})
        if self.sentiment:
            if self.sentiment not in SENTIMENTS:
                raise ValueError(f"sentiment must be one of {', '.join(SENTIMENTS)}, not {self.sentiment!r}")
            out.append({"term": {"sentiment.label": self.sentiment}})
        if self.since:
            out.append({"range": {"published_at": {"gte": parse_since(self.since, now),
                                                    "time_zone": self.timezone}}})
        if self.sources:
            out.append({"bool": {"should": [
                {"terms": {"source_id": self.sources}},
                {"terms": {"platform": self.sources}},
                {"terms": {"source_kind": self.sources}},
            ], "minimum_should_match": 1}})
        if self.authors:
            out.append({"terms": {"author.handle": [a.strip().lstrip("@").lower() for a in self.authors]}})
        if self.request:
            out.append({"term": {"request.is_request": True}})
            out.append({"bool": {"must_not": {"term": {"request.answered": True}}}})
        return out


def parse_since(value: str, now: datetime | None = None) -> str:
    """'7d', '24h', '2w', or an ISO date/datetime -> an ISO datetime for a range query."""
    value = value.strip()
    match = RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
        return ((now or datetime.now().astimezone()) - delta).isoformat()
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"--since takes a date (2026-11-01), a datetime, or 24h / 7d / 2w; not {value!r}") from None


@dataclass
class Hit:
    doc_id: str
    score: float
    source: dict
    highlight: list[str]

    @property
    def snippet(self) -> str:
        if self.highlight:
            return " … ".join(self.highlight)
        return (self.source.get("text") or "")[:200]


def check_query(query: str, size: int = 10) -> None:
    """Refuse what would make the cluster work for minutes or fail: too many hits, words or wildcards."""
    if not 1 <= size <= MAX_SIZE:
        raise SearchRejected(f"the number of hits must be between 1 and {MAX_SIZE:,}, not {size}")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchRejected(f"the query is too long ({len(query):,} characters; at most {MAX_QUERY_CHARS:,})")
    terms = re.findall(r"[^\s|+()\"~-]+", query)
    if len(terms) > MAX_TERMS:
        raise SearchRejected(f"the query has too many words ({len(terms)}; at most {MAX_TERMS})")
    wildcards = sum(1 for t in terms if "*" in t)
    if wildcards > MAX_WILDCARDS:
        raise SearchRejected(f"the query has too many wildcards ({wildcards} words with *; at most {MAX_WILDCARDS})")


def _refusal(exc: BadRequestError) -> str:
    """One line for an error of Elasticsearch about the search itself (HTTP 400)."""
    info = exc.body if isinstance(exc.body, dict) else {}
    error = info.get("error") if isinstance(info.get("error"), dict) else {}
    causes = [c for c in error.get("root_cause") or [] if isinstance(c, dict)] or [error]
    kind = str(causes[0].get("type") or exc.message or "")
    reason = " ".join(str(causes[0].get("reason") or error.get("reason") or "").split())[:300]
    if "too_many" in kind or "too_many_clauses" in reason or "maxClauseCount" in reason:
        return "the query expands to too many terms for Elasticsearch: use fewer words or wildcards"
    window = re.search(r"less than or equal to: \[(\d+)\]", reason)
    if "Result window is too large" in reason and window:
        return (f"this index returns at most {int(window.group(1)):,} hits (its index.max_result_window): "
                f"use --size {window.group(1)} or less")
    return f"Elasticsearch refused the search ({kind}: {reason})"


def build_query(query: str, filters: Filters | None = None) -> dict:
    """French full-text query; users may write "phrases", -exclusions and a | b."""
    must = [{"simple_query_string": {"query": query, "fields": SEARCH_FIELDS, "default_operator": "and"}}] \
        if query.strip() else [{"match_all": {}}]
    return {"bool": {"must": must, "filter": filters.clauses() if filters else []}}


def search(client: Elasticsearch, query: str, watch_id: str | None = None, size: int = 10,
           filters: Filters | None = None, *, names: IndexNames,
           timeout: float = SEARCH_TIMEOUT) -> tuple[int, list[Hit]]:
    """(total, hits); raises SearchRejected, with a one-line message, for a search that cannot be run."""
    check_query(query, size)
    index = names.watch_alias(watch_id) if watch_id else names.documents_alias()
    try:
        resp = _run(client, index, query, size, filters, timeout)
    except BadRequestError as exc:
        raise SearchRejected(_refusal(exc)) from None
    except ConnectionTimeout:
        raise SearchRejected(f"the search took more than {timeout:g} s: narrow it (fewer wildcards, "
                             "a filter such as --since or --watch)") from None
    hits = [
        Hit(h["_id"], h.get("_score") or 0.0, h["_source"],
            h.get("highlight", {}).get("text") or h.get("highlight", {}).get("title") or [])
        for h in resp["hits"]["hits"]
    ]
    return resp["hits"]["total"]["value"], hits


def _run(client: Elasticsearch, index: str, query: str, size: int, filters: Filters | None, timeout: float):
    return client.options(request_timeout=timeout, max_retries=0).search(
        index=index,
        query=build_query(query, filters),
        size=size,
        sort=["_score", {"published_at": "desc"}],
        highlight={
            "fields": {"text": {"fragment_size": 160, "number_of_fragments": 2}, "title": {}},
            "pre_tags": ["«"], "post_tags": ["»"],
            # Long texts (a hostile or broken page) are highlighted on their first 100,000 characters.
            "max_analyzed_offset": 100_000,
        },
        track_total_hits=True,
    )
