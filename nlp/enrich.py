"""Enrich JSON Lines: one output line per input line, in order, every input field kept.

Accepted lines:
- a full ``Document`` (it has ``item_id`` and validates): it is enriched and validated again;
- any other JSON object with a ``text`` string (a user's export: ``id``, ``title``,
  ``published_at``, ``watch_ids``… or anything else): its fields are kept as they are and the
  enrichment fields are added (or replaced).
Anything else (invalid JSON, not an object, no ``text``) is *malformed*: the line is written out
unchanged, so lines stay aligned, and it is counted and logged with its line number (``--strict``
turns malformed lines into a failing exit status).  Blank lines stay blank.

What enrichment changes: the enrichment fields (``ENRICHMENT_FIELDS``), and ``text``/``title`` when
normalisation repaired them (mojibake, HTML leftovers; see ``vigie.nlp.normalize``).  Flags are added to
the ones already there, so enriching an enriched file gives the same file (with the same
``--enriched-at``; otherwise only ``enriched_at`` changes).

Both cores: documents go in batches to worker processes that each hold the pipeline; only the
texts go in and small JSON-ready dicts come out.  ``doc_enrichment`` is the one place where Doc
extensions become Document fields.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigie.jsonl import Line, count_lines, read_lines
from vigie.nlp.components._util import batches as chunked
from vigie.nlp.normalize import FLAG_TRUNCATED, MAX_CHARS, normalize, repair, truncate

log = logging.getLogger(__name__)

# Doc extension → Document field (same names; see nlp/extensions.py)
ENRICHMENT_FIELDS = ("language", "flags", "territory", "topics", "services", "sentiment", "toxicity", "request",
                     "entities", "hashtags", "mentions", "links", "emojis", "keyphrases")
DEFAULT_BATCH = 128


def doc_enrichment(doc) -> dict[str, Any]:
    """The enrichment of a processed Doc as Document fields (fields of absent components are left out)."""
    out: dict[str, Any] = {}
    for name in ENRICHMENT_FIELDS:
        value = getattr(doc._, name)
        if value is None and name not in ("language", "flags"):
            continue
        out[name] = value
    out["flags"] = list(out.get("flags") or [])
    return out


# ----------------------------------------------------------------- analysis of texts
@dataclass
class Item:
    text: str
    title: str | None = None
    watch: Any = None  # WatchContext or None
    meta: dict | None = None  # {"kind": …, "author": {"handle", "id", "name"}}: read by vigie_request


@dataclass
class Result:
    fields: dict[str, Any]
    text: str | None = None   # repaired text, when normalisation changed it
    title: str | None = None
    error: str | None = None


def analyse(nlp, items: list[Item], batch_size: int = DEFAULT_BATCH) -> list[Result]:
    """Run the pipeline over a batch; a document that breaks the pipeline gets an error, not the batch."""
    prepared = []
    for item in items:
        norm = normalize(item.text)
        title, title_flags = repair(item.title) if item.title else (item.title, [])
        flags = list(dict.fromkeys(norm.flags + title_flags))
        analysed = f"{title}\n\n{norm.analysed}" if title else norm.analysed
        if title and len(analysed) > MAX_CHARS:
            analysed = truncate(analysed)[0]
            flags = list(dict.fromkeys([*flags, FLAG_TRUNCATED]))
        prepared.append((analysed, flags, norm.text, title, item))
    try:
        docs = list(nlp.pipe((_make_doc(nlp, p[0], p[1], p[4]) for p in prepared), batch_size=batch_size))
    except Exception:
        docs = []  # find the documents that break it, one by one
        for p in prepared:
            try:
                docs.append(nlp(_make_doc(nlp, p[0], p[1], p[4])))
            except Exception as exc:
                _log_failure(exc)
                docs.append(f"{type(exc).__name__}: {exc}")
    results = []
    for (_, _, text, title, item), doc in zip(prepared, docs, strict=True):
        if isinstance(doc, str):
            results.append(Result({}, error=doc))
            continue
        results.append(Result(doc_enrichment(doc), text=text if text != item.text else None,
                              title=title if title != item.title else None))
    return results


_FAILURES: dict[str, int] = {}


def _log_failure(exc: Exception) -> None:
    """The first failure of each kind with its traceback, the others counted (at debug level)."""
    key = f"{type(exc).__name__}: {exc}"
    _FAILURES[key] = _FAILURES.get(key, 0) + 1
    if _FAILURES[key] == 1:
        log.error("the pipeline failed on a document (%s); such documents are written unchanged", key,
                  exc_info=exc)
    else:
        log.debug("the pipeline failed again (%s, %d times)", key, _FAILURES[key])


def _make_doc(nlp, text: str, flags: list[str], item: Item):
    doc = nlp.make_doc(text)
    doc._.flags = list(flags)
    doc._.watch = item.watch
    if item.meta:
        doc.user_data["vigie_meta"] = item.meta
    return doc


_WORKER_NLP = None
_WORKER_ERROR: Exception | None = None


def _worker_init(model: str, pipeline: str | None = None, profile: str | None = None) -> None:
    global _WORKER_NLP, _WORKER_ERROR
    try:
        _WORKER_NLP = _open(model, pipeline, profile)
    except Exception as exc:  # reported to the parent: a failing initializer would be restarted forever
        _WORKER_ERROR = exc


def _open(model: str, pipeline: str | Path | None, profile: str | None = None):
    """The pipeline: assembled from nlp/config.cfg with ``model`` and the NLP ``profile`` (default: the
    config's, ``accurate``), or opened from ``pipeline`` (folder or config: its own settings)."""
    from vigie.nlp.pipeline import build_pipeline, open_pipeline

    return open_pipeline(pipeline) if pipeline else build_pipeline(model, profile=profile)


def _worker_run(args: tuple[list[Item], int]) -> list[Result]:
    items, batch_size = args
    if _WORKER_NLP is None:
        raise _WORKER_ERROR or RuntimeError("the worker holds no pipeline")
    return analyse(_WORKER_NLP, items, batch_size)


class Analyser:
    """Analyses texts in order, in this process or in ``processes`` worker processes.

    ``pipeline``: a saved pipeline folder or a spaCy config file to use instead of nlp/config.cfg.
    A pipeline that cannot be built raises ``PipelineLoadError`` (in workers too) before any text.
    """

    def __init__(self, model: str = "fr_core_news_sm", processes: int | None = None,
                 batch_size: int = DEFAULT_BATCH, nlp=None, pipeline: str | Path | None = None,
                 profile: str | None = None):
        self.model = model
        self.profile = profile
        self.pipeline = str(pipeline) if pipeline else None
        self.auto = processes is None  # then small inputs stay in this process (no start-up cost)
        self.processes = processes if processes is not None else min(2, os.cpu_count() or 1)
        self.batch_size = batch_size
        self.nlp = nlp
        self.components: list[str] = []
        self._pool = None

    def _local(self):
        if self.nlp is None:
            self.nlp = _open(self.model, self.pipeline, self.profile)
        self.components = _components(self.nlp.meta.get("vigie"), self.nlp)
        return self.nlp

    def start(self) -> Analyser:
        """Start the worker processes now and wait until each holds the pipeline (else: at the first run)."""
        if self.processes > 1 and self.nlp is None and self._pool is None:
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(self.processes, initializer=_worker_init,
                                  initargs=(self.model, self.pipeline, self.profile))
            metas = self._pool.map(_worker_meta, range(self.processes), chunksize=1)
            for meta in metas:
                if isinstance(meta, Exception):
                    self.close()
                    raise meta
            self.components = metas[0]["components"]
        return self

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Analyser:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, items: Iterable[Item], total_hint: int | None = None) -> Iterator[Result]:
        """Results in the order of ``items``; small inputs are analysed in this process."""
        batches = chunked(items, self.batch_size)
        small = self.auto and total_hint is not None and total_hint <= 4 * self.batch_size and self._pool is None
        if self.processes <= 1 or self.nlp is not None or small:
            nlp = self._local()
            for batch in batches:
                yield from analyse(nlp, batch, self.batch_size)
            return
        own = self._pool is None
        self.start()
        window = 4 * self.processes  # batches in flight: bounds the memory whatever the input size
        try:
            # a sliding window: a new batch goes out as soon as the oldest comes back, so that no worker
            # waits for the others at the end of a window
            flight: deque = deque()
            for batch in batches:
                flight.append(self._pool.apply_async(_worker_run, ((batch, self.batch_size),)))
                if len(flight) >= window:
                    yield from flight.popleft().get()
            while flight:
                yield from flight.popleft().get()
        finally:
            if own:
                self.close()


def _worker_meta(_: int = 0) -> dict | Exception:
    """The worker's components, or the error that kept it from building its pipeline."""
    time.sleep(0.05)  # so that each worker answers one of the calls (all of them are ready then)
    if _WORKER_NLP is None:
        return _WORKER_ERROR or RuntimeError("the worker holds no pipeline")
    return {"components": _components(_WORKER_NLP.meta.get("vigie"), _WORKER_NLP)}


def _components(meta: dict | None, nlp) -> list[str]:
    return list((meta or {}).get("components") or [n for n in nlp.pipe_names if n.startswith("vigie_")])


# ----------------------------------------------------------------- JSONL files
@dataclass
class Report:
    lines: int = 0
    enriched: int = 0
    documents: int = 0        # full Documents, validated
    records: int = 0          # other records (minimal or user exports)
    blank: int = 0
    malformed: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # the pipeline failed: written unchanged
    components: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.enriched} enriched ({self.documents} documents, {self.records} other records)"]
        if self.malformed:
            parts.append(f"{len(self.malformed)} malformed written unchanged (lines "
                         + ", ".join(str(n) for n, _ in self.malformed[:20])
                         + (", …" if len(self.malformed) > 20 else "") + ")")
        if self.failed:
            parts.append(f"{len(self.failed)} failed in the pipeline, written unchanged (lines "
                         + ", ".join(str(n) for n, _ in self.failed[:20]) + ")")
        if self.blank:
            parts.append(f"{self.blank} blank")
        return f"{self.lines} lines: " + "; ".join(parts)


@dataclass
class _Line:
    number: int
    raw: str
    record: dict | None = None
    full: bool = False
    error: str | None = None


def _parse(read: Line) -> _Line:
    """A line of ``vigie.jsonl.read_lines`` as enrichment sees it: a record to enrich, blank, or malformed."""
    from pydantic import ValidationError

    from vigie.schema import Document

    line = _Line(read.number, read.raw, error=read.error)
    data = read.data
    if read.error or not read.raw.strip():
        return line
    if not isinstance(data, dict):
        line.error = f"expected a JSON object, got {type(data).__name__}"
        return line
    if "item_id" in data:
        try:
            Document.model_validate(data)
            line.full = True
        except ValidationError as exc:
            log.info("line %d has item_id but is not a valid Document (%s): enriched as a plain record",
                     read.number, exc.errors()[0]["msg"])
    if not line.full and not isinstance(data.get("text"), str):
        line.error = "no 'text' string" if "text" not in data else "'text' is not a string"
        return line
    line.record = data
    return line


def merge(record: dict[str, Any], result: Result, enriched_at: str) -> dict[str, Any]:
    """The record with the enrichment of its text: the input fields stay, enrichment fields are set."""
    out = dict(record)
    if result.text is not None:
        out["text"] = result.text
    if result.title is not None:
        out["title"] = result.title
    fields = dict(result.fields)
    prior = out.get("flags") if isinstance(out.get("flags"), list) else []
    fields["flags"] = list(dict.fromkeys([*prior, *fields.get("flags", [])]))
    if "request" in fields:  # what the thread said (vigie.analytics.answers) stays
        prior_request = out.get("request") if isinstance(out.get("request"), dict) else {}
        fields["request"] = {**fields["request"], "answered": prior_request.get("answered"),
                             **{k: prior_request[k] for k in ANSWER_FIELDS if prior_request.get(k) is not None}}
    out.update(fields)
    out["enriched_at"] = enriched_at
    return out


def watch_resolver(config: str | Path | None, watch_id: str | None) -> Callable[[dict], Any]:
    """The WatchContext of a record: ``watch_id`` for all, else the record's first watch found in ``config``."""
    from vigie.config import load_config
    from vigie.nlp.extensions import WatchContext

    watches: dict[str, Any] = {}
    if watch_id:
        watches[watch_id] = WatchContext.from_watch(load_config(config).watch(watch_id))  # errors are the user's
        fixed = watches[watch_id]
        return lambda record: fixed
    if config and Path(config).exists():
        try:
            for watch in load_config(config).watches:
                watches[watch.id] = WatchContext.from_watch(watch)
        except Exception as exc:  # the default config is a convenience, never a reason to fail
            log.warning("watch contexts not used: %s", exc)

    def resolve(record: dict) -> Any:
        ids = record.get("watch_ids")
        if isinstance(ids, list):
            for wid in ids:
                if wid in watches:
                    return watches[wid]
        return None

    return resolve


ANSWER_FIELDS = ("answered_at", "answer_hours", "answered_by")  # request fields set from the thread
PARENT_CHARS = 1000


class Parents:
    """The documents of the file read so far, so that a reply knows its parent's text and author.

    ``parent_author`` is "mairie" for a post of one of the watch's own accounts, "media" for an article
    or a page, else "citizen".  Only parents read earlier in the same file are known (crawls write a
    thread's root before its replies); the oldest are forgotten past ``limit``.
    """

    def __init__(self, limit: int = 50_000):
        self.limit = limit
        self.known: dict[str, dict[str, str]] = {}

    @staticmethod
    def _doc_id(rec: dict) -> str | None:
        from vigie.schema import make_doc_id

        if isinstance(rec.get("doc_id"), str) and rec["doc_id"]:
            return rec["doc_id"]
        platform, item_id = rec.get("platform"), rec.get("item_id")
        if isinstance(platform, str) and isinstance(item_id, str) and platform.strip() and item_id.strip():
            return make_doc_id(platform, item_id)
        return None

    def remember(self, rec: dict, watch: Any) -> None:
        doc_id = self._doc_id(rec)
        if doc_id is None or not isinstance(rec.get("text"), str):
            return
        from vigie.accounts import OwnAccounts

        author = rec.get("author") if isinstance(rec.get("author"), dict) else {}
        if watch is not None and OwnAccounts(watch.own_accounts).is_author(author):
            who = "mairie"
        elif rec.get("kind") in ("article", "page"):
            who = "media"
        else:
            who = "citizen"
        if len(self.known) >= self.limit:
            self.known.pop(next(iter(self.known)))
        self.known[doc_id] = {"parent_text": rec["text"][:PARENT_CHARS], "parent_author": who}

    def context(self, rec: dict) -> dict[str, str]:
        parent = rec.get("parent_id")
        return dict(self.known.get(parent, {})) if isinstance(parent, str) else {}


def enrich_file(src: str | Path, dst: str | Path, *, watch_id: str | None = None,
                config: str | Path | None = None, model: str = "fr_core_news_sm", processes: int | None = None,
                batch_size: int = DEFAULT_BATCH, enriched_at: datetime | None = None, progress: bool = True,
                analyser: Analyser | None = None, pipeline: str | Path | None = None,
                profile: str | None = None) -> Report:
    """Enrich ``src`` into ``dst`` (written atomically: a temporary file renamed at the end).

    ``pipeline``: a saved pipeline folder or a spaCy config file (default: nlp/config.cfg with ``model``).
    A pipeline that cannot be built raises ``PipelineLoadError``, and ``dst`` is left as it was.
    """
    from vigie.schema import Document

    src, dst = Path(src), Path(dst)
    stamp = (enriched_at or datetime.now(UTC)).isoformat()
    resolve = watch_resolver(config, watch_id)
    total = count_lines(src)
    report = Report()
    analyser = analyser or Analyser(model, processes, batch_size, pipeline=pipeline, profile=profile)

    def lines() -> Iterator[_Line]:
        # surrogateescape: a line that is not UTF-8 is reported and written back byte for byte.
        for read in read_lines(src, blanks=True, undecodable="surrogateescape"):
            yield _parse(read)

    parsed: deque[_Line] = deque()  # lines waiting for their analysis, in order
    parents = Parents()

    def items() -> Iterator[Item]:
        for line in lines():
            parsed.append(line)
            if line.record is not None:
                rec = line.record
                title = rec.get("title") if isinstance(rec.get("title"), str) else None
                author = rec.get("author") if isinstance(rec.get("author"), dict) else {}
                meta = {"kind": rec.get("kind"), "author": {k: author.get(k) for k in ("handle", "id", "name")}}
                watch = resolve(rec)
                meta.update(parents.context(rec))
                parents.remember(rec, watch)
                yield Item(rec.get("text") or "", title, watch, meta)

    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".tmp")
    bar = _progress(total, src.name) if progress else None
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as out:
            results = analyser.run(items(), total_hint=total)
            while True:
                # write every line that does not wait for a result, then the next analysed one
                while parsed and parsed[0].record is None:
                    _write_plain(out, parsed.popleft(), report, bar)
                try:
                    result = next(results)
                except StopIteration:
                    break
                while parsed and parsed[0].record is None:
                    _write_plain(out, parsed.popleft(), report, bar)
                line = parsed.popleft()
                report.lines += 1
                if result.error:
                    report.failed.append((line.number, result.error))
                    log.error("line %d: the pipeline failed (%s); written unchanged", line.number, result.error)
                    out.write(line.raw + "\n")
                else:
                    record = merge(line.record, result, stamp)
                    if line.full:
                        record = Document.model_validate(record).to_json_dict()
                        report.documents += 1
                    else:
                        report.records += 1
                    report.enriched += 1
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                if bar:
                    bar.advance()
            while parsed:
                _write_plain(out, parsed.popleft(), report, bar)
        os.replace(tmp, dst)
    finally:
        if bar:
            bar.stop()
        if tmp.exists():
            tmp.unlink()
    report.components = analyser.components
    return report


def _write_plain(out, line: _Line, report: Report, bar) -> None:
    report.lines += 1
    if line.error is None:
        report.blank += 1
        out.write("\n")
    else:
        report.malformed.append((line.number, line.error))
        log.warning("line %d is malformed (%s): written unchanged", line.number, line.error)
        out.write(line.raw + "\n")
    if bar:
        bar.advance()


class _progress:
    """A rich progress bar on stderr, advanced once per line."""

    def __init__(self, total: int, name: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn(f"enrich {name}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        self.task = self.progress.add_task("enrich", total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        self.progress.stop()
