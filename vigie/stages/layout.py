"""Where the stages keep their files, which watch file they read, and their time intervals.

    $VIGIE_DATA_DIR/raw/<watch>/<source>/<start>--<end>.jsonl     crawls (crawlers.run layout)
    $VIGIE_DATA_DIR/enriched/<watch>/<start>--<end>.jsonl          one file per watch and interval
    $VIGIE_STATE_DIR/rejects/<watch>/<start>--<end>.jsonl          what the index refused

Every folder comes from the run's ``Settings`` (``data_dir``, ``state_dir``).
"""

from __future__ import annotations

from pathlib import Path

from vigie.intervals import interval_name, interval_text, run_interval
from vigie.settings import Settings

__all__ = ["interval_name", "interval_text"]


def raw_dir(settings: Settings) -> Path:
    return settings.data_dir / "raw"


def enriched_dir(settings: Settings) -> Path:
    return settings.data_dir / "enriched"


def rejects_dir(settings: Settings) -> Path:
    return settings.state_dir / "rejects"


interval = run_interval
