"""JSON Lines in and out: line numbers kept, bad lines reported, never fatal.

The one reader of the project's JSON Lines (stages, indexing, alerts, analytics, enrichment, test sets):
only "\n" ends a line (a "\r" or U+2028 inside a text does not), a leading byte-order mark is ignored,
and a line that is not valid UTF-8 or not valid JSON comes with its line number and the reason.  Each
caller decides what a bad line means: skipped and counted (indexing, alerts), written back unchanged
(enrichment), or an error naming the file and line (``read_objects``, ``read_documents``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigie.schema import Document


@dataclass
class Line:
    number: int
    raw: str
    data: Any = None
    error: str | None = None


def read_lines(path: str | Path, *, blanks: bool = False, undecodable: str = "replace") -> Iterator[Line]:
    """Every non-blank line of a JSONL file, parsed, or with the reason it cannot be.

    Lines end at "\n" only; a leading byte-order mark is ignored; a line that is not valid UTF-8 is
    reported as such (never silently repaired).  ``blanks``: blank lines are yielded too (no data, no
    error), for callers that keep the output aligned with the input.  ``undecodable``: how the raw text
    of a line that is not UTF-8 is kept: "replace" (U+FFFD) or "surrogateescape" (its bytes, written
    back unchanged by a file opened with ``errors="surrogateescape"``).
    """
    with open(path, "rb") as handle:
        for number, chunk in enumerate(handle, start=1):
            chunk = chunk.rstrip(b"\r\n")
            if number == 1:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")
            try:
                raw = chunk.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Line(number, chunk.decode("utf-8", errors=undecodable),
                           error=f"invalid UTF-8 at byte {exc.start}")
                continue
            if blanks or raw.strip():
                yield _parse(number, raw)


def parse_lines(text: str, *, blanks: bool = False) -> Iterator[Line]:
    """``read_lines`` on a text already decoded (an import in another encoding): "\n" ends a line."""
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        raw = raw.rstrip("\r\n")
        if blanks or raw.strip():
            yield _parse(number, raw)


def _parse(number: int, raw: str) -> Line:
    if not raw.strip():
        return Line(number, raw)
    try:
        return Line(number, raw, json.loads(raw))
    except json.JSONDecodeError as exc:
        return Line(number, raw, error=f"invalid JSON: {exc.msg} at column {exc.colno}")


def count_lines(path: str | Path) -> int:
    """Lines of a file as ``read_lines(blanks=True)`` numbers them (a last line without "\n" counts)."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def read_objects(path: str | Path) -> Iterator[Any]:
    """The parsed value of every non-blank line; a bad line raises ``ValueError`` naming the file and line."""
    for line in read_lines(path):
        if line.error:
            raise ValueError(f"{path}:{line.number}: {line.error}")
        yield line.data


def write_jsonl(path: str | Path, records: Iterable[dict | Document]) -> int:
    """Write records atomically (a re-run overwrites, a crash leaves the old file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        for record in records:
            if isinstance(record, Document):
                record = record.to_json_dict()
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    os.replace(tmp, path)
    return count


def read_documents(path: str | Path) -> Iterator[Document]:
    """Full Documents from a file written by a stage (invalid lines raise)."""
    for line in read_lines(path):
        if line.error:
            raise ValueError(f"{path}:{line.number}: {line.error}")
        yield Document.model_validate(line.data)
