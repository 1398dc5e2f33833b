"""Shared by the Vigie DAG files: default arguments, schedules from the environment, the watch file.

Only the standard library and Airflow's SDK are imported here and at the top of the DAG files, so
the scheduler parses them in milliseconds; the stages import their heavy libraries inside tasks.

| variable | default | meaning |
|---|---|---|
| ``VIGIE_CONFIG`` | the demo territory's | the watch file every DAG reads (``vigie.settings``) |
| ``VIGIE_COLLECT_SCHEDULE`` | ``@hourly`` | collect: crawl, enrich, index |
| ``VIGIE_ALERTS_SCHEDULE`` | ``*/15 * * * *`` | alerts |
| ``VIGIE_MAINTENANCE_SCHEDULE`` | ``30 3 * * *`` (Europe/Paris) | influence, retention, erasure, housekeeping |
| ``VIGIE_AIRFLOW_RETRIES`` | ``2`` | retries of every task (with exponential backoff) |
| ``VIGIE_AIRFLOW_RETRY_DELAY`` | ``60`` | seconds before the first retry |
| ``VIGIE_CRAWL_POOL`` | ``default_pool`` | the pool bounding concurrent crawl tasks (e.g. ``vigie_crawl``) |
| ``VIGIE_CRAWL_BATCH_SIZE`` | ``50`` (or ``settings.crawl_batch_size``) | sources per crawl task (one process) |
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 1, tzinfo=PARIS)
TAGS = ["vigie"]


def default_args() -> dict:
    delay = float(os.environ.get("VIGIE_AIRFLOW_RETRY_DELAY") or 60)
    return {
        "owner": "vigie",
        "retries": int(os.environ.get("VIGIE_AIRFLOW_RETRIES") or 2),
        "retry_delay": timedelta(seconds=delay),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(hours=1),
    }


def settings():
    """The run's settings, built at the edge: each task resolves them once and passes them to its stage."""
    from vigie.settings import Settings

    return Settings.resolve()


def config_path() -> Path:
    from vigie.settings import config_path as resolved

    return resolved()


def schedule(name: str, default: str) -> str:
    return os.environ.get(f"VIGIE_{name.upper()}_SCHEDULE") or default


def crawl_pool() -> str:
    return os.environ.get("VIGIE_CRAWL_POOL") or "default_pool"


def run_interval(context: dict, period: timedelta) -> tuple[datetime, datetime]:
    """The data interval of the run; a manual or cron-triggered run (empty interval) covers the
    ``period`` that ends when it was due."""
    from vigie.stages.layout import interval

    end = context.get("data_interval_end") or context.get("logical_date") or context["dag_run"].run_after
    return interval(context.get("data_interval_start"), end, period)


def watches() -> list:
    """The watches of the watch file (pydantic and PyYAML: light enough to read at parse time)."""
    from vigie.config import load_config

    return load_config(config_path()).watches
