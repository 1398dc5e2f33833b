"""The digest archive, ``$VIGIE_STATE_DIR/digests/<watch>/``: what each run wrote and sent.

Files are named after the day covered: ``<YYYY-MM-DD>.html`` (``.txt``, ``.json``, ``.png`` beside it) and,
while Elasticsearch could not take it, ``<YYYY-MM-DD>.sent.json`` (see ``digest/store.py``).  They hold
names and snippets of public posts, so they are personal data: :func:`prune` deletes them after the watch's
``privacy.retention_days`` (``DEFAULT_RETENTION_DAYS`` when the watch sets none).

    from vigie.digest.archive import prune
    prune(watch.id, watch.privacy.retention_days, datetime.now(UTC))
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from vigie.digest.store import archive_dir

log = logging.getLogger(__name__)
DEFAULT_RETENTION_DAYS = 90
DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(html|txt|json|png|sent\.json)$")
TEMP_FILE = re.compile(r"^\..+\.tmp$")


def prune(watch_id: str, days: int | None = None, now: datetime | None = None) -> list[Path]:
    """Delete the archived digests of ``watch_id`` whose day covered is more than ``days`` days before
    ``now`` (``None``: ``DEFAULT_RETENTION_DAYS``); the day exactly ``days`` days before is kept.  Leftover
    temporary files older than a day go too.  Returns the files deleted."""
    days = DEFAULT_RETENTION_DAYS if days is None else int(days)
    if days < 1:
        raise ValueError(f"retention must be at least one day, not {days}")
    now = now or datetime.now(UTC)
    cutoff: date = now.date() - timedelta(days=days)
    folder = archive_dir(watch_id)
    deleted: list[Path] = []
    if not folder.is_dir():
        return deleted
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        match = DAY_FILE.match(path.name)
        if match:
            try:
                old = date.fromisoformat(match.group(1)) < cutoff
            except ValueError:
                continue
        else:
            old = bool(TEMP_FILE.match(path.name)) and path.stat().st_mtime < time.time() - 86400
        if old:
            path.unlink(missing_ok=True)
            deleted.append(path)
    if deleted:
        log.info("digest archive %s: %d files older than %d days deleted", watch_id, len(deleted), days)
    return deleted
