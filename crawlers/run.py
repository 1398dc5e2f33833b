"""Run crawls in child processes: a batch of sources per process (Scrapy's reactor cannot restart in
one process, and starting one costs seconds: a process crawls many sources at once).

Python API (used by the CLI, Airflow tasks, tests and the benchmark)::

    from vigie.crawlers.run import crawl_batch, crawl_source, crawl_watch
    summary = crawl_source("watch.yaml", "lambersart", "journal-local", "data/raw")
    summaries = crawl_batch("watch.yaml", [("lambersart", "journal-local"), ("lambersart", "mairie")], "data/raw")
    summaries = crawl_watch("watch.yaml", "data/raw", watch_id="lambersart", batch_size=50, parallel=2)

Each batch is one ``python -m vigie.crawlers.run`` subprocess crawling its sources concurrently, each
source with its own settings, state, summary, log and limits (see ``vigie.crawlers.batch``).  The
calls return one summary per source (see ``vigie.crawlers.summary``) with ``status`` (``ok`` or
``failed``), ``output`` and ``log``.

Output layout (``--out DIR``)::

    DIR/<watch>/<source>/<start>--<end>.jsonl          Documents of that run interval
    DIR/<watch>/<source>/<start>--<end>.summary.json   the run's summary
    DIR/<watch>/<source>/<start>--<end>.log            the source's log of the run
    DIR/.batches/<start>--<end>--<batch>.log           the crawl process's own log (a batch of several)

``<start>`` and ``<end>`` are UTC times written ``20261118T090000Z``.  The interval is the
one the caller gives (Airflow's data interval), by default the current UTC hour.  It names
the run, it does not filter items by date.  Running the same interval again appends only
the Documents that are not in the file yet, so the file never holds a Document twice.

State lives in ``$VIGIE_STATE_DIR/crawl/<watch>/<source>.json`` (``--state-dir`` overrides the
``crawl`` folder); see ``crawlers/state.py`` for what it holds and how a killed crawl resumes.

**Children never outlive their parent.**  A crawl process is started in its own session and ties
itself to its parent (``vigie.crawlers.batch.tie_to_parent``: SIGTERM when the parent dies, from the
kernel or a watchdog).  ``crawl_watch`` stops its crawl processes (SIGTERM, then SIGKILL after
``STOP_GRACE``) before it returns or raises, also on SIGTERM or Ctrl-C; a stopped crawl leaves its run
open in the state, and the next run replays it (nothing lost, nothing written twice).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vigie.crawlers.batch import STOP_GRACE, output_paths, write_json_atomic
from vigie.intervals import interval_name, parse_interval

CRAWL_DEADLINE = 3600.0  # seconds: a whole ``crawl_watch`` run (``vigie crawl --deadline``)
BATCH_SIZE = 50          # sources per crawl process (``vigie crawl --batch-size``, ``settings.crawl_batch_size``)

__all__ = ["crawl_batch", "crawl_source", "crawl_watch", "interval_name", "output_paths", "parse_interval", "plan"]


# -------------------------------------------------------------- parent side
def explicit_interval(interval: str | None) -> str:
    """``START/END`` fixed now (the current UTC hour when ``interval`` is None)."""
    start, end = parse_interval(interval)
    return f"{start.isoformat()}/{end.isoformat()}"


def absolute(path: str | Path | None) -> Path | None:
    """``path`` made absolute against this process's working directory (``~`` expanded)."""
    return None if path is None or path == "" else Path(path).expanduser().resolve()


def batch_log(out_dir: str | Path, jobs: list[tuple[str, str]], interval: str | None) -> Path:
    """The crawl process's own log: the source's log for a batch of one, else one file per batch."""
    if len(jobs) == 1:
        return output_paths(out_dir, *jobs[0], interval)["log"]
    digest = hashlib.sha256(json.dumps(jobs).encode()).hexdigest()[:10]
    return Path(out_dir) / ".batches" / f"{interval_name(*parse_interval(interval))}--{digest}.log"


class CrawlProcess:
    """One running crawl process (a batch of sources) seen from the parent: started, polled,
    stopped past its time limit; its sources' summaries as they are written."""

    def __init__(self, config_path: str | Path, jobs: list[tuple[str, str]], out_dir: str | Path,
                 settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                 state_dir: str | Path | None = None, timeout: float | None = None,
                 env: dict[str, str] | None = None):
        config_path, out_dir, state_dir = absolute(config_path), absolute(out_dir), absolute(state_dir)
        self.jobs, self.timeout = list(jobs), timeout
        self.interval = explicit_interval(interval)  # parent and child must agree on the run's files
        self.paths = {job: output_paths(out_dir, *job, self.interval) for job in self.jobs}
        self.reported: set[tuple[str, str]] = set()
        self.stopped = False
        if timeout is not None:
            settings_overrides = {"CLOSESPIDER_TIMEOUT": max(1.0, float(timeout)), **(settings_overrides or {})}
        for paths in self.paths.values():
            paths["log"].parent.mkdir(parents=True, exist_ok=True)
            paths["summary"].unlink(missing_ok=True)  # never report a previous run's summary
        self.log = batch_log(out_dir, self.jobs, self.interval)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "vigie.crawlers.run", "--config", str(config_path), "--out", str(out_dir),
                   "--interval", self.interval, "--parent-pid", str(os.getpid())]
        if len(self.jobs) == 1:
            command += ["--watch", self.jobs[0][0], "--source", self.jobs[0][1]]
        else:
            command += ["--jobs-json", json.dumps(self.jobs)]
        if state_dir:
            command += ["--state-dir", str(state_dir)]
        if settings_overrides:
            command += ["--settings-json", json.dumps(settings_overrides)]
        with open(self.log, "ab") as log:
            # its own session: a Ctrl-C in the terminal reaches the parent only, which stops it once
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                            env=_absolute_dirs(env or _child_env()), cwd=str(_project_root()))
        self.started = time.monotonic()
        self.term_at: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> list[dict[str, Any]]:
        """Summaries written since the last call (all the missing ones once the process has ended);
        stops the process when it runs past its time limit."""
        returncode = self.process.poll()
        if returncode is None and self.timeout is not None:
            now = time.monotonic()
            if self.term_at is None and now > self.started + self.timeout + STOP_GRACE:
                self.terminate()
            elif self.term_at is not None and now > self.term_at + STOP_GRACE:
                self.process.kill()
        found = []
        for job in self.jobs:
            if job in self.reported:
                continue
            if returncode is None and not self.paths[job]["summary"].exists():
                continue
            self.reported.add(job)
            found.append(self._summary(job, returncode))
        return found

    @property
    def done(self) -> bool:
        return self.process.poll() is not None and len(self.reported) == len(self.jobs)

    def terminate(self) -> None:
        """Graceful: Scrapy closes the spiders and their state (the runs stay open for replay)."""
        if self.process.poll() is None and self.term_at is None:
            self.stopped = True
            self.term_at = time.monotonic()
            self.process.terminate()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def wait(self) -> list[dict[str, Any]]:
        """Wait for the process (bounded by its time limit) and return every summary not reported yet."""
        found = []
        while True:
            found += self.poll()
            if self.done:
                return found
            time.sleep(0.1)

    def _summary(self, job: tuple[str, str], returncode: int | None) -> dict[str, Any]:
        summary = read_summary(self.paths[job], returncode, *job)
        if len(self.jobs) > 1 and summary.get("status") != "ok" and not self.paths[job]["summary"].exists():
            summary["error"] = _log_tail(self.paths[job]["log"]) or _log_tail(self.log)
        timeout = self.timeout
        if (self.stopped and summary.get("status") != "ok") or (
                timeout is not None and summary.get("reason") == "closespider_timeout"):
            summary["timed_out"] = True
            summary.setdefault("error", f"timed out: stopped after {timeout:.0f} s")
        return summary


def stop_all(processes: list[CrawlProcess], grace: float = STOP_GRACE) -> None:
    """SIGTERM every crawl process, SIGKILL those still running ``grace`` seconds later."""
    for process in processes:
        process.terminate()
    ends = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.process.wait(timeout=max(0.0, ends - time.monotonic()))
        process.kill()


def crawl_batch(config_path: str | Path, jobs: list[tuple[str, str]], out_dir: str | Path,
                settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                state_dir: str | Path | None = None, timeout: float | None = None,
                env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Crawl the ``(watch, source)`` pairs of ``jobs`` concurrently in one subprocess and return their
    summaries in order (never raises on crawl errors).

    ``timeout`` (seconds): each crawl closes itself after that long (``CLOSESPIDER_TIMEOUT``, what it
    collected is kept); a process still running ``STOP_GRACE`` seconds later is terminated, then
    killed.  Either way the summary says ``timed_out: true``."""
    process = CrawlProcess(config_path, jobs, out_dir, settings_overrides, interval=interval, state_dir=state_dir,
                           timeout=timeout, env=env)
    try:
        by_job = {(s["watch"], s["source"]): s for s in process.wait()}
    except BaseException:
        stop_all([process])
        raise
    return [by_job[tuple(job)] for job in process.jobs]


def crawl_source(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                 settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                 state_dir: str | Path | None = None, timeout: float | None = None,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """Crawl one source in a subprocess and return its summary (a batch of one, see ``crawl_batch``)."""
    [summary] = crawl_batch(config_path, [(watch_id, source_id)], out_dir, settings_overrides, interval=interval,
                            state_dir=state_dir, timeout=timeout, env=env)
    return summary


def start_crawl(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                state_dir: str | Path | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the crawl subprocess of one source and return it (tests use this to kill a crawl midway).

    Paths are resolved here, against the caller's working directory: the child runs in the
    project folder."""
    return CrawlProcess(config_path, [(watch_id, source_id)], out_dir, settings_overrides, interval=interval,
                        state_dir=state_dir, env=env).process


def not_started(out_dir: str | Path, watch_id: str, source_id: str, interval: str | None,
                why: str) -> dict[str, Any]:
    """The summary of a source the run never started (its deadline had passed)."""
    paths = output_paths(absolute(out_dir), watch_id, source_id, interval)
    return {"status": "failed", "timed_out": True, "error": why, "watch": watch_id, "source": source_id,
            "output": str(paths["output"]), "log": str(paths["log"]), "returncode": None}


def read_summary(paths: dict[str, Path], returncode: int | None, watch_id: str, source_id: str) -> dict[str, Any]:
    base = {"watch": watch_id, "source": source_id, "output": str(paths["output"]),
            "log": str(paths["log"]), "returncode": returncode}
    try:
        summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {"status": "failed", "error": _log_tail(paths["log"])}
    if returncode not in (0, None) and summary.get("status") == "ok" and not paths["summary"].exists():
        summary["status"] = "failed"
    return {**summary, **base}


def batches(jobs: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """``jobs`` cut into batches of at most ``size``, in order."""
    size = max(1, int(size))
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def crawl_watch(config_path: str | Path, out_dir: str | Path, *, watch_id: str | None = None,
                source_ids: list[str] | None = None, settings_overrides: dict[str, Any] | None = None,
                interval: str | None = None, state_dir: str | Path | None = None, parallel: int = 1,
                batch_size: int = BATCH_SIZE, on_start: Callable[[str, str], Any] | None = None,
                on_done: Callable[[dict[str, Any]], Any] | None = None,
                deadline: float | None = CRAWL_DEADLINE, jobs: list[tuple[str, str]] | None = None,
                env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Crawl the enabled sources of one watch (or of every watch, or ``jobs``): batches of ``batch_size``
    sources, one process each, ``parallel`` processes at a time.  Returns the summaries in plan order.

    ``deadline`` (seconds, None or 0 for none) bounds the whole run: each batch gets the time left
    as its timeout (see ``crawl_batch``), and the sources of a batch not started when it has passed
    are reported ``failed`` without being crawled; both say ``timed_out: true``.  On SIGTERM (when
    called from the main thread) or any exception, the crawl processes are stopped before this
    returns or raises."""
    import threading

    jobs = [tuple(j) for j in jobs] if jobs is not None else plan(config_path, watch_id, source_ids)
    interval = explicit_interval(interval)  # one command, one interval, even across an hour boundary
    ends = time.monotonic() + deadline if deadline else None
    pending = batches(jobs, batch_size)
    running: list[CrawlProcess] = []
    results: dict[tuple[str, str], dict[str, Any]] = {}

    def report(summary: dict[str, Any]) -> None:
        results[(summary["watch"], summary["source"])] = summary
        if on_done:
            on_done(summary)

    previous = None
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        while pending or running:
            while pending and len(running) < max(1, parallel):
                batch = pending.pop(0)
                left = None if ends is None else ends - time.monotonic()
                if left is not None and left <= 0:
                    for job in batch:
                        report(not_started(out_dir, *job, interval,
                                           f"not started: the run's deadline ({deadline:.0f} s) had passed"))
                    continue
                for job in batch:
                    if on_start:
                        on_start(*job)
                running.append(CrawlProcess(config_path, batch, out_dir, settings_overrides, interval=interval,
                                            state_dir=state_dir, timeout=left, env=env))
            for process in list(running):
                for summary in process.poll():
                    report(summary)
                if process.done:
                    running.remove(process)
            if running:
                time.sleep(0.1)
    except BaseException:
        stop_all(running)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return [results[job] for job in jobs]


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def plan(config_path: str | Path, watch_id: str | None = None,
         source_ids: list[str] | None = None) -> list[tuple[str, str]]:
    """(watch, source) pairs to crawl; raises ConfigError for an unknown watch or source id."""
    from vigie.config import ConfigError, load_config

    config = load_config(config_path)
    if watch_id:
        try:
            watches = [config.watch(watch_id)]
        except KeyError as exc:
            raise ConfigError(config_path, [str(exc.args[0])]) from None
    else:
        watches = config.watches
    jobs = []
    for watch in watches:
        known = {s.id for s in watch.sources}
        for wanted in source_ids or []:
            if wanted not in known and len(watches) == 1:
                raise ConfigError(config_path, [f"no source {wanted!r} in watch {watch.id!r} "
                                                f"(known: {', '.join(sorted(known)) or 'none'})"])
        for source in watch.sources:
            if source_ids and source.id not in source_ids:
                continue
            if source.enabled or source_ids:
                jobs.append((watch.id, source.id))
    return jobs


def _child_env() -> dict[str, str]:
    return dict(os.environ)


def _absolute_dirs(env: dict[str, str]) -> dict[str, str]:
    """The child runs in the project folder: relative state and data folders are resolved here."""
    env = dict(env)
    for name in ("VIGIE_STATE_DIR", "VIGIE_DATA_DIR"):
        if env.get(name):
            env[name] = str(absolute(env[name]))
    return env


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --------------------------------------------------------------- child side
def run_in_this_process(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                        settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                        state_dir: str | Path | None = None, spider_cls: type | None = None) -> dict[str, Any]:
    """The crawl of one source in this process (call it once per process: the reactor cannot restart).

    ``spider_cls`` replaces the spider of the source's kind (the benchmark uses it)."""
    from vigie.crawlers.batch import run_batch_in_this_process

    [summary] = run_batch_in_this_process(config_path, [(watch_id, source_id)], out_dir, settings_overrides,
                                          interval=interval, state_dir=state_dir, spider_cls=spider_cls)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vigie.crawlers.run",
                                     description="Crawl one source, or a batch of sources concurrently.")
    parser.add_argument("--config", required=True)
    parser.add_argument("--watch")
    parser.add_argument("--source")
    parser.add_argument("--jobs-json", help='the batch: [["watch", "source"], …]')
    parser.add_argument("--out", required=True)
    parser.add_argument("--interval")
    parser.add_argument("--state-dir")
    parser.add_argument("--settings-json")
    parser.add_argument("--parent-pid", type=int, help="end this process when that one dies (default: the parent)")
    args = parser.parse_args(argv)
    if args.jobs_json:
        jobs = [(str(w), str(s)) for w, s in json.loads(args.jobs_json)]
    elif args.watch and args.source:
        jobs = [(args.watch, args.source)]
    else:
        parser.error("give --watch and --source, or --jobs-json")
    from vigie.crawlers.batch import run_batch_in_this_process, tie_to_parent

    tie_to_parent(args.parent_pid)
    overrides = json.loads(args.settings_json) if args.settings_json else None
    try:
        summaries = run_batch_in_this_process(args.config, jobs, args.out, overrides,
                                              interval=args.interval, state_dir=args.state_dir)
    except Exception as exc:
        import traceback

        traceback.print_exc()
        for job in jobs:
            path = output_paths(args.out, *job, args.interval)["summary"]
            if not path.exists():
                write_json_atomic(path, {"status": "failed", "error": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0 if all(s.get("status") == "ok" for s in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
