"""Where the stages keep their files, which watch file they read, and their time intervals.

    $VIGIE_DATA_DIR/raw/<watch>/<source>/<start>--<end>.jsonl     crawls (crawlers.run layout)
    $VIGIE_DATA_DIR/enriched/<watch>/<start>--<end>.jsonl          one file per watch and interval
    $VIGIE_STATE_DIR/rejects/<watch>/<start>--<end>.jsonl          what the index refused

The watch file is ``$VIGIE_CONFIG`` (default: the project's ``config/demo.yaml``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vigie.settings import data_dir, project_root, state_dir


def config_path() -> Path:
    return Path(os.environ.get("VIGIE_CONFIG") or project_root() / "config" / "demo.yaml")


def raw_dir() -> Path:
    return data_dir() / "raw"


def enriched_dir() -> Path:
    return data_dir() / "enriched"


def rejects_dir() -> Path:
    return state_dir() / "rejects"


def interval(start: datetime | None, end: datetime, period: timedelta) -> tuple[datetime, datetime]:
    """The run's interval in UTC.  Manual and cron-triggered runs have an empty data interval (their
    start is their end): the interval is then the ``period`` that ends at ``end``."""
    end = _utc(end)
    start = _utc(start) if start is not None else end
    return (start, end) if start < end else (end - period, end)


def interval_text(start: datetime, end: datetime) -> str:
    """``START/END`` as ``vigie.crawlers.run`` takes it."""
    return f"{start.isoformat()}/{end.isoformat()}"


def interval_name(start: datetime, end: datetime) -> str:
    from vigie.crawlers.run import interval_name as name

    return name(start, end)


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
