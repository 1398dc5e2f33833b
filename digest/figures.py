"""The figures of one watch for one day, from Elasticsearch.

The day is 00:00–24:00 in the watch's timezone (23 or 25 hours on daylight-saving days).  Two reads:

- one aggregation over the eight days ending with the day covered: documents per local day, by
  source kind, sentiment and topic (the day, the previous day, the average of the seven days before);
  communes and places of the day;
- one scan of the documents of the seven days ending with the day (the lists: most engaging documents,
  requests awaiting an answer, comments to moderate, own posts without reaction, influencers).

Every list entry carries a snippet of at most 300 characters (title, else the start of the text, cut at a
word boundary), never a whole text; links are kept only when they are http(s).  The figures are a plain
JSON-serialisable dict: the renderer, the CLI (``--json``) and the sending log use it as is.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from elasticsearch import NotFoundError

from vigie.accounts import OwnAccounts
from vigie.alerts.deliver.render import one_line, safe_url
from vigie.digest import french
from vigie.textsafe import printable

log = logging.getLogger(__name__)

SNIPPET_CHARS = 300
MAX_ALERTS = 10            # alerts listed; the subject counts every open alert
HISTORY_DAYS = 7           # the average is over the seven days before the day covered
WINDOW_FIELDS = [
    "doc_id", "platform", "source_id", "source_kind", "kind", "thread_id", "parent_id", "watch_ids", "author",
    "engagement", "published_at", "topics", "territory.communes", "territory.places", "mentions", "request",
    "toxicity", "sentiment", "title", "text", "url", "canonical_url",
]
PLATFORMS = {"rss": "Presse", "web": "Web", "facebook": "Facebook", "mastodon": "Mastodon", "reddit": "Reddit",
             "bluesky": "Bluesky", "discourse": "Forum", "phpbb": "Forum", "forum": "Forum", "spip": "Web",
             "decidim": "Decidim", "youtube": "YouTube", "telegram": "Telegram"}
SENTIMENT_KEYS = ("negative", "neutral", "positive", "unknown")


def moderation_reasons(tox: dict) -> list[str]:
    """Why a comment is to be moderated, in French: its main category and target first ("propos haineux
    (visant : religion)"), then its other labels; documents enriched before categories existed show labels."""
    reasons = []
    category = tox.get("category")
    if category:
        reason = french.MODERATION_CATEGORIES.get(category, category)
        target = tox.get("target")
        if target and target != "person":
            reason += f" (visant : {french.MODERATION_TARGETS.get(target, target)})"
        reasons.append(reason)
    for label in tox.get("labels") or []:
        text = french.TOXICITY.get(label, label)
        covered = {"slur": ("hate", "insult"), "dehumanisation": ("hate",)}.get(category, ())
        if label in covered or any(r.startswith(text) for r in reasons):
            continue
        reasons.append(text)
    return reasons or ["contenu signalé"]


def snippet(title: str | None, text: str | None, limit: int = SNIPPET_CHARS) -> str:
    """The title, else the text, on one line, cut to ``limit`` characters at a word boundary (with « … »)."""
    clean = printable(one_line(title or "")) or printable(one_line((text or "")[: limit * 4]))
    if len(clean) <= limit:
        return clean
    cut = clean[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (datetime.combine(day, time(0), tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))


def _engagement(doc: dict) -> tuple[int, int, int]:
    eng = doc.get("engagement") or {}
    return int(eng.get("likes") or 0), int(eng.get("shares") or 0), int(eng.get("replies") or 0)


def _author_key(doc: dict) -> str | None:
    """The analytics key of the document's author (handle, else id, else name), as influence scores use."""
    from vigie.analytics.graph import author_key

    author = doc.get("author") or {}
    return author_key(doc.get("platform") or "", author.get("handle"), author.get("id"), author.get("name"))


def source_label(doc: dict) -> str:
    platform = PLATFORMS.get(doc.get("platform") or "", (doc.get("platform") or "").capitalize())
    author = doc.get("author") or {}
    who = printable(one_line(author.get("name") or author.get("handle") or doc.get("source_id") or ""), 60)
    return f"{platform} · {who}" if who else platform


def _local(ts: str, tz: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(ZoneInfo(tz))


def entry(doc: dict, tz: str, day: date, limit: int = SNIPPET_CHARS) -> dict:
    """What the digest shows of one document."""
    likes, shares, replies = _engagement(doc)
    when = _local(doc["published_at"], tz)
    return {
        "doc_id": doc.get("doc_id"),
        "snippet": snippet(doc.get("title"), doc.get("text"), limit),
        "url": safe_url(doc.get("url")) or safe_url(doc.get("canonical_url")),
        "source": source_label(doc),
        "kind": french.KINDS.get(doc.get("kind") or "post", doc.get("kind") or ""),
        "published_at": when.isoformat(),
        "when": french.when_label(when, day),
        "likes": likes, "shares": shares, "replies": replies, "engagement": likes + shares + replies,
    }


def _change(value: float, reference: float | None) -> float | None:
    if not reference:
        return None
    return 100.0 * (value - reference) / reference


def _trend(today: int, avg: float) -> str:
    if avg == 0:
        return "new" if today else "stable"
    if today >= 1.5 * avg and today - avg >= 2:
        return "up"
    if today <= 0.5 * avg and avg - today >= 2:
        return "down"
    return "stable"


def _aggregate(client, index: str, watch, day: date) -> dict | None:
    start, end = day_bounds(day, watch.timezone)
    first, _ = day_bounds(day - timedelta(days=HISTORY_DAYS), watch.timezone)
    try:
        res = client.search(index=index, size=0, track_total_hits=True, query={"range": {"published_at": {
            "gte": first.isoformat(), "lt": end.isoformat()}}}, aggs={
            "per_day": {
                "date_histogram": {"field": "published_at", "calendar_interval": "day",
                                   "time_zone": watch.timezone, "format": "yyyy-MM-dd", "min_doc_count": 0,
                                   "extended_bounds": {"min": first.isoformat()[:10],
                                                       "max": day.isoformat()}},
                "aggs": {
                    "kinds": {"terms": {"field": "source_kind", "size": 50, "missing": "_none"}},
                    "sentiment": {"terms": {"field": "sentiment.label", "size": 10, "missing": "unknown"}},
                    "topics": {"terms": {"field": "topics", "size": 200}},
                }},
            "day": {"filter": {"range": {"published_at": {"gte": start.isoformat(), "lt": end.isoformat()}}},
                    "aggs": {"communes": {"terms": {"field": "territory.communes.name", "size": 10}},
                             "places": {"terms": {"field": "territory.places", "size": 10}}}},
        })
    except NotFoundError:
        return None
    return res["aggregations"]


def _window_docs(client, index: str, watch, day: date) -> list[dict]:
    from vigie.indexes.maintenance import matching

    first, _ = day_bounds(day - timedelta(days=HISTORY_DAYS - 1), watch.timezone)
    _, end = day_bounds(day, watch.timezone)
    query = {"range": {"published_at": {"gte": first.isoformat(), "lt": end.isoformat()}}}
    return [hit["_source"] for hit in matching(client, index, query, source=WINDOW_FIELDS)]


def _own_roots(client, index: str, ids: set[str], own: OwnAccounts, known: dict[str, dict]) -> set[str]:
    """Among ``ids`` (thread roots and parents), those published by an own account."""
    missing = [i for i in ids if i not in known]
    found = {i: known[i] for i in ids if i in known}
    for start in range(0, len(missing), 500):
        res = client.search(index=index, size=500, query={"terms": {"doc_id": missing[start:start + 500]}},
                            source=["doc_id", "author"])
        for hit in res["hits"]["hits"]:
            found[hit["_source"]["doc_id"]] = hit["_source"]
    return {i for i, doc in found.items() if own.is_author(doc.get("author"))}


def collect(client, names, watch, day: date, *, top_n: int = 5, per_service: int = 3) -> dict:
    """Every figure of the digest of ``watch`` for ``day`` (a local date)."""
    tz = watch.timezone
    index = names.watch_alias(watch.id)
    start, end = day_bounds(day, tz)
    out: dict = {"watch_id": watch.id, "watch_name": watch.name, "date": day.isoformat(), "timezone": tz,
                 "period": {"start": start.isoformat(), "end": end.isoformat()}}
    aggs = _aggregate(client, index, watch, day)
    days = [(day - timedelta(days=k)).isoformat() for k in range(HISTORY_DAYS, -1, -1)]   # D-7 … D
    buckets = {b["key_as_string"]: b for b in (aggs or {}).get("per_day", {}).get("buckets", [])}
    per_day = [buckets.get(d, {"doc_count": 0}) for d in days]
    today, before = per_day[-1], per_day[:-1]

    def kinds(bucket):
        return {b["key"]: b["doc_count"] for b in bucket.get("kinds", {}).get("buckets", [])}

    def avg(values):
        return sum(values) / HISTORY_DAYS

    out["total"] = today["doc_count"]
    out["previous_day"] = before[-1]["doc_count"]
    out["avg_7d"] = avg([b["doc_count"] for b in before])
    out["change_previous_pct"] = _change(out["total"], out["previous_day"])
    out["change_avg_pct"] = _change(out["total"], out["avg_7d"])
    all_kinds = sorted({k for b in per_day for k in kinds(b)})
    rows = []
    for kind in all_kinds:
        key = None if kind == "_none" else kind
        rows.append({"kind": key, "label": french.source_kind_label(key),
                     "total": kinds(today).get(kind, 0), "previous_day": kinds(before[-1]).get(kind, 0),
                     "avg_7d": avg([kinds(b).get(kind, 0) for b in before])})
    out["by_source_kind"] = sorted(rows, key=lambda r: (-r["total"], -r["avg_7d"], r["label"]))

    def sentiments(bucket):
        found = {b["key"]: b["doc_count"] for b in bucket.get("sentiment", {}).get("buckets", [])}
        return {k: found.get(k, 0) for k in SENTIMENT_KEYS}

    out["sentiment"] = sentiments(today)
    out["daily"] = [{"date": d, "total": b["doc_count"], **sentiments(b)} for d, b in zip(days, per_day, strict=True)
                    ][1:]   # the seven days ending with the day covered

    labels = french.topic_labels(watch)

    def topics(bucket):
        return {b["key"]: b["doc_count"] for b in bucket.get("topics", {}).get("buckets", [])}

    topic_rows = []
    for topic, count in topics(today).items():
        mean = avg([topics(b).get(topic, 0) for b in before])
        topic_rows.append({"id": topic, "label": labels.get(topic, french.humanise(topic)), "total": count,
                           "previous_day": topics(before[-1]).get(topic, 0), "avg_7d": mean,
                           "trend": _trend(count, mean)})
    topic_rows.sort(key=lambda r: (-r["total"], r["label"]))
    out["topics"] = topic_rows[:top_n * 2]
    out["emerging_topics"] = [r for r in topic_rows if r["total"] >= 3 and r["trend"] in ("up", "new")]
    day_aggs = (aggs or {}).get("day", {})
    out["communes"] = [{"name": b["key"], "count": b["doc_count"]}
                       for b in day_aggs.get("communes", {}).get("buckets", [])]
    out["places"] = [{"name": b["key"], "count": b["doc_count"]} for b in day_aggs.get("places", {}).get("buckets", [])]
    alerts = alerts_of(client, names, watch, start, end)
    out["alerts"] = alerts[:MAX_ALERTS]
    out["alerts_open"] = sum(1 for a in alerts if a["status"] == "open")     # counted before the cut
    out["alerts_more"] = max(0, len(alerts) - MAX_ALERTS)
    if out["total"] == 0:
        out.update(top_documents=[], requests={"total": 0, "new": 0, "services": []}, moderation=[],
                   influencers=[], silent_posts=[])
        return out
    window = _window_docs(client, index, watch, day)
    out.update(lists(client, index, watch, day, window, top_n=top_n, per_service=per_service))
    return out


def alerts_of(client, names, watch, start: datetime, end: datetime) -> list[dict]:
    """Alerts active during the day (seen between its start and end) or still open at its end: those fired
    during the day first, then the open ones, newest first."""
    from vigie.alerts.model import KIND_LABELS
    from vigie.alerts.store import AlertStore

    found = []
    for alert in AlertStore(client, names).search(watch.id, size=500):
        if not alert.fired_at:
            continue
        fired = _local(alert.fired_at, watch.timezone)
        last = _local(alert.last_seen or alert.fired_at, watch.timezone)
        if fired >= end or (last < start and alert.status != "open"):
            continue
        found.append({"alert_id": alert.alert_id, "kind": alert.kind, "kind_label": KIND_LABELS.get(alert.kind,
                      alert.kind), "title": printable(one_line(alert.title), 200), "status": alert.status,
                      "status_label": french.ALERT_STATUS.get(alert.status, alert.status), "level": alert.level,
                      "doc_count": alert.doc_count, "fired_at": fired.isoformat(),
                      "when": french.when_label(fired, start.date()), "new": fired >= start})
    # the alerts fired during the day first, then the open ones, newest first within each group
    found.sort(key=lambda a: a["fired_at"], reverse=True)
    found.sort(key=lambda a: (not a["new"], a["status"] != "open"))
    return found


def lists(client, index: str, watch, day: date, window: list[dict], *, top_n: int = 5,
          per_service: int = 3) -> dict:
    """The lists of the digest from the documents of the seven days ending with ``day``."""
    from vigie.analytics import engagement, influence
    from vigie.analytics.load import frame

    tz = watch.timezone
    start, end = day_bounds(day, tz)
    own = OwnAccounts(watch.own_accounts)
    in_day = [d for d in window if start <= _local(d["published_at"], tz) < end]
    by_id = {d.get("doc_id"): d for d in window}
    day_ids = {d.get("doc_id") for d in in_day}

    # most engaging documents of the day (likes + shares + replies), ties by recency
    engaging = sorted((d for d in in_day if sum(_engagement(d)) > 0),
                      key=lambda d: _local(d["published_at"], tz), reverse=True)
    engaging.sort(key=lambda d: -sum(_engagement(d)))         # stable: equal engagement stays newest first
    top_documents = [entry(d, tz, day) for d in engaging[:top_n]]

    docs = frame(window)
    # citizen requests of the week not answered: neither marked answered nor answered by an own account
    answered = set()
    if own and len(docs):
        responses = engagement.response_times(docs, list(watch.own_accounts))
        answered = set(responses.loc[responses["answered"], "doc_id"])
    services = french.service_labels(watch)
    groups: dict[str | None, list[dict]] = defaultdict(list)
    for d in window:
        request = d.get("request") or {}
        if not request.get("is_request") or request.get("answered") is True or own.is_author(d.get("author")) \
                or d.get("doc_id") in answered:
            continue
        groups[request.get("service")].append(d)
    service_rows = []
    for service, items in groups.items():
        items.sort(key=lambda d: d["published_at"], reverse=True)
        shown = []
        for d in items[:per_service]:
            e = entry(d, tz, day, 200)
            request = d.get("request") or {}
            e["request_kind"] = french.REQUEST_KINDS.get(request.get("kind"), "demande")
            e["request_service"] = services.get(service, french.humanise(service)) if service else None
            e["request_cue"] = request.get("cue")
            e["request_detail"] = french.request_detail(e["request_kind"], e["request_service"], e["request_cue"])
            shown.append(e)
        service_rows.append({"service": service, "label": services.get(service, french.humanise(service)),
                             "count": len(items), "new": sum(1 for d in items if d.get("doc_id") in day_ids),
                             "items": shown,
                             "more": max(0, len(items) - per_service)})
    service_rows.sort(key=lambda r: (-r["count"], r["label"]))
    requests = {"total": sum(r["count"] for r in service_rows), "new": sum(r["new"] for r in service_rows),
                "services": service_rows}

    # comments of the day to moderate on the collectivité's own pages: flagged, under an own-account document
    flagged = [d for d in in_day if (d.get("toxicity") or {}).get("flagged") and not own.is_author(d.get("author"))
               and (d.get("kind") == "comment" or d.get("parent_id"))]
    moderation = []
    if flagged and own:
        parents = {p for d in flagged for p in (d.get("thread_id"), d.get("parent_id")) if p}
        own_roots = _own_roots(client, index, parents, own, by_id)
        for d in flagged:
            if d.get("thread_id") in own_roots or d.get("parent_id") in own_roots:
                tox = d.get("toxicity") or {}
                e = entry(d, tz, day, 200)
                e["reasons"] = moderation_reasons(tox)
                e["score"] = tox.get("score")
                moderation.append(e)
    moderation.sort(key=lambda e: e["published_at"])

    # own posts of the day without any reaction by the end of the day
    silent_posts = []
    if own and len(docs):
        posts = engagement.own_publications(docs, list(watch.own_accounts), tz)
        quiet = posts[posts["no_reaction"]]
        for doc_id in quiet.sort_values("published_at")["doc_id"]:
            d = by_id.get(doc_id)
            if d is not None and doc_id in day_ids:
                silent_posts.append(entry(d, tz, day, 200))

    # local influencers over the seven days, local media and institutions first, then local accounts
    # (the collectivité's own accounts and the national accounts are left out)
    influencers = []
    if len(docs):
        table = influence.score(docs, list(watch.territory.communes), list(watch.own_accounts), days=7)
        active = Counter(_author_key(d) for d in in_day)
        local = table[table["group"].isin(["media_institutions", "local"]) & (table["local_documents"] > 0)]
        for key, row in local.groupby("group", sort=False).head(top_n).iterrows():  # top_n per group
            handle = row["handle"] if isinstance(row["handle"], str) and row["handle"] else key.split(":", 1)[1]
            influencers.append({
                "name": printable(one_line(row["name"] if isinstance(row["name"], str) else handle), 80),
                "handle": printable(one_line(handle), 80),
                "platform": PLATFORMS.get(row["platform"], str(row["platform"]).capitalize()),
                "url": safe_url(row["url"] if isinstance(row["url"], str) else None),
                "score": float(row["influence_score"]), "documents": int(row["documents"]),
                "local_documents": int(row["local_documents"]), "replies": int(row["replies_received"]),
                "mentions": int(row["mentions_received"]), "engagement": int(row["engagement_received"]),
                "today": active.get(key, 0), "group": influence.GROUP_LABELS[row["group"]],
                "kind": influence.KIND_LABELS[row["account_kind"]],
                "reasons": [printable(one_line(r), 80) for r in row["reasons"]
                            if r != influence.KIND_LABELS[row["account_kind"]]],  # the kind is shown beside
                "confidence": influence.confidence_label(float(row["confidence"])),
            })
    return {"top_documents": top_documents, "requests": requests, "moderation": moderation,
            "silent_posts": silent_posts, "influencers": influencers}
