"""Rewrite the JSON Lines files of the stages (raw, enriched…), dropping or changing lines."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

Decision = bool | dict  # True keeps the line, False drops it, a dict replaces it


REJECT_KEYS = {"line", "reason", "raw"}


def _decide_line(record: dict, decide: Callable[[dict], Decision]) -> Decision:
    """A rejects-file line ({line, reason, raw}) holds the raw record: judge that record."""
    if set(record) >= REJECT_KEYS and isinstance(record.get("raw"), str):
        try:
            inner = json.loads(record["raw"])
        except ValueError:
            return True
        if not isinstance(inner, dict):
            return True
        decision = _decide_line(inner, decide)
        if decision is True or decision is False:
            return decision
        return {**record, "raw": json.dumps(decision, ensure_ascii=False)}
    return decide(record)


def rewrite_tree(root: Path, decide: Callable[[dict], Decision]) -> dict:
    """Apply ``decide`` to every document line of every ``*.jsonl`` below ``root``, atomically per file.

    Lines of rejects files are judged on the record they keep.  Lines that are not JSON objects
    are kept as they are (nothing is lost by a privacy job).
    """
    counts = {"files": 0, "files_changed": 0, "removed": 0, "changed": 0, "kept": 0}
    if not root.exists():
        return counts
    for path in sorted(root.rglob("*.jsonl")):
        counts["files"] += 1
        out, changed = [], False
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                decision = _decide_line(record, decide) if isinstance(record, dict) else True
                if decision is True:
                    out.append(line)
                    counts["kept"] += 1
                elif decision is False:
                    changed = True
                    counts["removed"] += 1
                else:
                    out.append(json.dumps(decision, ensure_ascii=False) + "\n")
                    changed = True
                    counts["changed"] += 1
        if changed:
            tmp = path.with_name(path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as handle:
                handle.writelines(out)
            os.replace(tmp, path)
            counts["files_changed"] += 1
    return counts
