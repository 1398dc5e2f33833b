"""Collect: which sources to crawl, and one crawl in its own process (Scrapy's reactor cannot restart)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from vigie.settings import Settings
from vigie.stages import layout

log = logging.getLogger(__name__)


class CrawlFailed(RuntimeError):
    """A source's crawl failed; the message carries the end of its log."""


def plan(settings: Settings) -> list[dict[str, str]]:
    """One job per enabled source of every watch, in file order: adding a source adds a job."""
    from vigie.crawlers.run import plan as crawl_plan

    return [{"watch": watch, "source": source} for watch, source in crawl_plan(settings.config_path)]


def crawl(settings: Settings, watch: str, source: str, start: datetime, end: datetime, *,
          timeout: float | None = 3000) -> dict[str, Any]:
    """Crawl one source for the interval in its own process (with this process's environment); raises
    CrawlFailed (so the task is retried) on failure.

    A crawl that is run again for the same interval appends only documents it has not written yet.
    """
    from vigie.crawlers.run import crawl_source

    summary = crawl_source(settings.config_path, watch, source, layout.raw_dir(settings),
                           interval=layout.interval_text(start, end), timeout=timeout, env=settings.child_env())
    wanted = ("status", "fetched", "new", "updated", "written", "errors", "output", "log")
    counts = {k: summary[k] for k in wanted if k in summary}
    trouble = problem(summary)
    if trouble:
        raise CrawlFailed(f"{watch}/{source}: {trouble}")
    log.info("crawl %s/%s: %s", watch, source, counts)
    return {"watch": watch, "source": source, **counts}


def problem(summary: dict[str, Any]) -> str | None:
    """Why a crawl summary counts as a failure, or None."""
    if summary.get("status") != "ok":
        return f"crawl failed: {summary.get('error') or 'see ' + str(summary.get('log'))}"
    if not summary.get("fetched") and not summary.get("written") and summary.get("errors"):
        # Nothing answered: the source is down (or blocks us); the task fails, is retried and shows.
        return f"source unreachable: {summary.get('errors_by_reason')} (log: {summary.get('log')})"
    return None


def failures(settings: Settings, jobs: list[dict[str, str]], start: datetime, end: datetime) -> list[str]:
    """The sources of ``jobs`` whose crawl of the interval failed, read from their summary files."""
    import json

    from vigie.crawlers.run import output_paths

    found = []
    for job in jobs:
        path = output_paths(layout.raw_dir(settings), job["watch"], job["source"],
                            layout.interval_text(start, end))["summary"]
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = {"status": "failed", "error": "no summary: the crawl did not run or was killed"}
        trouble = problem(summary)
        if trouble:
            found.append(f"{job['watch']}/{job['source']}: {trouble}")
    return found
