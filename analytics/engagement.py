"""Engagement analytics: per-document rates, and the report on the collectivité's own accounts.

- Engagement of a document = likes + shares + replies (``load.py``); its **rate** is engagement /
  followers of its author, when the follower count is known and positive (else missing).
- Own accounts (``own_accounts`` of the watch, recognised by ``vigie.accounts`` on the handle, the
  id, or the name of an author without handle): their publications (not their replies), those with
  **no reaction** (no like, share or reply counted, no reply in the corpus), and mean engagement by
  format (``source_kind/kind``), topic, hour and weekday in the watch's timezone.
- **Response time** to citizen requests in its threads: a request (``request.is_request``) by
  someone else, in a thread started by an own account or directly under an own-account document,
  or answered by one.  Its answer is the one written on the request by ``vigie.analytics.answers``
  (``request.answered_at``, kept when the answer itself is older than the window), else the first
  own-account document of the window answering it by the same rule (a reply to it, or later in its
  thread).  Requests without an answer are unanswered; an answer from anyone else does not count.
"""

from __future__ import annotations

import pandas as pd

from vigie.accounts import OwnAccounts
from vigie.analytics import answers

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def with_rates(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents with ``engagement_rate`` (engagement / followers, missing when followers unknown)."""
    followers = docs["followers"].astype("Float64")
    rate = (docs["engagement"] / followers.where(followers > 0)).astype("Float64")
    return docs.assign(engagement_rate=rate)


def own_mask(docs: pd.DataFrame, own_accounts: list[str]) -> pd.Series:
    """Whether each document's author is one of ``own_accounts``."""
    own = OwnAccounts(own_accounts)
    return pd.Series([own.match(h, i, n) for h, i, n in zip(docs["handle"], docs["author_id"], docs["name"],
                                                          strict=True)], index=docs.index, dtype=bool)


def own_publications(docs: pd.DataFrame, own_accounts: list[str], timezone: str) -> pd.DataFrame:
    """Own accounts' posts and articles (not their comments), with rate, reaction flag, local hour and weekday."""
    docs = with_rates(docs)
    posts = docs[own_mask(docs, own_accounts) & (docs["kind"] != "comment")].copy()
    replied = set(docs["parent_id"].dropna())
    posts["no_reaction"] = (posts["engagement"] == 0) & ~posts["doc_id"].isin(replied)
    local = posts["published_at"].dt.tz_convert(timezone)
    posts["hour"] = local.dt.hour
    posts["weekday"] = pd.Categorical([WEEKDAYS[d] for d in local.dt.day_of_week], categories=WEEKDAYS, ordered=True)
    posts["format"] = posts["source_kind"].fillna("?") + "/" + posts["kind"].astype(str)
    return posts


def breakdown(posts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Publications, mean and total engagement, mean rate, per value of ``by`` (topics are exploded)."""
    data = posts.explode("topics") if by == "topics" else posts
    data = data[data[by].notna()]
    out = data.groupby(by, observed=True).agg(
        publications=("doc_id", "count"), engagement_mean=("engagement", "mean"),
        engagement_total=("engagement", "sum"), rate_mean=("engagement_rate", "mean"))
    return out.sort_values("engagement_mean", ascending=False) if by in ("topics", "format") else out


def _value(value):
    """None for pandas' missing values."""
    return None if value is None or (not isinstance(value, str | list) and pd.isna(value)) else value


def response_times(docs: pd.DataFrame, own_accounts: list[str]) -> pd.DataFrame:
    """One row per citizen request in the own accounts' threads: answered_at, delay_hours, answered."""
    own = own_mask(docs, own_accounts)
    own_docs = docs[own]
    roots = set(own_docs["doc_id"])
    authors = dict(zip(docs["doc_id"], docs["handle"].where(docs["handle"].notna(), docs["name"]), strict=True))
    replies = [{"doc_id": d.doc_id, "thread_id": d.thread_id, "parent_id": d.parent_id,
                "published_at": d.published_at.to_pydatetime(), "mentions": list(d.mentions or [])}
               for d in own_docs.itertuples(index=False)]
    rows = []
    for req in docs[docs["is_request"] & ~own].itertuples(index=False):
        request = {"doc_id": req.doc_id, "thread_id": _value(req.thread_id), "parent_id": _value(req.parent_id),
                   "published_at": req.published_at.to_pydatetime(),
                   "author": {"handle": _value(req.handle), "name": _value(req.name)}}
        answer = answers.first_answer(request, replies, roots)
        first = pd.Timestamp(answer["published_at"]) if answer is not None else pd.NaT
        if not pd.isna(req.answered_at):  # written on the request from its thread, maybe older than the window
            first = req.answered_at if pd.isna(first) else min(first, req.answered_at)
        answered = not pd.isna(first)
        in_scope = req.thread_id in roots or req.parent_id in roots or answered
        if not in_scope:
            continue
        rows.append({
            "doc_id": req.doc_id, "handle": req.handle, "published_at": req.published_at,
            "request_kind": req.request_kind, "service": req.service, "parent_author": authors.get(req.parent_id),
            "answered": answered, "answered_at": first,
            "delay_hours": (first - req.published_at).total_seconds() / 3600 if answered else None,
            "text": req.text[:120],
        })
    out = pd.DataFrame(rows, columns=["doc_id", "handle", "published_at", "request_kind", "service",
                                      "parent_author", "answered", "answered_at", "delay_hours", "text"])
    out["delay_hours"] = out["delay_hours"].astype("Float64")
    out["answered"] = out["answered"].astype(bool)
    for column in ("published_at", "answered_at"):
        out[column] = pd.to_datetime(out[column], utc=True)
    return out.sort_values("published_at").reset_index(drop=True)


def report(docs: pd.DataFrame, own_accounts: list[str], timezone: str) -> dict:
    """The own-accounts report as tables (DataFrames) and a summary dict."""
    posts = own_publications(docs, own_accounts, timezone)
    responses = response_times(docs, own_accounts)
    delays = responses["delay_hours"].dropna()
    summary = {
        "own_accounts": list(own_accounts),
        "publications": len(posts),
        "no_reaction": int(posts["no_reaction"].sum()),
        "engagement_mean": float(posts["engagement"].mean()) if len(posts) else None,
        "rate_mean": float(posts["engagement_rate"].mean()) if posts["engagement_rate"].notna().any() else None,
        "requests": len(responses),
        "answered": int(responses["answered"].sum()),
        "unanswered": int((~responses["answered"].astype(bool)).sum()),
        "median_delay_hours": float(delays.median()) if len(delays) else None,
    }
    return {
        "summary": summary, "publications": posts, "responses": responses,
        "by_format": breakdown(posts, "format"), "by_topic": breakdown(posts, "topics"),
        "by_hour": breakdown(posts, "hour"), "by_weekday": breakdown(posts, "weekday"),
    }
