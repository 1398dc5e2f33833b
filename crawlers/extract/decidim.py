"""Decidim GraphQL payloads (participatory processes, proposals, debates, comments) to Documents.

The queries live here beside the code that reads their answers, so the two stay in step.
Ids are local to one Decidim instance: item ids are ``<host>/<type>/<id>`` (the host of the
platform's web address). Translated fields pick French (``fr``, then ``fr-*``), else the first
non-empty translation, whose locale becomes the document's language; a field that holds only
``translation`` (one locale, chosen by the query) gives no language.

Answers recorded by others (Decidim's own API guide) also come as: processes with a ``slug`` but no
``id``; a single space (``participatoryProcess``, ``assembly``, ``conference``, ``initiative``) whose
``components`` carry their ``proposals``/``debates`` connections inline; components of other types
(meetings, pages…); proposals that hold only an ``id`` and their ``likes``.  All are read (or skipped
with a reason) here.
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
    if field.get("translation"):  # the locale the query asked for, which the answer does not say
        return field["translation"], None
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
        if not isinstance(process, dict) or not process.get("slug"):
            out.skip("bad_item", "process without slug")
            continue
        if process.get("id"):  # the components query needs the id
            found.append({"id": str(process["id"]), "slug": process["slug"]})
        _space_page(process, "processes", origin, base_url, out)
    return out, found


_SPACES = {"participatoryProcess": "processes", "assembly": "assemblies", "conference": "conferences",
           "initiative": "initiatives"}  # the space's key in an answer -> its folder in the site's addresses
_SPACE_ITEMS = {"processes": "process", "assemblies": "assembly", "conferences": "conference",
                "initiatives": "initiative"}


def _space_page(space: dict[str, Any], folder: str, origin: Origin, base_url: str, out: Extracted) -> None:
    """The page of one participatory space (title and short description), when it has a slug."""
    try:
        title, lang = translated(space.get("title"))
        summary, _ = translated(space.get("shortDescription"))
        if not title and not summary:
            out.skip("no_text", f"{folder} {space['slug']}: no title and no description in the answer")
            return
        item = f"{_host(base_url)}/{_SPACE_ITEMS[folder]}/{space['slug']}"
        # a space's page stays a page without its date (not asked for): the crawl's time stands for it
        dated = {"published_at": parse_time(space["publishedAt"])} if space.get("publishedAt") else {
            "published_at": origin.crawled_at, "flags": ["published_at_estimated"]}
        out.documents.append(build(
            origin, item_id=item, platform=PLATFORM, kind=Kind.page, thread_id=doc_id(PLATFORM, item),
            url=f"{base_url.rstrip('/')}/{folder}/{space['slug']}", title=title or None,
            text=html_to_text(summary), language=lang, **dated,
        ))
    except (BadItem, ValueError, KeyError, TypeError) as exc:
        out.skip("bad_item", f"{folder} {space.get('slug')}: {exc}")


def space(payload: Any) -> tuple[str, dict[str, Any]] | None:
    """(folder, space) of an answer about one participatory space, else None."""
    try:
        data = _data(payload)
    except BadItem:
        return None
    for key, folder in _SPACES.items():
        if isinstance(data.get(key), dict):
            return folder, data[key]
    return None


def space_page(payload: Any, origin: Origin, base_url: str, slug: str | None = None) -> Extracted:
    """One participatory space: its page (when the answer has its slug or ``slug`` is given), and the
    proposals and debates its components carry inline, with their comment trees."""
    out = Extracted()
    found = space(payload)
    if found is None:
        out.skip("unexpected_payload", "no participatory space in the answer")
        return out
    folder, entry = found
    slug = entry.get("slug") or slug
    if entry.get("slug") and ("title" in entry or "shortDescription" in entry):
        _space_page(entry, folder, origin, base_url, out)
    for component in entry.get("components") or []:
        key = _connection_key(component) if isinstance(component, dict) else None
        if key and isinstance(component.get(key), dict):  # the connection came inline
            out.extend(_component_page(component, origin, base_url, slug or "space", folder)[0])
    return out


def components(payload: Any) -> list[tuple[str, str]]:
    """(component id, type) of the proposal and debate components of one process."""
    found = space(payload)
    entry = found[1] if found else {}
    return [(str(c["id"]), c["__typename"]) for c in entry.get("components") or []
            if isinstance(c, dict) and c.get("id") and c.get("__typename") in QUERIES]


def _connection_key(component: dict[str, Any]) -> str | None:
    """``proposals`` or ``debates``: the connection a component carries (by its type, else by its keys)."""
    typename = component.get("__typename")
    if typename in QUERIES:
        return "proposals" if typename == "Proposals" else "debates"
    if typename is None:
        return next((key for key in ("proposals", "debates") if isinstance(component.get(key), dict)), None)
    return None


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
    try:
        component = _data(payload).get("component")
    except BadItem as exc:
        out = Extracted()
        out.skip("unexpected_payload", f"component page: {exc}")
        return out, None
    if not isinstance(component, dict):
        out = Extracted()
        out.skip("unexpected_payload", "component page: no component in the answer")
        return out, None
    return _component_page(component, origin, base_url, process_slug, "processes")


def _component_page(component: dict[str, Any], origin: Origin, base_url: str, space_slug: str,
                    folder: str) -> tuple[Extracted, str | None]:
    out = Extracted()
    key = _connection_key(component)
    if key is None:
        out.skip("not_read", f"component {component.get('id')} of type {component.get('__typename')}: "
                             "only proposals and debates are read")
        return out, None
    try:
        connection = component[key]
        edges = connection["edges"]
    except (KeyError, TypeError) as exc:
        out.skip("unexpected_payload", f"component page: {exc}")
        return out, None
    kind = key[:-1]
    host, base = _host(base_url), base_url.rstrip("/")
    for edge in edges or []:
        node = (edge or {}).get("node") if isinstance(edge, dict) else None
        if not isinstance(node, dict) or not node.get("id"):
            out.skip("bad_item", "edge without node id")
            continue
        item = f"{host}/{kind}/{node['id']}"
        url = f"{base}/{folder}/{space_slug}/f/{component.get('id')}/{kind}s/{node['id']}"
        if not any(k in node for k in ("title", "body", "description")):
            likes = node.get("likes")
            out.skip("no_text", f"{item}: the answer holds no title and no text"
                     + (f" ({len(likes)} likes)" if isinstance(likes, list) else ""))
            _walk_comments(node.get("comments"), origin, base_url, item, url, item, out)
            continue
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
