"""The main job without Airflow: collect → enrich → index → influence → alerts → digest, once.

``vigie run`` calls it on the user's watch file, ``vigie demo`` on the demo territory.  It runs the
same stage functions as the DAGs, so it is idempotent the same way: crawls append only new documents,
indexing writes by ``_id``, alerts and digests go through their delivery logs (a second run for the
same interval sends nothing twice).  A stage that fails for one watch or one source is recorded and
the run goes on with the others; ``RunResult.failures`` lists them.

The *clock* of a watch says up to when alerts are detected and which day the digest covers: by
default the end of the run's interval and the day before it in the watch's timezone (the morning
email).  The demo passes its own clock (its documents date from November 2026).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from vigie.settings import Settings

Clock = Callable[[Any, Any, Any], tuple[datetime, date]]   # (client, names, watch) -> (alerts until, digest day)


@dataclass(slots=True)
class WatchRun:
    watch: str
    crawls: list[dict[str, Any]] = field(default_factory=list)
    enriched: dict[str, Any] = field(default_factory=dict)
    indexed: dict[str, Any] = field(default_factory=dict)
    influence: dict[str, Any] = field(default_factory=dict)
    alerts: dict[str, Any] = field(default_factory=dict)
    digest: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    interval: tuple[datetime, datetime]
    watches: dict[str, WatchRun] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failures(self) -> list[str]:
        return [f"{w}: {problem}" for w, run in self.watches.items() for problem in run.failures]


def interval_clock(end: datetime) -> Clock:
    """Alerts up to the end of the interval; the digest of the day before it, in the watch's timezone."""
    def clock(client, names, watch) -> tuple[datetime, date]:
        return end, (end.astimezone(ZoneInfo(watch.timezone)) - timedelta(days=1)).date()
    return clock


def run(settings: Settings, *, watch_ids: list[str] | None = None, interval: tuple[datetime, datetime],
        clock: Clock | None = None, send: bool = True, parallel: int = 2, client: Any = None,
        say: Callable[[str], None] = lambda _: None) -> RunResult:
    """Run the whole chain once for ``interval`` over the watches (default: every watch of the file)."""
    from vigie.indexes.client import connect
    from vigie.stages import alerts, collect, enrich, index, influence
    from vigie.stages import digest as digest_stage

    started = time.monotonic()
    start, end = interval
    clock = clock or interval_clock(end)
    chosen = [settings.watch(w) for w in watch_ids] if watch_ids else list(settings.watches)
    result = RunResult(interval=interval, watches={w.id: WatchRun(w.id) for w in chosen})
    client = client or connect(settings.es, wait=60)

    jobs = [job for job in collect.plan(settings) if job["watch"] in result.watches]
    say(f"Collect: {len(jobs)} source(s), crawled in batches of {settings.crawl_batch_size} "
        f"(one process per batch, {parallel} at a time)…")

    def crawled(summary: dict[str, Any]) -> None:
        say(f"  {summary['watch']}/{summary['source']}: {summary.get('status')}, {summary.get('written', 0)} new")

    for summary in collect.crawl_all(settings, jobs, start, end, timeout=3000, parallel=parallel, on_done=crawled):
        run_of = result.watches[summary["watch"]]
        run_of.crawls.append(summary)
        if summary["status"] == "failed":
            run_of.failures.append(f"source {summary['source']}: {summary['error']}")

    for watch in chosen:
        run_of = result.watches[watch.id]
        say(f"{watch.id}: enrich (spaCy, French), index…")
        if not _step(run_of, "enriched", enrich.enrich, settings, watch.id, start, end):
            continue
        if not _step(run_of, "indexed", index.index, settings, watch.id, run_of.enriched["path"], client=client):
            continue
        detect_until, digest_day = clock(client, settings.names, watch)
        say(f"{watch.id}: influence, alerts up to {detect_until:%Y-%m-%d %H:%M} UTC, digest of {digest_day}…")
        _step(run_of, "influence", influence.influence, settings, watch, days=30, now=detect_until, client=client)
        _step(run_of, "alerts", alerts.alerts, settings, watch, detect_until, client=client)
        wants_mail = send and bool(watch.digest.recipients)   # no recipients: the digest is only written
        _step(run_of, "digest", digest_stage.digest, settings, watch, digest_day, send=wants_mail, client=client)
    result.seconds = time.monotonic() - started
    return result


def _step(run_of: WatchRun, field_name: str, stage: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> bool:
    """Run one stage of a watch into ``run_of.<field_name>``; a failure is recorded there (and in
    ``failures``, named after the stage) and the run goes on."""
    try:
        setattr(run_of, field_name, stage(*args, **kwargs))
        return True
    except Exception as exc:  # each stage raises its own errors; the others still run
        error = f"{type(exc).__name__}: {exc}"
        setattr(run_of, field_name, {"status": "failed", "error": error})
        run_of.failures.append(f"{stage.__module__.rsplit('.', 1)[-1]}: {error}")
        return False
