"""Answered citizen requests: the collectivité's reply found in the request's thread.

A citizen request (``request.is_request``, by someone else than the watch's ``own_accounts``) is
**answered** by the first document of an own account published after it that

- replies to it (``parent_id`` is the request), or
- is later in the same thread (``thread_id``) and either mentions the request's author, or, mentioning
  nobody, replies to the same parent as the request when that parent is not the collectivité's (a
  flat thread: a forum topic opened by a citizen), or to the thread's root when the request is that
  root.  Under the collectivité's own post, its later comment to all is not taken as an answer to
  each comment (it needs a reply or a mention), and a reply mentioning someone else is addressed
  to them.

``mark_answered`` revisits the open requests of a watch (answered not true) in the threads that
an indexing just brought documents to (or, for a sweep, all those published in the last ``days``
days) and writes on each request found answered ``request.answered`` = true,
``answered_at`` (the answer's publication time), ``answer_hours`` and ``answered_by`` (the answer's
doc_id), by partial update.  It runs after each indexing: when a later crawl brings the town's
reply, the request is marked then.  A request already answered is not read again, and a second run
writes nothing: it is idempotent.  An answer by anyone else does not count.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from vigie.accounts import OwnAccounts, normalise

log = logging.getLogger(__name__)

REQUEST_FIELDS = ["doc_id", "thread_id", "parent_id", "published_at", "author", "request"]
ANSWER_FIELDS = ["doc_id", "thread_id", "parent_id", "published_at", "author", "mentions"]
CHUNK = 1000  # ids per terms query


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _handle(author: Any) -> str:
    if not isinstance(author, Mapping):
        return ""
    return normalise(author.get("handle")) or normalise(author.get("name"))


def first_answer(request: Mapping, replies: Iterable[Mapping], own_ids: Iterable[str] = ()) -> Mapping | None:
    """The first of ``replies`` (own-account documents, dicts shaped like a Document) answering ``request``.

    ``own_ids``: other documents known to be the collectivité's (the request's parent, when it is).
    """
    replies = list(replies)
    own_ids = {r.get("doc_id") for r in replies} | set(own_ids)
    asked = _time(request.get("published_at"))
    if asked is None:
        return None
    doc_id, thread, parent = request.get("doc_id"), request.get("thread_id"), request.get("parent_id")
    author = _handle(request.get("author"))
    best, best_at = None, None
    for reply in replies:
        at = _time(reply.get("published_at"))
        if at is None or at <= asked or reply.get("doc_id") == doc_id:
            continue
        direct = doc_id is not None and reply.get("parent_id") == doc_id
        mentions = {normalise(m) for m in reply.get("mentions") or []}
        to_all = not mentions and ((parent is not None and parent not in own_ids and reply.get("parent_id") == parent)
                                   or (doc_id == thread and reply.get("parent_id") == thread))
        in_thread = thread is not None and reply.get("thread_id") == thread and (to_all or author in mentions)
        if (direct or in_thread) and (best_at is None or at < best_at):
            best, best_at = reply, at
    return best


def answer_fields(request: Mapping, answer: Mapping) -> dict[str, Any]:
    """The ``request`` fields that say it was answered by ``answer``."""
    asked, at = _time(request.get("published_at")), _time(answer.get("published_at"))
    return {"answered": True, "answered_at": at.astimezone(UTC).isoformat(),
            "answer_hours": round((at - asked).total_seconds() / 3600, 2), "answered_by": answer.get("doc_id")}


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def mark_answered(client, names, watch, threads: Iterable[str] | None = None, days: int = 90,
                  now: datetime | None = None) -> dict[str, int]:
    """Mark the open requests of ``watch`` (a ``vigie.config.Watch``) answered when their thread holds the answer.

    ``threads``: only the requests of these threads (thread ids, or doc ids of thread roots), e.g. the
    threads an indexing just brought documents to; ``None``: every open request of the last ``days`` days.
    """
    from elasticsearch.helpers import streaming_bulk

    from vigie.indexes.maintenance import matching

    own = OwnAccounts(watch.own_accounts)
    counts = {"open": 0, "answered": 0, "failed": 0}
    if not own:
        return counts
    alias = names.watch_alias(watch.id)
    open_request = {"filter": [{"term": {"request.is_request": True}}],
                    "must_not": [{"term": {"request.answered": True}}]}
    if threads is None:
        since = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat()
        scopes = [{"range": {"published_at": {"gte": since}}}]
    else:
        scopes = [{"bool": {"should": [{"terms": {"thread_id": chunk}}, {"ids": {"values": chunk}}],
                            "minimum_should_match": 1}} for chunk in _chunks(sorted(set(threads)))]
    requests: dict[str, dict] = {}
    for scope in scopes:
        query = {"bool": {**open_request, "filter": [*open_request["filter"], scope]}}
        for hit in matching(client, alias, query, source=REQUEST_FIELDS):
            if not own.is_author(hit["_source"].get("author")):
                requests[hit["_id"]] = hit
    requests = list(requests.values())
    counts["open"] = len(requests)
    if not requests:
        return counts
    threads = sorted({h["_source"]["thread_id"] for h in requests if h["_source"].get("thread_id")})
    ids = sorted({h["_source"].get("doc_id") or h["_id"] for h in requests})
    replies: dict[str, dict] = {}
    for field, values in (("thread_id", threads), ("parent_id", ids)):
        for chunk in _chunks(values):
            found = {"terms": {field: chunk}}
            for hit in matching(client, alias, found, source=ANSWER_FIELDS):
                if own.is_author(hit["_source"].get("author")):
                    replies[hit["_id"]] = {"doc_id": hit["_id"], **hit["_source"]}
    parents = sorted({h["_source"]["parent_id"] for h in requests if h["_source"].get("parent_id")})
    own_parents = set()
    for chunk in _chunks(parents):
        for hit in matching(client, alias, {"ids": {"values": chunk}}, source=["author"]):
            if own.is_author(hit["_source"].get("author")):
                own_parents.add(hit["_id"])
    by_thread: dict[Any, list[dict]] = {}
    for reply in replies.values():
        by_thread.setdefault(reply.get("thread_id"), []).append(reply)
        if reply.get("parent_id"):
            by_thread.setdefault(("parent", reply["parent_id"]), []).append(reply)

    def actions():
        for hit in requests:
            request = {"doc_id": hit["_id"], **hit["_source"]}
            pool = by_thread.get(request.get("thread_id"), []) + by_thread.get(("parent", hit["_id"]), [])
            answer = first_answer(request, pool, own_parents)
            if answer is not None:
                yield {"_op_type": "update", "_index": hit["_index"], "_id": hit["_id"],
                       "doc": {"request": answer_fields(request, answer)}}

    for ok, item in streaming_bulk(client, actions(), chunk_size=500, raise_on_error=False, max_retries=3):
        if ok:
            counts["answered"] += 1
        else:
            counts["failed"] += 1
            log.warning("could not mark a request answered: %s", next(iter(item.values())).get("error"))
    log.info("answered requests of %s: %s", watch.id, counts)
    return counts
