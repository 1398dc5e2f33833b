"""Decidim GraphQL payloads (participatory processes, proposals, debates, comments) to Documents.

The queries live here beside the code that reads their answers, so the two stay in step.
Ids are local to one Decidim instance: item ids are ``<host>/<type>/<id>`` (the host of the
platform's web address). Translated fields pick French (``fr``, then ``fr-*``), else the first
non-empty translation, whose locale becomes the document's language.
Engagement: ``likes`` is the supports (``voteCount``, when the component shows them) plus the
endorsements; comments' ``likes`` are their up votes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from vigie.crawlers.extract._api import BadItem, Extracted, Origin, build, count, doc_id, html_to_text, parse_time
from vigie.schema import Author, Engagement, Kind

PLATFORM = "decidim"

_TRANSLATED = "{ translation(locale: \"fr\") translations { locale text } }"
_AUTHOR = "author { id name nickname }"
_COMMENT = "id body createdAt upVotes downVotes alignment deleted hidden " + _AUTHOR


def _comments_fields(depth: int) -> str:
    """Nested comment selections (``comments { … comments { … } }``) ``depth`` levels deep."""
    inner = ""
    for _ in range(depth):
        inner = f"comments {{ {_COMMENT} {inner} }}"
    return inner


PROCESSES_QUERY = (
    "query Processes { participatoryProcesses { id slug publishedAt "
    f"title {_TRANSLATED} shortDescription {_TRANSLATED} }} }}"
)
COMPONENTS_QUERY = (
    "query Components($id: ID!) { participatoryProcess(id: $id) { id slug "
    "components { id __typename name " + _TRANSLATED + " } } }"
)
PROPOSALS_QUERY = (
    "query Proposals($id: ID!, $after: String) { component(id: $id) { id __typename "
    "... on Proposals { proposals(first: 50, after: $after, order: {publishedAt: \"desc\"}) { "
    "pageInfo { hasNextPage endCursor } edges { node { id reference publishedAt state "
    f"title {_TRANSLATED} body {_TRANSLATED} voteCount endorsementsCount totalCommentsCount {_AUTHOR} "
    + _comments_fields(4) + " } } } } } }"
)
DEBATES_QUERY = (
    "query Debates($id: ID!, $after: String) { component(id: $id) { id __typename "
    "... on Debates { debates(first: 50, after: $after) { "
    "pageInfo { hasNextPage endCursor } edges { node { id reference createdAt startTime "
    f"title {_TRANSLATED} description {_TRANSLATED} endorsementsCount totalCommentsCount {_AUTHOR} "
    + _comments_fields(4) + " } } } } } }"
)
QUERIES = {"Proposals": PROPOSALS_QUERY, "Debates": DEBATES_QUERY}


def translated(field: Any) -> tuple[str, str | None]:
    """(text, locale) of a Decidim TranslatedField, French first."""
    if field is None:
        return "", None
    if isinstance(field, str):
        return field, None
    if not isinstance(field, dict):
        raise BadItem(f"unexpected translated field {type(field).__name__}")
    options = [(t.get("locale") or "", t.get("text") or "") for t in field.get("translations") or []
               if isinstance(t, dict) and t.get("text")]
    for want in (lambda loc: loc == "fr", lambda loc: loc.startswith("fr")):
        for locale, text in options:
            if want(locale):
                return text, locale
    if field.get("translation"):
        return field["translation"], "fr"
    if options:
        locale, text = options[0]
        return text, locale or None
    return "", None


def _host(base_url: str) -> str:
    return urlsplit(base_url).netloc.lower()


def _data(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise BadItem("no 'data' object in the GraphQL answer")
    return payload["data"]


def _author(author: Any, base_url: str) -> Author:
    if not isinstance(author, dict):
        return Author()
    nickname = (author.get("nickname") or "").lstrip("@") or None
    return Author(id=str(author["id"]) if author.get("id") else None, handle=nickname,
                  name=author.get("name") or nickname,
                  url=f"{base_url.rstrip('/')}/profiles/{nickname}" if nickname else None)


def _sum(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def processes(payload: Any, origin: Origin, base_url: str) -> tuple[Extracted, list[dict[str, str]]]:
    """Process pages and the list of processes (``id``, ``slug``) to crawl further."""
    out, found = Extracted(), []
    try:
        items = _data(payload).get("participatoryProcesses")
    except BadItem as exc:
        out.skip("unexpected_payload", str(exc))
        return out, found
    for process in items if isinstance(items, list) else []:
        if not isinstance(process, dict) or not process.get("id") or not process.get("slug"):
            out.skip("bad_item", "process without id or slug")
            continue
        found.append({"id": str(process["id"]), "slug": process["slug"]})
        try:
            title, lang = translated(process.get("title"))
            summary, _ = translated(process.get("shortDescription"))
            item = f"{_host(base_url)}/process/{process['slug']}"
            out.documents.append(build(
                origin, item_id=item, platform=PLATFORM, kind=Kind.page, thread_id=doc_id(PLATFORM, item),
                url=f"{base_url.rstrip('/')}/processes/{process['slug']}", title=title or None,
                text=html_to_text(summary), language=lang, published_at=parse_time(process.get("publishedAt")),
            ))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"process {process.get('slug')}: {exc}")
    return out, found


def components(payload: Any) -> list[tuple[str, str]]:
    """(component id, type) of the proposal and debate components of one process."""
    try:
        process = _data(payload).get("participatoryProcess") or {}
    except BadItem:
        return []
    return [(str(c["id"]), c["__typename"]) for c in process.get("components") or []
            if isinstance(c, dict) and c.get("id") and c.get("__typename") in QUERIES]


def _walk_comments(comments: Any, origin: Origin, base_url: str, root_item: str, root_url: str,
                   parent_item: str, out: Extracted) -> None:
    host = _host(base_url)
    for comment in comments or []:
        if not isinstance(comment, dict) or not comment.get("id"):
            out.skip("bad_item", "comment without id")
            continue
        item = f"{host}/comment/{comment['id']}"
        children = comment.get("comments") or []
        if comment.get("deleted") or comment.get("hidden"):
            out.skip("removed", item)
        else:
            try:
                out.documents.append(build(
                    origin, item_id=item, platform=PLATFORM, kind=Kind.comment,
                    thread_id=doc_id(PLATFORM, root_item), parent_id=doc_id(PLATFORM, parent_item),
                    url=f"{root_url}?commentId={comment['id']}#comment_{comment['id']}",
                    text=html_to_text(comment.get("body")), author=_author(comment.get("author"), base_url),
                    engagement=Engagement(likes=count(comment.get("upVotes")), replies=len(children)),
                    published_at=parse_time(comment.get("createdAt")),
                ))
            except (BadItem, ValueError, KeyError, TypeError) as exc:
                out.skip("bad_item", f"{item}: {exc}")
        _walk_comments(children, origin, base_url, root_item, root_url, item, out)


def page(payload: Any, origin: Origin, base_url: str, process_slug: str) -> tuple[Extracted, str | None]:
    """Proposals or debates of one component page, with their comment trees, and the next cursor."""
    out = Extracted()
    try:
        component = _data(payload).get("component")
        typename = component["__typename"]
        connection = component["proposals" if typename == "Proposals" else "debates"]
        edges = connection["edges"]
    except (BadItem, KeyError, TypeError) as exc:
        out.skip("unexpected_payload", f"component page: {exc}")
        return out, None
    kind = "proposal" if typename == "Proposals" else "debate"
    host, base = _host(base_url), base_url.rstrip("/")
    for edge in edges or []:
        node = (edge or {}).get("node") if isinstance(edge, dict) else None
        if not isinstance(node, dict) or not node.get("id"):
            out.skip("bad_item", "edge without node id")
            continue
        item = f"{host}/{kind}/{node['id']}"
        url = f"{base}/processes/{process_slug}/f/{component['id']}/{kind}s/{node['id']}"
        try:
            title, lang = translated(node.get("title"))
            body, body_lang = translated(node.get("body") if kind == "proposal" else node.get("description"))
            out.documents.append(build(
                origin, item_id=item, platform=PLATFORM, kind=Kind.post, thread_id=doc_id(PLATFORM, item),
                url=url, title=title or None, text=html_to_text(body), language=body_lang or lang,
                author=_author(node.get("author"), base_url),
                engagement=Engagement(likes=_sum(count(node.get("voteCount")), count(node.get("endorsementsCount"))),
                                      replies=count(node.get("totalCommentsCount"))),
                published_at=parse_time(node.get("publishedAt") or node.get("createdAt") or node.get("startTime")),
            ))
        except (BadItem, ValueError, KeyError, TypeError) as exc:
            out.skip("bad_item", f"{item}: {exc}")
        _walk_comments(node.get("comments"), origin, base_url, item, url, item, out)
    info = connection.get("pageInfo") or {}
    return out, (info.get("endCursor") if info.get("hasNextPage") else None)
