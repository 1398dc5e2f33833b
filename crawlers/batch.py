"""The crawl process: a batch of sources crawled concurrently, one Scrapy crawler per source.

``python -m vigie.crawlers.run`` (started by ``vigie.crawlers.run``) calls
``run_batch_in_this_process`` once: Twisted's reactor cannot restart, so one process runs one
batch.  Each source of the batch is its own ``scrapy.crawler.Crawler`` in the same
``AsyncCrawlerProcess`` and keeps everything of its own:

- its settings (the source's options: delays, concurrency, ``max_pages``, time limit
  ``CLOSESPIDER_TIMEOUT``…), its downloader with its per-domain slots, middlewares and
  pipelines, stats, incremental state (locked file) and JSONL output;
- its summary, written as soon as that source ends (``<interval>.summary.json``), so a source
  that is done is reported even if another one of the batch is later stopped;
- its log (``<interval>.log``): log records are routed by the spider or crawler Scrapy attaches
  to them; what belongs to no source goes to the process's own output (the batch log).

A source that cannot start (unknown source, locked or corrupt state, bad spider options) gets a
``failed`` summary and the others run; a source that fails, hangs or floods ends on its own
limits (download timeout and retries, ``max_pages``, its time limit) and costs only itself.

With one source, the records all go to the process's output, which is that source's log.

The process also watches its parent (``tie_to_parent``): when the parent dies (``vigie crawl``
or an Airflow task killed), the kernel sends it SIGTERM (``PR_SET_PDEATHSIG``), which closes the
crawl as a graceful shutdown (state closed, the run left open for the next one to replay); a
watchdog thread does the same where that is not available, and kills the process if the shutdown
does not end.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from vigie.intervals import interval_name, parse_interval

STOP_GRACE = 30.0  # seconds a crawl past its time limit gets to close, then again after SIGTERM
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
PROCESS_SETTINGS = ("LOG_LEVEL", "TWISTED_REACTOR", "ASYNCIO_EVENT_LOOP", "REACTOR_THREADPOOL_MAXSIZE",
                    "DNSCACHE_ENABLED", "DNSCACHE_SIZE", "DNS_TIMEOUT", "DNS_RESOLVER", "TWISTED_DNS_RESOLVER",
                    "BOT_NAME")


def output_paths(out_dir: str | Path, watch_id: str, source_id: str, interval: str | None) -> dict[str, Path]:
    name = interval_name(*parse_interval(interval))
    folder = Path(out_dir) / watch_id / source_id
    return {"output": folder / f"{name}.jsonl", "summary": folder / f"{name}.summary.json",
            "log": folder / f"{name}.log"}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------- the parent's death
def tie_to_parent(parent_pid: int | None = None, grace: float = STOP_GRACE) -> None:
    """End this process when its parent dies: one SIGTERM, from the kernel (Linux ``PR_SET_PDEATHSIG``),
    else from a watchdog thread that polls the parent pid; SIGKILL ``grace`` seconds later if the
    graceful shutdown has not ended the process."""
    parent_pid = parent_pid or os.getppid()
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            # The kernel sends the parent-death signal when the *thread* that started this process
            # ends, and again each time this process, reparented to another thread of the dying
            # parent, loses that one too: two SIGTERMs would force Scrapy's unclean shutdown. The
            # kernel's signal is SIGUSR2, turned here into a single SIGTERM.
            told: list[bool] = []

            def parent_died(signum: int, frame: Any) -> None:
                if not told:
                    told.append(True)
                    os.kill(os.getpid(), signal.SIGTERM)

            signal.signal(signal.SIGUSR2, parent_died)
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(1, int(signal.SIGUSR2), 0, 0, 0) == 0  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os.kill(os.getpid(), signal.SIGTERM)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        if not armed:
            os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="vigie-parent-watchdog", daemon=True).start()


# ------------------------------------------------------------------- the logs
# The crawler whose asyncio task runs the code that logs (each crawl is a task, created with this set:
# it holds for what runs inside that task, e.g. Scrapy's start-up lines that name no spider).
CURRENT_CRAWLER: contextvars.ContextVar[Any] = contextvars.ContextVar("vigie_current_crawler", default=None)


class SourceLogRouter(logging.Handler):
    """Sends each log record to the log of the source whose crawler emitted it (``record.spider``
    or ``record.crawler``, as Scrapy and Vigie's components attach them, else the crawl task's
    ``CURRENT_CRAWLER``), else to ``fallback``."""

    def __init__(self, fallback: logging.Handler):
        super().__init__(logging.DEBUG)
        self.fallback = fallback
        self.handlers: dict[int, logging.Handler] = {}   # id(crawler) -> handler
        self.levels: dict[int, int] = {}

    def add(self, crawler: Any, handler: logging.Handler | None, level: int) -> None:
        if handler is not None:
            self.handlers[id(crawler)] = handler
        self.levels[id(crawler)] = level

    def remove(self, crawler: Any) -> None:
        handler = self.handlers.pop(id(crawler), None)
        if handler is not None:
            handler.close()

    def lowest_level(self) -> int:
        """The lowest level any record can be written at (the process's, or a source's): records below it
        need not even be made (Scrapy logs two DEBUG records per page, "Crawled" and "Scraped from")."""
        levels = [level for level in self.levels.values() if isinstance(level, int)]
        return min([self.fallback.level or logging.DEBUG, *levels])

    def emit(self, record: logging.LogRecord) -> None:
        crawler = (getattr(record, "crawler", None) or getattr(getattr(record, "spider", None), "crawler", None)
                   or CURRENT_CRAWLER.get())
        key = id(crawler) if crawler is not None else None
        if key is not None and record.levelno < self.levels.get(key, logging.DEBUG):
            return
        handler = self.handlers.get(key) if key is not None else None
        target = handler or self.fallback
        if record.levelno >= target.level:
            target.handle(record)

    def close(self) -> None:
        for handler in self.handlers.values():
            handler.close()
        self.handlers.clear()
        super().close()


def _install_router(level: str) -> SourceLogRouter:
    formatter = logging.Formatter(LOG_FORMAT)
    fallback = logging.StreamHandler(sys.stderr)
    fallback.setFormatter(formatter)
    fallback.setLevel(level)
    router = SourceLogRouter(fallback)
    logging.root.addHandler(router)
    logging.root.setLevel(logging.DEBUG)
    return router


# ------------------------------------------------------------------- the batch
class _Source:
    """One source of the batch: what it needs before, during and after its crawl."""

    def __init__(self, watch_id: str, source_id: str, paths: dict[str, Path]):
        self.watch_id, self.source_id, self.paths = watch_id, source_id, paths
        self.crawler: Any = None
        self.state: Any = None
        self.kind: str | None = None
        self.replayed = 0
        self.summary: dict[str, Any] | None = None

    def fail(self, error: str, own_log: bool = False) -> dict[str, Any]:
        if self.state is not None:
            self.state.close()
        if own_log:
            with open(self.paths["log"], "a", encoding="utf-8") as log:
                log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [vigie.crawlers.batch] ERROR: "
                          f"source {self.watch_id}/{self.source_id} cannot start: {error}\n")
        self.summary = {"status": "failed", "error": error, "kind": self.kind,
                        "interval": self.paths["output"].stem}
        write_json_atomic(self.paths["summary"], self.summary)
        return self.summary


def run_batch_in_this_process(config_path: str | Path, jobs: list[tuple[str, str]], out_dir: str | Path,
                              settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                              state_dir: str | Path | None = None, spider_cls: type | None = None,
                              own_logs: bool | None = None) -> list[dict[str, Any]]:
    """Crawl the ``(watch, source)`` pairs of ``jobs`` concurrently in this process (call it once per
    process) and return their summaries, in order; each is also written next to its output.

    ``own_logs`` (default: when there is more than one source) writes each source's log records to
    its ``.log`` file; otherwise they go to stderr.  ``spider_cls`` replaces the spider of the
    sources' kind (the benchmark uses it)."""
    from scrapy.crawler import AsyncCrawlerProcess, Crawler

    from vigie.config import load_config
    from vigie.crawlers._text import encode_signature, minhash, words
    from vigie.crawlers.hostgate import without_gate
    from vigie.crawlers.settings import defaults, source_settings
    from vigie.crawlers.spiders import spider_for
    from vigie.crawlers.state import SourceState, state_path

    config_path = Path(config_path)
    config = load_config(config_path)
    own_logs = len(jobs) > 1 if own_logs is None else own_logs
    # Only what belongs to the process (reactor, DNS, thread pool, logging): Scrapy merges the process's
    # settings into each crawler's, and a source's own settings must stay its own.
    merged = {**defaults(), **(settings_overrides or {})}
    process_settings = {k: merged[k] for k in PROCESS_SETTINGS if k in merged}
    process_settings["LOG_INSTALL_ROOT_HANDLER"] = False
    process = AsyncCrawlerProcess(process_settings)
    router = _install_router(str(process_settings.get("LOG_LEVEL") or "INFO"))
    sources: list[_Source] = []
    for watch_id, source_id in jobs:
        entry = _Source(watch_id, source_id, output_paths(out_dir, watch_id, source_id, interval))
        entry.paths["summary"].parent.mkdir(parents=True, exist_ok=True)
        sources.append(entry)
        try:
            watch = config.watch(watch_id)
            source = next((s for s in watch.sources if s.id == source_id), None)
            if source is None:
                raise KeyError(f"no source {source_id!r} in watch {watch_id!r}")
            entry.kind = source.kind
            settings = source_settings(source, watch.user_agent_contact, settings_overrides)
            settings["VIGIE_OUTPUT"] = str(entry.paths["output"].resolve())
            settings["LOG_FILE"] = None
            settings["LOG_INSTALL_ROOT_HANDLER"] = False
            if len(jobs) == 1:  # no other source to share a host with: no gate (see hostgate.without_gate)
                settings["DOWNLOAD_HANDLERS"] = without_gate(settings["DOWNLOAD_HANDLERS"])
            entry.state = SourceState.open(state_path(watch_id, source_id, state_dir))
            min_words = int(settings.get("VIGIE_NEAR_DUPLICATE_MIN_WORDS", 40))

            def signer(doc: Any, min_words: int = min_words) -> str | None:
                tokens = words(doc.text)
                return encode_signature(minhash(tokens)) if len(tokens) >= min_words else None

            entry.replayed = entry.state.recover(signer)
            crawler = Crawler(spider_cls or spider_for(source.kind), _own_settings(settings))
        except Exception as exc:  # this source cannot start; the others run
            logging.getLogger(__name__).error("source %s/%s cannot start: %s: %s", watch_id, source_id,
                                              type(exc).__name__, exc)
            entry.fail(f"{type(exc).__name__}: {exc}", own_logs)
            continue
        entry.crawler = crawler
        handler = None
        if own_logs:
            handler = logging.FileHandler(entry.paths["log"], encoding="utf-8")
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
        router.add(crawler, handler, logging.getLevelName(str(settings.get("LOG_LEVEL") or "INFO")))
        token = CURRENT_CRAWLER.set(crawler)  # copied into the crawl's task
        try:
            running = process.crawl(crawler, source=source, watch_id=watch_id, state=entry.state, watch=watch,
                                    config_dir=config_path.resolve().parent)
        finally:
            CURRENT_CRAWLER.reset(token)
        running.add_done_callback(lambda task, entry=entry: _finished(entry, task, router))
    if any(entry.crawler is not None for entry in sources):
        lowest = router.lowest_level()
        logging.root.setLevel(lowest)
        logging.getLogger("scrapy").setLevel(lowest)  # Scrapy's logging config sets it to DEBUG
        process.start()
    for entry in sources:  # a crawl the process never saw end (stopped by a signal)
        if entry.summary is None:
            _finished(entry, None, router)
    router.close()
    logging.root.removeHandler(router)
    return [entry.summary or {} for entry in sources]


def _own_settings(values: dict[str, Any]) -> Any:
    """Scrapy ``Settings`` for one crawler, built for it alone: ``Crawler`` deep-copies the settings it
    is given to protect the caller's object, which costs milliseconds per source in a batch of
    hundreds; this object is handed over instead (its first ``copy()`` returns itself)."""
    from scrapy.settings import Settings

    class OwnSettings(Settings):
        handed_over = False

        def copy(self) -> Any:
            if not self.handed_over:
                self.handed_over = True
                return self
            return super().copy()

    return OwnSettings(values)


def _finished(entry: _Source, task: Any, router: SourceLogRouter) -> None:
    """One crawl of the batch ended: close its state, write its summary, close its log."""
    from vigie.crawlers.summary import summarise

    if entry.summary is not None:
        return
    crawler = entry.crawler
    error = None
    if task is not None and not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        error = f"{type(exc).__name__}: {exc}"
        logging.getLogger(__name__).error("crawl of %s/%s failed: %s", entry.watch_id, entry.source_id, error,
                                          exc_info=exc, extra={"crawler": crawler})
    stats = crawler.stats.get_stats() if crawler is not None and crawler._stats is not None else {}
    if entry.state is not None:
        entry.state.close()
    summary = {"status": "ok", **summarise(stats), "replayed_from_killed_run": entry.replayed,
               "kind": entry.kind, "interval": entry.paths["output"].stem}
    if stats.get("finish_reason") is None:
        summary["status"] = "failed"
        summary.setdefault("error", error or "the crawl did not finish (stopped)")
    elif stats.get("finish_reason") == "shutdown":  # the process was asked to stop: the run is incomplete
        summary.update(status="failed", error="stopped before the end (the crawl process was asked to stop)")
    if error:
        summary.update(status="failed", error=error)
    if stats.get("vigie/source_unusable"):
        summary.update(status="failed", error=str(stats["vigie/source_unusable"]))
    entry.summary = summary
    write_json_atomic(entry.paths["summary"], summary)
    if crawler is not None:
        router.remove(crawler)
