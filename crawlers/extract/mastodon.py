"""Mastodon REST v1 statuses to Documents.

A status's ``item_id`` is ``<instance host>/<status id>``: ids are local to the instance that served
them, and ``in_reply_to_id`` refers to the same numbering, so parents resolve without a lookup.
A boost (``reblog``) stands for the boosted status itself. The API gives only the parent of a reply;
when the thread root is not known (the status was not fetched through its thread's context), the
parent stands for the root and the document is flagged ``thread_root_unknown``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, html_to_text, parse_time
from vigie.schema import Author, Engagement, Kind

PLATFORM = "mastodon"


def host_of(instance: str) -> str:
    """``https://mastodon.example:8443/`` → ``mastodon.example:8443``."""
    parts = urlsplit(instance if "://" in instance else f"https://{instance}")
    return parts.netloc.lower()


def item_id(host: str, status_id: Any) -> str:
    return f"{host}/{status_id}"


def author_of(account: dict[str, Any], host: str) -> Author:
    acct = account.get("acct") or account.get("username")
    if acct and "@" not in acct:  # a local account: make the handle global
        acct = f"{acct}@{host.split(':')[0]}"
    return Author(
        id=item_id(host, account["id"]) if account.get("id") else None,
        handle=acct,
        name=account.get("display_name") or account.get("username"),
        url=account.get("url"),
        followers=count(account.get("followers_count")),
    )


def status_document(status: dict[str, Any], origin: Origin, host: str, root_id: str | None = None):
    """One Document from one Status; ``root_id`` is the thread root's status id when known."""
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    if not status.get("id"):
        raise BadItem("status without id")
    parent = status.get("in_reply_to_id")
    flags = []
    if parent is None:
        thread = item_id(host, status["id"])
    elif root_id is not None:
        thread = item_id(host, root_id)
    else:
        thread = item_id(host, parent)
        flags.append("thread_root_unknown")
    text = html_to_text(status.get("content"))
    spoiler = (status.get("spoiler_text") or "").strip()
    if not text and not status.get("media_attachments"):
        raise BadItem("empty status")
    account = status.get("account") or {}
    return build(
        origin,
        item_id=item_id(host, status["id"]),
        platform=PLATFORM,
        kind=Kind.comment if parent is not None else Kind.post,
        thread_id=doc_id(PLATFORM, thread),
        parent_id=doc_id(PLATFORM, item_id(host, parent)) if parent is not None else None,
        url=status.get("url") or status.get("uri"),
        title=spoiler or None,
        text=text,
        language=status.get("language") or None,
        author=author_of(account, host) if account else Author(),
        engagement=Engagement(
            likes=count(status.get("favourites_count")),
            shares=count(status.get("reblogs_count")),
            replies=count(status.get("replies_count")),
        ),
        published_at=parse_time(status.get("created_at")),
        flags=flags,
    )


def statuses(payload: Any, origin: Origin, instance: str, root_id: str | None = None) -> Extracted:
    """Documents from a list of Statuses (a timeline page or an account's statuses)."""
    out = Extracted()
    if not isinstance(payload, list):
        out.skip("unexpected_payload", type(payload).__name__)
        return out
    host = host_of(instance)
    for status in payload:
        if not isinstance(status, dict):
            out.skip("not_an_object")
            continue
        if status.get("visibility") not in (None, "public", "unlisted"):
            out.skip("not_public", str(status.get("id")))
            continue
        try:
            out.documents.append(status_document(status, origin, host, root_id))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{status.get('id')}: {exc}")
    return out


def context(payload: Any, origin: Origin, instance: str, root_id: str) -> Extracted:
    """Documents from ``/api/v1/statuses/:id/context``: its ancestors (empty when the status is the
    thread's root) and descendants, all in the thread of ``root_id``."""
    if not isinstance(payload, dict) or not isinstance(payload.get("descendants"), list):
        out = Extracted()
        out.skip("unexpected_payload", type(payload).__name__)
        return out
    ancestors = payload.get("ancestors") if isinstance(payload.get("ancestors"), list) else []
    return statuses([*ancestors, *payload["descendants"]], origin, instance, root_id=root_id)


def context_root(payload: Any, status_id: str | None = None) -> str | None:
    """The thread root of a context: its first ancestor, else the status it was asked for (``status_id``),
    else the one status its descendants answer without being among them."""
    if not isinstance(payload, dict):
        return None
    ancestors = [s for s in payload.get("ancestors") or [] if isinstance(s, dict) and s.get("id")]
    if ancestors:
        return str(ancestors[0]["id"])
    if status_id:
        return str(status_id)
    descendants = [s for s in payload.get("descendants") or [] if isinstance(s, dict)]
    ids = {str(s.get("id")) for s in descendants}
    outside = {str(s["in_reply_to_id"]) for s in descendants if s.get("in_reply_to_id")} - ids
    return outside.pop() if len(outside) == 1 else None


def account_id(payload: Any) -> str | None:
    """The account id from ``/api/v1/accounts/lookup?acct=…``."""
    if isinstance(payload, dict) and payload.get("id"):
        return str(payload["id"])
    return None
