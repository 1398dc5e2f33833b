"""JSON Lines in and out: line numbers kept, bad lines reported, never fatal."""

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


def read_lines(path: str | Path) -> Iterator[Line]:
    """Every non-blank line of a JSONL file, parsed, or with the reason it cannot be.

    Lines end at "\n" only; a leading byte-order mark is ignored; a line that is not valid UTF-8 is
    reported as such (never silently repaired).
    """
    with open(path, "rb") as handle:
        for number, chunk in enumerate(handle, start=1):
            chunk = chunk.rstrip(b"\r\n")
            if number == 1:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")
            try:
                raw = chunk.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Line(number, chunk.decode("utf-8", errors="replace"),
                           error=f"invalid UTF-8 at byte {exc.start}")
                continue
            if not raw.strip():
                continue
            try:
                yield Line(number, raw, json.loads(raw))
            except json.JSONDecodeError as exc:
                yield Line(number, raw, error=f"invalid JSON: {exc.msg} at column {exc.colno}")


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
