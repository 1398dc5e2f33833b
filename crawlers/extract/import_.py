"""File imports: CSV or JSON Lines exports (Meta Business Suite, a survey tool…) as Documents.

``options.mapping`` maps Document fields to the file's columns (or JSON keys)::

    mapping:
      id: "Identifiant de la publication"      # required (or `url`): the item's own id
      text: "Message"                          # required
      published_at: "Date de publication"      # required
      title: "Titre"
      url: "Permalien"
      kind: "Type"                             # post | comment | article | page
      parent: "Publication parente"            # id of the parent item (comments)
      author.name: "Auteur"
      author.handle: "Compte"
      engagement.likes: "Réactions"
      engagement.shares: "Partages"
      engagement.replies: "Commentaires"
      engagement.views: "Impressions"

Without a mapping, each record is a full Document or a minimal one (``id``, ``text``,
``published_at``), as for ``vigie index``.  Files are read only inside the import folder
(:func:`import_dir`: ``VIGIE_IMPORT_DIR``, default ``<data dir>/imports``); ``options.path`` is
relative to it, and an absolute path, a ``..`` or a symlink leading out of it is refused
(:func:`confined`).  Dates may be ISO 8601, French (``12/11/2026 18:30``,
``12 novembre 2026``) or follow ``options.date_format`` (strptime); dates without a timezone
are read in ``options.timezone`` (default: the watch's).  (This module is ``import_`` because
``import`` is a Python keyword.)
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from vigie.crawlers.extract._dates import aware, parse_french, parse_iso
from vigie.jsonl import parse_lines
from vigie.schema import make_doc_id

PLATFORM = "import"
FIELDS = {"id", "text", "published_at", "title", "url", "kind", "parent", "language", "author.id",
          "author.name", "author.handle", "author.url", "engagement.likes", "engagement.shares",
          "engagement.replies", "engagement.views"}


def import_dir() -> Path:
    """The one folder import sources read from: ``VIGIE_IMPORT_DIR``, default ``<data dir>/imports``."""
    from vigie.settings import data_dir

    return Path(os.environ.get("VIGIE_IMPORT_DIR") or data_dir() / "imports")


def path_problem(raw: str) -> str | None:
    """Why ``options.path`` can never be inside the import folder (absolute, ``..``), or None."""
    if not raw or not raw.strip():
        return "an empty path"
    path = Path(raw)
    if path.is_absolute() or raw.startswith(("/", "\\", "~")) or (len(raw) > 1 and raw[1] == ":"):
        return (f"{raw!r} is absolute; give a path relative to the import folder "
                f"(VIGIE_IMPORT_DIR, default <data dir>/imports)")
    if ".." in path.parts or ".." in raw.replace("\\", "/").split("/"):
        return f"{raw!r} leads out of the import folder ('..'); put the file inside it (VIGIE_IMPORT_DIR)"
    return None


def confined(raw: str, base: Path | None = None) -> Path:
    """``raw`` resolved inside the import folder; ValueError when it is absolute, uses ``..`` or
    resolves (through a symlink) outside of it."""
    problem = path_problem(raw)
    if problem:
        raise ValueError(problem)
    base = (base or import_dir()).resolve()
    path = (base / raw).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"{raw!r} resolves outside the import folder {base} (a symbolic link?); "
                         "put the file itself inside it")
    return path


def check_mapping(mapping: dict[str, Any]) -> list[str]:
    problems = [f"options.mapping.{key}: unknown field (known: {', '.join(sorted(FIELDS))})"
                for key in mapping if key not in FIELDS]
    for key in ("text", "published_at"):
        if key not in mapping:
            problems.append(f"options.mapping.{key} is required")
    if "id" not in mapping and "url" not in mapping:
        problems.append("options.mapping needs 'id' (or 'url') to identify items")
    return problems


def read_records(path: Path, fmt: str | None = None, encoding: str | None = None,
                 delimiter: str | None = None) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """``(line number, record, error)`` for each record; a bad record has an error and no record."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    raw = path.read_bytes()
    text = _decode(raw, encoding)
    if fmt in ("jsonl", "ndjson", "json"):
        # Only "\n" ends a JSON line: str.splitlines() would also cut at U+2028, U+0085… inside texts.
        for line in parse_lines(text):
            if line.error:
                yield line.number, None, line.error
            elif not isinstance(line.data, dict):
                yield line.number, None, "not a JSON object"
            else:
                yield line.number, line.data, None
        return
    if fmt != "csv":
        raise ValueError(f"unknown import format {fmt!r} (csv or jsonl)")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    for record in reader:
        number = reader.line_num
        if None in record:  # more cells than headers
            yield number, None, "more cells than columns"
            continue
        yield number, {k.strip(): v for k, v in record.items() if k is not None}, None


def _decode(raw: bytes, encoding: str | None) -> str:
    if encoding:
        return raw.decode(encoding)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from vigie.crawlers.extract._encoding import decode_body

        return decode_body(raw)[0]


def _number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    digits = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        return int(float(digits))
    except ValueError:
        return None


def parse_date(value: Any, tz: ZoneInfo, date_format: str | None = None) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        from vigie.crawlers.extract._dates import from_timestamp

        return from_timestamp(value)
    value = str(value).strip()
    if date_format:
        try:
            return aware(datetime.strptime(value, date_format), tz)
        except ValueError:
            pass
    return parse_iso(value, tz) or parse_french(value, tz)


def map_record(record: dict[str, Any], mapping: dict[str, str], *, platform: str, tz: ZoneInfo,
               date_format: str | None = None, default_kind: str = "post") -> dict[str, Any]:
    """Document fields of one record; raises ValueError with the reason for a bad record."""
    def get(field: str) -> Any:
        column = mapping.get(field)
        if column is None:
            return None
        if column not in record:
            raise ValueError(f"column {column!r} (for {field}) is not in the file")
        value = record[column]
        return value.strip() if isinstance(value, str) else value

    item = get("id") or get("url")
    if item in (None, ""):
        raise ValueError("no id")
    published = parse_date(get("published_at"), tz, date_format)
    if published is None:
        raise ValueError(f"unreadable date {get('published_at')!r}")
    kind = (get("kind") or default_kind).lower()
    kind = kind if kind in ("post", "comment", "article", "page") else default_kind
    parent = get("parent")
    fields: dict[str, Any] = {
        "item_id": str(item),
        "platform": platform,
        "kind": kind,
        "text": get("text") or "",
        "title": get("title") or None,
        "url": get("url") or None,
        "published_at": published,
        "language": get("language") or None,
        "parent_id": make_doc_id(platform, str(parent)) if parent else None,
        "author": {k: get(f"author.{k}") or None for k in ("id", "name", "handle", "url")},
        "engagement": {k: _number(get(f"engagement.{k}")) for k in ("likes", "shares", "replies", "views")},
    }
    if parent:
        fields["thread_id"] = fields["parent_id"]
    return fields
