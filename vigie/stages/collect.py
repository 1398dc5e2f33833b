"""Collect: which sources to crawl, in batches, each batch crawled by one process (its sources
concurrently, each with its own state, summary, log and limits; see ``vigie.crawlers.batch``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from vigie.settings import Settings
from vigie.stages import layout

log = logging.getLogger(__name__)
COUNTS = ("status", "fetched", "new", "updated", "written", "errors", "output", "log")


class CrawlFailed(RuntimeError):
    """A source's crawl failed; the message names it and carries the end of its log."""


def plan(settings: Settings) -> list[dict[str, str]]:
    """One job per enabled source of every watch, in file order: adding a source adds a job."""
    from vigie.crawlers.run import plan as crawl_plan

    return [{"watch": watch, "source": source} for watch, source in crawl_plan(settings.config_path)]


def batches(settings: Settings, size: int | None = None) -> list[dict[str, Any]]:
    """The jobs of ``plan`` cut into batches of ``size`` (default ``settings.crawl_batch_size``), in order:
    ``{"label": "lambersart/mairie … lambersart/forum (12)", "jobs": [{"watch", "source"}, …]}``."""
    jobs = plan(settings)
    size = max(1, size or settings.crawl_batch_size)
    found = []
    for i in range(0, len(jobs), size):
        chunk = jobs[i:i + size]
        first, last = (f"{j['watch']}/{j['source']}" for j in (chunk[0], chunk[-1]))
        label = first if len(chunk) == 1 else f"{first} … {last} ({len(chunk)})"
        found.append({"label": label, "jobs": chunk})
    return found


def crawl(settings: Settings, watch: str, source: str, start: datetime, end: datetime, *,
          timeout: float | None = 3000) -> dict[str, Any]:
    """Crawl one source for the interval in its own process; raises CrawlFailed on failure."""
    [result] = crawl_batch(settings, [{"watch": watch, "source": source}], start, end, timeout=timeout)["sources"]
    return result


def crawl_batch(settings: Settings, jobs: list[dict[str, str]], start: datetime, end: datetime, *,
                timeout: float | None = 3000, skip_done: bool = False) -> dict[str, Any]:
    """Crawl a batch of sources for the interval in one process (with this run's environment) and
    return their counts; raises CrawlFailed naming every source that failed, once all have run (so
    the task is retried).  ``skip_done`` (a retry) does not crawl again the sources whose summary for
    this interval is already a success.

    A crawl that is run again for the same interval appends only documents it has not written yet.
    """
    from vigie.crawlers.run import crawl_batch as run_batch

    interval = layout.interval_text(start, end)
    done = [job for job in jobs if skip_done and problem(_summary_file(settings, job, start, end)) is None]
    todo = [job for job in jobs if job not in done]
    summaries = run_batch(settings.config_path, [(j["watch"], j["source"]) for j in todo], layout.raw_dir(settings),
                          interval=interval, timeout=timeout, env=settings.child_env()) if todo else []
    by_job = {(s["watch"], s["source"]): s for s in summaries}
    results, failed = [], []
    for job in jobs:
        key = (job["watch"], job["source"])
        summary = by_job.get(key) or {**_summary_file(settings, job, start, end), "skipped": "done in an earlier try"}
        counts = {k: summary[k] for k in COUNTS if k in summary}
        trouble = problem(summary)
        if trouble:
            failed.append(f"{key[0]}/{key[1]}: {trouble}")
            counts["status"] = "failed"
        log.info("crawl %s/%s: %s", *key, counts)
        results.append({**job, **counts})
    if failed:
        raise CrawlFailed(f"{len(failed)} of {len(jobs)} source(s) failed: " + "; ".join(failed))
    return {"sources": results, "crawled": len(todo), "skipped": len(done)}


def crawl_all(settings: Settings, jobs: list[dict[str, str]], start: datetime, end: datetime, *,
              timeout: float | None = 3000, parallel: int = 1,
              on_done: Callable[[dict[str, Any]], Any] | None = None) -> list[dict[str, Any]]:
    """Crawl ``jobs`` in batches of ``settings.crawl_batch_size``, ``parallel`` processes at a time;
    one result per job (``status``, counts, and ``error`` for a failed source), never raises on a crawl."""
    from vigie.crawlers.run import crawl_watch

    def result(summary: dict[str, Any]) -> dict[str, Any]:
        counts = {"watch": summary["watch"], "source": summary["source"],
                  **{k: summary[k] for k in COUNTS if k in summary}}
        trouble = problem(summary)
        if trouble:
            counts.update(status="failed", error=trouble)
        return counts

    pairs = [(j["watch"], j["source"]) for j in jobs]
    summaries = crawl_watch(settings.config_path, layout.raw_dir(settings), jobs=pairs,
                            interval=layout.interval_text(start, end), parallel=parallel,
                            batch_size=settings.crawl_batch_size, deadline=timeout, env=settings.child_env(),
                            on_done=(lambda s: on_done(result(s))) if on_done else None)
    return [result(s) for s in summaries]


def problem(summary: dict[str, Any]) -> str | None:
    """Why a crawl summary counts as a failure, or None."""
    if summary.get("status") != "ok":
        return f"crawl failed: {summary.get('error') or 'see ' + str(summary.get('log'))}"
    if not summary.get("written") and summary.get("errors") and not summary.get("answered", summary.get("fetched")):
        # Nothing answered (refused connections, timeouts) or only with HTTP errors: the source is down
        # (or blocks us); the task fails, is retried and shows.
        what = "source unreachable" if not summary.get("fetched") else "source answered only errors"
        return f"{what}: {summary.get('errors_by_reason')} (log: {summary.get('log')})"
    return None


def _summary_file(settings: Settings, job: dict[str, str], start: datetime, end: datetime) -> dict[str, Any]:
    import json

    from vigie.crawlers.run import output_paths

    paths = output_paths(layout.raw_dir(settings), job["watch"], job["source"], layout.interval_text(start, end))
    try:
        summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {"status": "failed", "error": "no summary: the crawl did not run or was killed"}
    return {**summary, "watch": job["watch"], "source": job["source"], "log": str(paths["log"]),
            "output": str(paths["output"])}


def failures(settings: Settings, jobs: list[dict[str, str]], start: datetime, end: datetime) -> list[str]:
    """The sources of ``jobs`` whose crawl of the interval failed, read from their summary files."""
    found = []
    for job in jobs:
        trouble = problem(_summary_file(settings, job, start, end))
        if trouble:
            found.append(f"{job['watch']}/{job['source']}: {trouble}")
    return found
