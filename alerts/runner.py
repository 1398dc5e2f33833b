"""The two ways through the engine: ``replay`` over a file, ``run`` over the index.  Same engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vigie.alerts.engine import Engine
from vigie.alerts.text import make_lemmatizer
from vigie.config import Watch, load_config
from vigie.jsonl import read_lines
from vigie.schema import Document, from_record

log = logging.getLogger(__name__)


def pick_watch(config_path: Path, watch_id: str | None) -> Watch:
    watches = load_config(config_path)
    return watches.watch(watch_id) if watch_id else watches.watches[0]


@dataclass
class Outcome:
    events: list[dict]
    docs: int
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0       # CPU seconds of detection (documents already parsed)
    engine: Engine | None = None


def load_documents(path: Path, watch_id: str) -> tuple[list[Document], list[str]]:
    """Documents of this watch (or of no watch), in ``published_at`` order; bad lines listed."""
    docs, skipped = [], []
    for line in read_lines(path):
        if line.error:
            skipped.append(f"line {line.number}: {line.error}")
            continue
        try:
            doc = from_record(line.data)
        except ValueError as exc:
            skipped.append(f"line {line.number}: {str(exc).splitlines()[0]}")
            continue
        if not doc.watch_ids or watch_id in doc.watch_ids:
            docs.append(doc)
    docs.sort(key=lambda d: (d.published_at, d.doc_id))
    return docs, skipped


def replay(path: Path, watch: Watch, lemmatizer: str = "light") -> Outcome:
    import time

    docs, skipped = load_documents(path, watch.id)
    engine = Engine(watch, lemmatizer=make_lemmatizer(lemmatizer))
    start = time.process_time()
    events = engine.run(docs)
    return Outcome(events, len(docs), skipped, time.process_time() - start, engine)


# ---------------------------------------------------------------------- online
def fetch_documents(client, names, watch_id: str, since: datetime, until: datetime, page: int = 2000):
    """The watch's documents published in [since, until), oldest first (search_after pages).  A watch
    with no document indexed yet (no alias) has none."""
    body = {"range": {"published_at": {"gte": since.isoformat(), "lt": until.isoformat()}}}
    after = None
    while True:
        kwargs = {"search_after": after} if after else {}
        res = client.search(index=names.watch_alias(watch_id), query=body, size=page,
                            sort=[{"published_at": "asc"}, {"doc_id": "asc"}], ignore_unavailable=True, **kwargs)
        hits = res["hits"]["hits"]
        for hit in hits:
            yield Document.model_validate(hit["_source"])
        if len(hits) < page:
            return
        after = hits[-1]["sort"]


def saved_query_matches(client, names, watch: Watch, since: datetime, until: datetime) -> dict[str, set[str]]:
    """Doc ids matching each saved query, decided by Elasticsearch's own ``query_string``."""
    out = {}
    for q in watch.alerts.saved_queries:
        query = {"bool": {
            "must": [{"query_string": {"query": q.query, "fields": ["title", "text"], "default_operator": "AND"}}],
            "filter": [{"range": {"published_at": {"gte": since.isoformat(), "lt": until.isoformat()}}}]}}
        ids, after = set(), None
        while True:
            kwargs = {"search_after": after} if after else {}
            res = client.search(index=names.watch_alias(watch.id), query=query, size=5000, source=False,
                                sort=[{"doc_id": "asc"}], ignore_unavailable=True, **kwargs)
            hits = res["hits"]["hits"]
            ids.update(h["_id"] for h in hits)
            if len(hits) < 5000:
                break
            after = hits[-1]["sort"]
        out[q.name] = ids
    return out


def run_online(client, names, watch: Watch, now: datetime | None = None, lemmatizer: str = "light") -> Outcome:
    """Detection over the last ``history_days`` of the index, with the stored alerts as prior state.

    Slices are closed up to ``now``; stable alert ids, stored levels and the delivery log make a
    re-run idempotent (nothing fires or is sent twice).
    """
    import time

    from vigie.alerts.store import AlertStore

    now = (now or datetime.now(UTC)).astimezone(UTC)
    th = watch.alerts.thresholds
    since = now - timedelta(days=th.history_days)
    store = AlertStore(client, names)
    store.ensure(watch.id)
    known = store.recent(watch.id, since - timedelta(hours=th.close_after_hours))
    matcher = None
    if watch.alerts.saved_queries:
        matched = saved_query_matches(client, names, watch, since, now)
        matcher = lambda q, doc: doc.doc_id in matched[q.name]  # noqa: E731
    engine = Engine(watch, lemmatizer=make_lemmatizer(lemmatizer), saved_query_matcher=matcher, known=known)
    docs = list(fetch_documents(client, names, watch.id, since, now))
    start = time.process_time()
    events = engine.run(docs, until=now.timestamp())
    seconds = time.process_time() - start
    touched = [engine.lifecycle.alerts[a] for a in sorted(engine.lifecycle.touched)]
    store.save(touched)
    return Outcome(events, len(docs), [], seconds, engine)
