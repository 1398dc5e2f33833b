"""The objection list: authors who must not be collected again (``vigie forget``).

The crawlers read it in every crawl process, so this module imports neither Elasticsearch nor
``vigie.indexes``: only the standard library and the core.  The list holds a hash of
(platform, handle), never the handle in clear.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from vigie import settings
from vigie.privacy.pseudonym import normalise_handle


def author_hash(platform: str, handle: str) -> str:
    return hashlib.sha256(f"{platform.lower()}\x1f{normalise_handle(handle)}".encode()).hexdigest()


def privacy_dir() -> Path:
    return settings.state_dir() / "privacy"


def objection_path() -> Path:
    return privacy_dir() / "objections.json"


def load_objections(path: Path | None = None) -> set[str]:
    """Hashes of (platform, handle) that must not be collected again."""
    path = path or objection_path()
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["authors"])
    except FileNotFoundError:
        return set()


def is_objected(platform: str, handle: str | None, objections: set[str], watch_id: str | None = None) -> bool:
    """True when the author objected everywhere, or for ``watch_id``."""
    if not handle:
        return False
    digest = author_hash(platform, handle)
    return digest in objections or (watch_id is not None and f"{watch_id}:{digest}" in objections)


def add_objection(digest: str, path: Path | None = None) -> None:
    path = path or objection_path()
    entries = load_objections(path) | {digest}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"authors": sorted(entries)}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
