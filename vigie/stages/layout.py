"""Where the stages keep their files, which watch file they read, and their time intervals.

    $VIGIE_DATA_DIR/raw/<watch>/<source>/<start>--<end>.jsonl     crawls (crawlers.run layout)
    $VIGIE_DATA_DIR/enriched/<watch>/<start>--<end>.jsonl          one file per watch and interval
    $VIGIE_STATE_DIR/rejects/<watch>/<start>--<end>.jsonl          what the index refused

The watch file is ``$VIGIE_CONFIG`` (default: the project's ``config/demo.yaml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from vigie.intervals import interval_name, interval_text, run_interval
from vigie.settings import data_dir, project_root, state_dir

__all__ = ["interval_name", "interval_text"]


def config_path() -> Path:
    return Path(os.environ.get("VIGIE_CONFIG") or project_root() / "config" / "demo.yaml")


def raw_dir() -> Path:
    return data_dir() / "raw"


def enriched_dir() -> Path:
    return data_dir() / "enriched"


def rejects_dir() -> Path:
    return state_dir() / "rejects"


interval = run_interval
