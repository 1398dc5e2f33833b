"""The crawl worker of the test session: Scrapy loaded once, one forked process per crawl.

A crawl in production is ``python -m vigie.crawlers.run`` in a new process (``crawl_source``):
Twisted's reactor cannot restart, so one process runs one crawl.  Starting that process costs
about 2 s (the interpreter, Scrapy, Twisted, trafilatura, the spiders), more than most test
crawls take.  The tests keep one process per crawl, and the exact code path of production
(``vigie.crawlers.run.main`` with the same arguments), but pay the start-up once per session:

- a ``multiprocessing`` *forkserver* is started on first use, and imports (``PRELOAD``) what
  a crawl needs, without installing a reactor;
- each crawl is a fork of it (a few milliseconds), which takes the test's environment and the
  project root as working directory, writes its stdout and stderr to the run's log as the
  subprocess does, calls ``main`` and exits with its status.

``crawl(...)`` has ``crawl_source``'s signature and returns the same summary.  The kill and
resume tests and the CLI tests still start real ``python -m vigie.crawlers.run`` processes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PRELOAD = ["tests.crawlers._preload"]

_context: Any = None
_lock = threading.Lock()


def _forkserver():
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _child(argv: list[str], env: dict[str, str], log: str) -> None:
    """In the forked process: the environment, folder and output of ``crawl_source``'s child."""
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    from vigie.crawlers.run import main

    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


def crawl(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
          settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
          state_dir: str | Path | None = None, timeout: float | None = None,
          env: dict[str, str] | None = None) -> dict[str, Any]:
    """``vigie.crawlers.run.crawl_source``, the crawl forked from the session's worker."""
    import json

    from vigie.crawlers.run import explicit_interval, output_paths, parse_interval, read_summary

    interval = explicit_interval(interval)
    paths = output_paths(out_dir, watch_id, source_id, interval)
    paths["log"].parent.mkdir(parents=True, exist_ok=True)
    paths["summary"].unlink(missing_ok=True)
    start, end = parse_interval(interval)
    argv = ["--config", str(config_path), "--watch", watch_id, "--source", source_id, "--out", str(out_dir),
            "--interval", f"{start.isoformat()}/{end.isoformat()}"]
    if state_dir:
        argv += ["--state-dir", str(state_dir)]
    if settings_overrides:
        argv += ["--settings-json", json.dumps(settings_overrides)]
    child_env = dict(os.environ if env is None else env)
    context = _forkserver()
    process = context.Process(target=_child, args=(argv, child_env, str(paths["log"])),
                              name=f"crawl-{watch_id}-{source_id}", daemon=True)
    with _lock:  # Process.start is not meant to be called from several threads at once
        process.start()
    process.join(timeout)
    if process.exitcode is None:
        process.terminate()  # graceful: Scrapy closes the spider and the state
        process.join(30)
        if process.exitcode is None:
            process.kill()
            process.join()
    returncode = process.exitcode
    process.close()
    return read_summary(paths, returncode, watch_id, source_id)


def warm_up() -> None:
    """Start the worker (and its imports) in the background, while other tests run."""

    def start() -> None:
        from multiprocessing import forkserver

        _forkserver()
        forkserver.ensure_running()

    threading.Thread(target=start, name="crawl-worker-warm-up", daemon=True).start()
