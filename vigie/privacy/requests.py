"""Erasure requests queued for the maintenance run (`vigie forget --later`, or a file dropped by the DPO).

One JSON file per request in ``$VIGIE_STATE_DIR/privacy/requests/``::

    {"platform": "mastodon", "handle": "@someone@instance.example", "watch": null, "requested_at": "..."}

Processing erases (``erasure.forget``), which records the request in the erasure log (hashes and
counts, no handle in clear), then deletes the request file; a request that fails stays queued for the
next run, and a malformed file is moved to ``invalid/`` with the reason logged (for the DPO to fix).
Erasing twice is harmless (the second finds nothing), so a run killed midway is safe to repeat.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from vigie.privacy.objections import privacy_dir

log = logging.getLogger(__name__)


def queue_dir() -> Path:
    return privacy_dir() / "requests"


def queue(platform: str, handle: str, watch: str | None = None, now: datetime | None = None) -> Path:
    """File a request; the same author and scope filed twice is one request."""
    if not platform.strip() or not handle.strip():
        raise ValueError("an erasure request needs a platform and a handle")
    stamp = (now or datetime.now(UTC)).isoformat()
    key = hashlib.blake2b(f"{platform.lower()}\0{handle}\0{watch or ''}".encode(), digest_size=8).hexdigest()
    path = queue_dir() / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"platform": platform.lower(), "handle": handle, "watch": watch,
                                   "requested_at": stamp}), encoding="utf-8")
        tmp.replace(path)
    return path


def pending() -> list[Path]:
    folder = queue_dir()
    return sorted(folder.glob("*.json")) if folder.exists() else []


def process(client, watches, data_root: Path, *, names) -> dict:
    """Carry out every queued request; returns counts (requests done, failed, invalid)."""
    from vigie.privacy.erasure import forget
    from vigie.privacy.pseudonym import for_watch

    result = {"done": 0, "failed": 0, "invalid": 0, "documents_deleted": 0, "errors": []}
    known = {w.id for w in watches}
    pseudonymisers = None
    for path in pending():
        try:
            request = json.loads(path.read_text(encoding="utf-8"))
            platform, handle, scope = request["platform"], request["handle"], request.get("watch")
            if not isinstance(platform, str) or not isinstance(handle, str) or (scope and scope not in known):
                raise ValueError(f"platform and handle must be text, watch one of {sorted(known)}")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("erasure request %s is invalid (%s): moved to invalid/", path.name, exc)
            _move(path, "invalid")
            result["invalid"] += 1
            continue
        if pseudonymisers is None:
            pseudonymisers = {w.id: for_watch(w) for w in watches}
        try:
            entry = forget(client, platform, handle, watches, data_root, pseudonymisers, scope=scope,
                           names=names)
        except Exception as exc:  # the cluster is down, a file is locked: kept for the next run
            log.warning("erasure request %s failed, kept for the next run: %s", path.name, exc)
            result["failed"] += 1
            result["errors"].append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        result["done"] += 1
        result["documents_deleted"] += int(entry["counts"].get("documents_deleted", 0))
        path.unlink(missing_ok=True)   # the erasure log keeps the hash; no handle stays in clear
    return result


def _move(path: Path, folder: str) -> None:
    target = path.parent / folder / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
