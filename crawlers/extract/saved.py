"""One saved page or payload of any kind to Documents: what ``vigie extract FILE --kind KIND`` runs.

``extract_saved(body, kind, …)`` finds the endpoint from the payload's shape (a Mastodon list of
statuses or a ``context``, a Reddit ``Listing`` or a ``[post, comments]`` pair, a YouTube ``kind``…)
unless it is given, and runs the same extraction functions as the kind's spider: the Documents, the
items skipped with their reason, the items only noted and the links a crawl would follow next.
A payload it cannot read raises ``NotUnderstood`` with a sentence saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vigie.crawlers.extract import saved_apis, saved_pages
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.crawlers.extract._items import Items
from vigie.crawlers.extract._saved_common import Context, NotUnderstood, Reader
from vigie.schema import Document

__all__ = ["ENDPOINTS", "Context", "NotUnderstood", "Reader", "Saved", "endpoints", "extract_saved"]


@dataclass
class Saved:
    """What one saved file gave."""

    kind: str
    endpoint: str
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


# kind → endpoint → reader: pages (saved_pages) read bytes, API payloads (saved_apis) read JSON
ENDPOINTS: dict[str, dict[str, Reader]] = {**saved_pages.ENDPOINTS, **saved_apis.ENDPOINTS}


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotUnderstood(f"not valid JSON ({exc})") from None


def _documents(items: Items, ctx: Context, platform: str) -> list[Document]:
    origin = ctx.origin
    docs = []
    for fields in items.fields:
        fields = {"platform": platform, "source_id": origin.source_id, "source_kind": origin.source_kind,
                  "watch_ids": list(origin.watch_ids), "crawled_at": origin.crawled_at, **fields}
        docs.append(Document.model_validate(fields))
    return docs


PLATFORMS = {"web": "web", "feed": "web", "phpbb": "phpbb", "spip": "spip", "forum": "forum",
             "telegram": "telegram", "discourse": "discourse"}


def endpoints(kind: str) -> list[str]:
    return list(ENDPOINTS.get(kind, {}))


def extract_saved(body: bytes, kind: str, *, url: str | None = None, endpoint: str | None = None,
                  options: Any = None, source_id: str = "file", watch_ids: tuple[str, ...] = (),
                  content_type: str | None = None, platform: str | None = None) -> Saved:
    """The Documents of one saved page or payload; ``NotUnderstood`` when the file is not of this kind.
    ``platform``: the source's ``options.platform`` (HTML kinds whose fields do not name one)."""
    if kind not in ENDPOINTS:
        raise NotUnderstood(f"vigie extract does not read kind {kind!r} (it reads: {', '.join(ENDPOINTS)})")
    table = ENDPOINTS[kind]
    if endpoint is not None and endpoint not in table:
        raise NotUnderstood(f"kind {kind} has no endpoint {endpoint!r} (known: {', '.join(table)})")
    ctx = Context(kind=kind, url=url, origin=Origin(source_id, kind, watch_ids, datetime.now(UTC)),
                  options=options, content_type=content_type)
    payload: Any = body
    if kind in saved_apis.ENDPOINTS:
        payload = _json(body)
        problem = error_reason(payload)
        if problem is not None:
            raise NotUnderstood(f"the payload is an error answer of the platform: {problem[0]} {problem[1]}".strip())
        if endpoint is None:
            endpoint = saved_apis.SHAPES[kind](payload)
            if endpoint is None:
                raise NotUnderstood(f"this JSON has the shape of no {kind} endpoint (known: {', '.join(table)}); "
                                    "name it with --endpoint")
    elif endpoint is None:
        endpoint = saved_pages.shape(kind, body, ctx)
    reader = table[endpoint]
    try:
        result = reader(payload, ctx)
    except NotUnderstood:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NotUnderstood(f"not a {kind} {endpoint} payload ({type(exc).__name__}: {exc})") from None
    saved = Saved(kind=kind, endpoint=endpoint, skipped=list(result.skipped))
    if isinstance(result, Items):
        saved.documents = _documents(result, ctx, platform or PLATFORMS.get(kind, kind))
        saved.noted, saved.links = list(result.noted), list(result.links)
    else:  # the API extractors set their platform (facebook, instagram…), as in a crawl
        saved.documents, saved.links = list(result.documents), list(result.links)
    return saved
