"""Incremental state of one source, persisted between runs.

One JSON file per source: ``$VIGIE_STATE_DIR/crawl/<watch>/<source>.json`` (``state_path``).
It holds

- ``items``: doc_id → fingerprint of every Document written (for a page that changed, the
  doc_id of its first version follows the latest version).  A re-crawled item with the
  same fingerprint is "unchanged" and is not written again;
- ``hashes``: content hash → doc_id of the first Document with that text (exact copies);
- ``signatures`` / ``roots``: the MinHash signatures of recent Documents and the
  near-duplicate links, so a copy seen in a later run still points at the first one;
- ``cursors`` and ``validators``: what a spider needs to ask only for what is new (last ids
  or dates, ETag/Last-Modified per URL);
- ``open_runs`` and ``runs``: the outputs of runs in progress and a short history.

**Crash safety.**  The JSONL output of a run is its write-ahead log.  A run first registers
its output in ``open_runs`` (saved at once), then appends every Document to the output
before recording it here; snapshots are saved now and then and at the end.  When a run is
killed, the next run replays the Documents of the outputs still listed in ``open_runs``
(``recover``), so everything written is known and nothing is written twice.  Cursors and
validators are *staged* during a run and committed only when the run ends without being
killed: a killed run is simply re-fetched, and its items are dropped as already seen.

A spider reads and stages state through these methods only; the pipelines record items.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigie.schema import Document

STATE_VERSION = 1
MAX_RUNS_KEPT = 20


def state_path(watch_id: str, source_id: str, base: Path | str | None = None) -> Path:
    """Where the state of one source lives (``base`` defaults to ``$VIGIE_STATE_DIR/crawl``)."""
    if base is None:
        from vigie.settings import state_dir

        base = state_dir() / "crawl"
    return Path(base) / watch_id / f"{source_id}.json"


def item_fingerprint(doc: Document) -> str:
    """What makes a re-crawled item "changed": its text, title and engagement."""
    from vigie.crawlers._text import content_hash, fingerprint

    eng = doc.engagement
    return fingerprint(doc.content_hash or content_hash(doc.text, doc.title), doc.title,
                       eng.likes, eng.shares, eng.replies, eng.views)


class StateLocked(RuntimeError):
    """Another process is crawling the same source."""


class SourceState:
    """The incremental state of one source (see the module docstring)."""

    def __init__(self, path: Path | str | None = None, data: dict[str, Any] | None = None,
                 max_signatures: int = 20000):
        self.path = Path(path) if path else None
        self.max_signatures = max_signatures
        self._lock_handle = None
        data = data or {}
        self.items: dict[str, str] = data.get("items", {})
        self.hashes: dict[str, str] = data.get("hashes", {})
        self.signatures: dict[str, str] = data.get("signatures", {})
        self.roots: dict[str, str] = data.get("roots", {})
        self.cursors: dict[str, Any] = data.get("cursors", {})
        self.validators: dict[str, dict[str, str]] = data.get("validators", {})
        self.open_runs: list[str] = data.get("open_runs", [])
        self.runs: list[dict[str, Any]] = data.get("runs", [])
        self._staged_cursors: dict[str, Any] = {}
        self._staged_validators: dict[str, dict[str, str]] = {}
        self.dirty = False

    # ------------------------------------------------------------------ files
    @classmethod
    def open(cls, path: Path | str, *, lock: bool = True, **kwargs: Any) -> SourceState:
        """Load the state at ``path`` (empty when there is none) and lock it for this process."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = cls(path, **kwargs)
        if lock:
            state._lock()
        if not path.exists():
            return state
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            state.close()
            # A corrupt state is moved aside, never silently overwritten.
            aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            os.replace(path, aside)
            raise RuntimeError(f"{path}: unreadable crawl state ({exc}); moved to {aside.name}") from exc
        if data.get("version") != STATE_VERSION:
            state.close()
            raise RuntimeError(f"{path}: crawl state version {data.get('version')} is not {STATE_VERSION}")
        fresh = cls(path, data, **kwargs)
        fresh._lock_handle = state._lock_handle
        return fresh

    def _lock(self) -> None:
        import fcntl

        assert self.path is not None
        handle = open(self.path.with_name(self.path.name + ".lock"), "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StateLocked(f"another crawl of this source is running (lock on {self.path})") from None
        self._lock_handle = handle

    def close(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "saved_at": datetime.now(UTC).isoformat(),
            "items": self.items, "hashes": self.hashes,
            "signatures": self.signatures, "roots": self.roots,
            "cursors": self.cursors, "validators": self.validators,
            "open_runs": self.open_runs, "runs": self.runs[-MAX_RUNS_KEPT:],
        }

    def save(self) -> None:
        """Write the snapshot atomically (temporary file, fsync, rename)."""
        if self.path is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.to_dict(), handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self.dirty = False

    # ------------------------------------------------------------------ items
    def fingerprint(self, doc_id: str) -> str | None:
        """Fingerprint of the item as last written, None when never written."""
        return self.items.get(doc_id)

    def seen(self, doc_id: str) -> bool:
        return doc_id in self.items

    def content_owner(self, content_hash: str) -> str | None:
        """doc_id of the first Document written with this exact text."""
        return self.hashes.get(content_hash)

    def record(self, doc: Document, signature: str | None = None) -> None:
        """Remember a Document written to the output (called by the state pipeline and on replay)."""
        fp = item_fingerprint(doc)
        self.items[doc.doc_id] = fp
        if doc.version_of:
            self.items[doc.version_of] = fp
        if doc.content_hash:
            self.hashes.setdefault(doc.content_hash, doc.doc_id)
        if signature:
            self.signatures.pop(doc.doc_id, None)
            self.signatures[doc.doc_id] = signature
            while len(self.signatures) > self.max_signatures:
                oldest = next(iter(self.signatures))
                del self.signatures[oldest]
                self.roots.pop(oldest, None)
        if doc.near_duplicate_of:
            self.roots[doc.doc_id] = doc.near_duplicate_of
        self.dirty = True

    def root_of(self, doc_id: str) -> str:
        """The first copy a near-duplicate was linked to (itself when it is a first copy)."""
        return self.roots.get(doc_id, doc_id)

    # ------------------------------------------------- cursors and validators
    def cursor(self, key: str, default: Any = None) -> Any:
        """A spider's cursor as committed by the last complete run (staged values win)."""
        if key in self._staged_cursors:
            return self._staged_cursors[key]
        return self.cursors.get(key, default)

    def set_cursor(self, key: str, value: Any) -> None:
        """Stage a cursor; it is committed when the run ends without being killed."""
        self._staged_cursors[key] = value

    def get_validators(self, url: str) -> dict[str, str]:
        return self.validators.get(url, {})

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        value = {k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v}
        if value:
            self._staged_validators[url] = value

    def commit(self) -> None:
        self.cursors.update(self._staged_cursors)
        self.validators.update(self._staged_validators)
        self._staged_cursors.clear()
        self._staged_validators.clear()
        self.dirty = True

    # ------------------------------------------------------------------- runs
    def begin_run(self, output: str | Path) -> None:
        output = str(output)
        if output not in self.open_runs:
            self.open_runs.append(output)
        self.save()

    def end_run(self, output: str | Path, *, complete: bool, summary: dict[str, Any] | None = None) -> None:
        """Close a run: commit staged cursors when it was complete, forget its output, save."""
        if complete:
            self.commit()
        with contextlib.suppress(ValueError):
            self.open_runs.remove(str(output))
        self.runs.append({"output": str(output), "ended_at": datetime.now(UTC).isoformat(),
                          "complete": complete, **(summary or {})})
        self.runs = self.runs[-MAX_RUNS_KEPT:]
        self.save()

    def recover(self, signer: Callable[[Document], str | None] | None = None) -> int:
        """Replay the outputs of runs that were killed; returns how many Documents were replayed."""
        replayed = 0
        for output in list(self.open_runs):
            for doc in _read_output(Path(output)):
                self.record(doc, signer(doc) if signer else None)
                replayed += 1
            self.open_runs.remove(output)
        if replayed or self.dirty:
            self.save()
        return replayed


def _read_output(path: Path) -> Iterator[Document]:
    """Complete, valid Documents of an output file (a torn last line is ignored)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break
            try:
                yield Document.model_validate_json(line)
            except ValueError:
                continue
