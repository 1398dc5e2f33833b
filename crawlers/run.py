"""Run crawls, each in its own process (Scrapy's reactor cannot restart in one process).

Python API (used by the CLI, Airflow tasks, tests and the benchmark)::

    from vigie.crawlers.run import crawl_source, crawl_watch
    summary = crawl_source("watch.yaml", "lambersart", "journal-local", "data/raw")
    summaries = crawl_watch("watch.yaml", "data/raw", watch_id="lambersart")

Each call starts ``python -m vigie.crawlers.run`` in a subprocess and returns its summary (see
``vigie.crawlers.summary``) with ``status`` (``ok`` or ``failed``), ``output`` and ``log``.

Output layout (``--out DIR``)::

    DIR/<watch>/<source>/<start>--<end>.jsonl          Documents of that run interval
    DIR/<watch>/<source>/<start>--<end>.summary.json   the run's summary
    DIR/<watch>/<source>/<start>--<end>.log            Scrapy's log of the run

``<start>`` and ``<end>`` are UTC times written ``20261118T090000Z``.  The interval is the
one the caller gives (Airflow's data interval), by default the current UTC hour.  It names
the run, it does not filter items by date.  Running the same interval again appends only
the Documents that are not in the file yet, so the file never holds a Document twice.

State lives in ``$VIGIE_STATE_DIR/crawl/<watch>/<source>.json`` (``--state-dir`` overrides the
``crawl`` folder); see ``crawlers/state.py`` for what it holds and how a killed crawl resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from vigie.intervals import interval_name, parse_interval

CRAWL_DEADLINE = 3600.0  # seconds: a whole ``crawl_watch`` run (``vigie crawl --deadline``)
STOP_GRACE = 30.0        # seconds a crawl past its timeout gets to close, then again after SIGTERM

__all__ = ["crawl_source", "crawl_watch", "interval_name", "parse_interval", "plan"]


def output_paths(out_dir: str | Path, watch_id: str, source_id: str, interval: str | None) -> dict[str, Path]:
    name = interval_name(*parse_interval(interval))
    folder = Path(out_dir) / watch_id / source_id
    return {"output": folder / f"{name}.jsonl", "summary": folder / f"{name}.summary.json",
            "log": folder / f"{name}.log"}


# -------------------------------------------------------------- parent side
def explicit_interval(interval: str | None) -> str:
    """``START/END`` fixed now (the current UTC hour when ``interval`` is None)."""
    start, end = parse_interval(interval)
    return f"{start.isoformat()}/{end.isoformat()}"


def crawl_source(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                 settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                 state_dir: str | Path | None = None, timeout: float | None = None,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """Crawl one source in a subprocess and return its summary (never raises on crawl errors).

    ``timeout`` (seconds): the crawl closes itself after that long (``CLOSESPIDER_TIMEOUT``, what
    it collected is kept); a child still running ``STOP_GRACE`` seconds later is terminated, then
    killed.  Either way the summary says ``timed_out: true``."""
    config_path, out_dir, state_dir = absolute(config_path), absolute(out_dir), absolute(state_dir)
    interval = explicit_interval(interval)  # parent and child must agree on the run's file
    paths = output_paths(out_dir, watch_id, source_id, interval)
    if timeout is not None:
        settings_overrides = {"CLOSESPIDER_TIMEOUT": max(1.0, float(timeout)), **(settings_overrides or {})}
    process = start_crawl(config_path, watch_id, source_id, out_dir, settings_overrides,
                          interval=interval, state_dir=state_dir, env=env)
    stopped = False
    try:
        process.wait(timeout=None if timeout is None else timeout + STOP_GRACE)
    except subprocess.TimeoutExpired:
        stopped = True
        process.terminate()  # graceful: Scrapy closes the spider and the state
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    summary = read_summary(paths, process.returncode, watch_id, source_id)
    if stopped or (timeout is not None and summary.get("reason") == "closespider_timeout"):
        summary["timed_out"] = True
        summary.setdefault("error", f"timed out: stopped after {timeout:.0f} s")
    return summary


def not_started(out_dir: str | Path, watch_id: str, source_id: str, interval: str | None,
                why: str) -> dict[str, Any]:
    """The summary of a source the run never started (its deadline had passed)."""
    paths = output_paths(absolute(out_dir), watch_id, source_id, interval)
    return {"status": "failed", "timed_out": True, "error": why, "watch": watch_id, "source": source_id,
            "output": str(paths["output"]), "log": str(paths["log"]), "returncode": None}


def start_crawl(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                state_dir: str | Path | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the crawl subprocess and return it (tests use this to kill a crawl midway).

    Paths are resolved here, against the caller's working directory: the child runs in the
    project folder."""
    config_path, out_dir, state_dir = absolute(config_path), absolute(out_dir), absolute(state_dir)
    paths = output_paths(out_dir, watch_id, source_id, interval)
    paths["log"].parent.mkdir(parents=True, exist_ok=True)
    paths["summary"].unlink(missing_ok=True)  # never report a previous run's summary
    start, end = parse_interval(interval)
    command = [sys.executable, "-m", "vigie.crawlers.run", "--config", str(config_path), "--watch", watch_id,
               "--source", source_id, "--out", str(out_dir),
               "--interval", f"{start.isoformat()}/{end.isoformat()}"]
    if state_dir:
        command += ["--state-dir", str(state_dir)]
    if settings_overrides:
        command += ["--settings-json", json.dumps(settings_overrides)]
    log = open(paths["log"], "ab")  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_absolute_dirs(env or _child_env()),
                                cwd=str(_project_root()))
    finally:
        log.close()


def absolute(path: str | Path | None) -> Path | None:
    """``path`` made absolute against this process's working directory (``~`` expanded)."""
    return None if path is None or path == "" else Path(path).expanduser().resolve()


def read_summary(paths: dict[str, Path], returncode: int | None, watch_id: str, source_id: str) -> dict[str, Any]:
    base = {"watch": watch_id, "source": source_id, "output": str(paths["output"]),
            "log": str(paths["log"]), "returncode": returncode}
    try:
        summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {"status": "failed", "error": _log_tail(paths["log"])}
    if returncode not in (0, None) and summary.get("status") == "ok":
        summary["status"] = "failed"
    return {**summary, **base}


def crawl_watch(config_path: str | Path, out_dir: str | Path, *, watch_id: str | None = None,
                source_ids: list[str] | None = None, settings_overrides: dict[str, Any] | None = None,
                interval: str | None = None, state_dir: str | Path | None = None, parallel: int = 1,
                on_start: Any = None, on_done: Any = None,
                deadline: float | None = CRAWL_DEADLINE) -> list[dict[str, Any]]:
    """Crawl the enabled sources of one watch (or of every watch), ``parallel`` at a time.

    ``deadline`` (seconds, None or 0 for none) bounds the whole run: each source gets the time
    left as its timeout (see ``crawl_source``), and a source not started when it has passed is
    reported ``failed`` without being crawled; both say ``timed_out: true``."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    jobs = plan(config_path, watch_id, source_ids)
    interval = explicit_interval(interval)  # one command, one interval, even across an hour boundary
    ends = time.monotonic() + deadline if deadline else None

    def one(job: tuple[str, str]) -> dict[str, Any]:
        left = None if ends is None else ends - time.monotonic()
        if left is not None and left <= 0:
            summary = not_started(out_dir, job[0], job[1], interval,
                                  f"not started: the run's deadline ({deadline:.0f} s) had passed")
        else:
            if on_start:
                on_start(*job)
            summary = crawl_source(config_path, job[0], job[1], out_dir, settings_overrides,
                                   interval=interval, state_dir=state_dir, timeout=left)
        if on_done:
            on_done(summary)
        return summary

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(one, jobs))


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
def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def run_in_this_process(config_path: str | Path, watch_id: str, source_id: str, out_dir: str | Path,
                        settings_overrides: dict[str, Any] | None = None, *, interval: str | None = None,
                        state_dir: str | Path | None = None, spider_cls: type | None = None) -> dict[str, Any]:
    """The crawl itself (call it once per process: the reactor cannot restart).

    ``spider_cls`` replaces the spider of the source's kind (the benchmark uses it)."""
    from scrapy.crawler import AsyncCrawlerProcess

    from vigie.config import load_config
    from vigie.crawlers._text import encode_signature, minhash, words
    from vigie.crawlers.settings import source_settings
    from vigie.crawlers.spiders import spider_for
    from vigie.crawlers.state import SourceState, state_path
    from vigie.crawlers.summary import summarise

    config_path = Path(config_path)
    config = load_config(config_path)
    watch = config.watch(watch_id)
    source = next((s for s in watch.sources if s.id == source_id), None)
    if source is None:
        raise KeyError(f"no source {source_id!r} in watch {watch_id!r}")
    paths = output_paths(out_dir, watch_id, source_id, interval)
    settings = source_settings(source, watch.user_agent_contact, settings_overrides)
    settings["VIGIE_OUTPUT"] = str(paths["output"].resolve())
    settings.setdefault("LOG_FILE", None)
    spider_cls = spider_cls or spider_for(source.kind)

    state = SourceState.open(state_path(watch_id, source_id, state_dir))
    min_words = int(settings.get("VIGIE_NEAR_DUPLICATE_MIN_WORDS", 40))

    def signer(doc: Any) -> str | None:
        tokens = words(doc.text)
        return encode_signature(minhash(tokens)) if len(tokens) >= min_words else None

    replayed = state.recover(signer)
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, source=source, watch_id=watch_id, state=state, watch=watch,
                  config_dir=config_path.resolve().parent)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    state.close()
    summary = {"status": "ok", **summarise(stats), "replayed_from_killed_run": replayed,
               "kind": source.kind, "interval": paths["output"].stem}
    if stats.get("finish_reason") is None:
        summary["status"] = "failed"
    if stats.get("vigie/source_unusable"):
        summary.update(status="failed", error=str(stats["vigie/source_unusable"]))
    _write_json_atomic(paths["summary"], summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vigie.crawlers.run", description="Crawl one source.")
    parser.add_argument("--config", required=True)
    parser.add_argument("--watch", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--interval")
    parser.add_argument("--state-dir")
    parser.add_argument("--settings-json")
    args = parser.parse_args(argv)
    overrides = json.loads(args.settings_json) if args.settings_json else None
    paths = output_paths(args.out, args.watch, args.source, args.interval)
    paths["summary"].parent.mkdir(parents=True, exist_ok=True)
    try:
        summary = run_in_this_process(args.config, args.watch, args.source, args.out, overrides,
                                      interval=args.interval, state_dir=args.state_dir)
    except Exception as exc:
        import traceback

        traceback.print_exc()
        _write_json_atomic(paths["summary"], {"status": "failed", "error": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0 if summary["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
