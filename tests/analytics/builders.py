"""Constructed documents for the analytics tests: valid ``vigie.schema.Document`` records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigie.schema import Document, make_doc_id

LAMBERSART = {"insee": "59328", "name": "Lambersart", "departement": "59"}
# noon, five days ago: the documents span the same calendar days whatever the hour the tests run (from
# START, 0 to 65 hours cover four days; started before 07:00 UTC they covered three, and the activity
# share "publie 3 jours sur 3" outranked the local replies)
START = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=5)


def doc_id(item: str, platform: str = "facebook") -> str:
    return make_doc_id(platform, item)


def doc(item: str, handle: str, *, platform: str = "facebook", followers: int | None = 100,
        parent: str | None = None, thread: str | None = None, mentions=(), local: bool = True,
        engagement: tuple[int, int, int] = (0, 0, 0), at: float = 0.0, kind: str | None = None,
        request: str | None = None, topics=(), source_kind: str = "facebook_page", author: dict | None = None) -> dict:
    """One document; ``parent``/``thread`` are item ids of the same platform, ``at`` hours after START.

    ``author`` replaces the author built from ``handle`` (e.g. a Graph API page: an id and a name, no handle).
    """
    likes, shares, replies = engagement
    record = Document(
        item_id=item, platform=platform, source_id="test", source_kind=source_kind, watch_ids=["lambersart"],
        kind=kind or ("comment" if parent else "post"),
        thread_id=doc_id(thread or parent or item, platform) if (thread or parent) else None,
        parent_id=doc_id(parent, platform) if parent else None,
        text=f"texte de {item}",
        author=author or {"id": handle, "handle": handle, "name": handle.title(), "followers": followers},
        engagement={"likes": likes, "shares": shares, "replies": replies},
        published_at=START + timedelta(hours=at), mentions=list(mentions), topics=list(topics),
        territory={"communes": [LAMBERSART] if local else []},
        request={"is_request": bool(request), "kind": request},
    )
    return record.to_json_dict()


def local_vs_national() -> list[dict]:
    """A local news page (900 followers) answered by local people; a national account (250,000) citing the town once.

    The national post is viral (2,200 reactions) and one local person mentions it once.
    """
    docs = [doc("page-1", "lambersart_actu", followers=900, engagement=(30, 5, 6), topics=["voirie-travaux"]),
            doc("page-2", "lambersart_actu", followers=900, engagement=(20, 2, 4), at=24, topics=["culture"]),
            doc("page-3", "lambersart_actu", followers=900, engagement=(12, 1, 3), at=48),
            doc("national-1", "info_nationale", followers=250_000, engagement=(1500, 600, 100), at=10,
                platform="mastodon", source_kind="mastodon")]
    for i, person in enumerate(["anne", "bruno", "chloe", "david", "emma", "farid"]):
        docs.append(doc(f"{person}-post", person, followers=50 + i, at=i))
        docs.append(doc(f"{person}-reply", person, followers=50 + i, parent=f"page-{1 + i % 3}", at=60 + i))
    docs.append(doc("gaelle-toot", "gaelle", platform="mastodon", source_kind="mastodon", mentions=["info_nationale"],
                    at=12))
    return docs
