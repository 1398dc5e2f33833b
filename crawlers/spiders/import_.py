"""File imports: CSV or JSON Lines exports (see ``crawlers/extract/import_.py`` for the mapping).

Options: ``path`` (required, relative to the import folder: ``VIGIE_IMPORT_DIR``, default
``<data dir>/imports``; absolute paths, ``..`` and symlinks leading out of it are refused),
``format`` (csv or jsonl, default from the extension), ``mapping``, ``platform`` (default
``import``), ``kind`` (default ``post``), ``date_format``, ``timezone`` (default the watch's),
``encoding``, ``delimiter``.

Every imported record belongs to the importing watch: its ``watch_ids`` are replaced by that
watch's id, whatever the file says.  A bad record (missing column, unreadable date, invalid JSON)
is counted as ``invalid_record`` and logged with its line number; the rest is imported.  A second
import of the same file writes nothing new (unchanged items); changed figures are written as updates.
"""

from __future__ import annotations

import codecs
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator
from scrapy.exceptions import CloseSpider

from vigie.crawlers.extract import import_ as extract
from vigie.crawlers.options import SourceOptions
from vigie.crawlers.spiders.base import VigieSpider
from vigie.schema import from_record


def _inside_import_dir(raw: str) -> str:
    """Refused at load (``vigie config check``) when it can never be inside the import folder, or
    when it resolves outside of it on this machine; the crawl checks again before reading."""
    problem = extract.path_problem(raw)
    if problem:
        raise ValueError(problem)
    if extract.import_dir().exists():
        extract.confined(raw)
    return raw


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA timezone (e.g. 'Europe/Paris')") from None
    return name


def _encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(f"{name!r} is not a text encoding (e.g. utf-8, cp1252)") from None
    return name


class ImportOptions(SourceOptions):
    path: Annotated[str, AfterValidator(_inside_import_dir)]   # relative to the import folder
    format: Literal["csv", "jsonl", "ndjson", "json"] | None = None   # default: from the extension
    mapping: dict[str, str] | None = None                     # Document field -> column or JSON key
    kind: Literal["post", "comment", "article", "page"] = "post"    # Document kind when the file has none
    date_format: str | None = Field(default=None, min_length=1)     # strptime, for dates neither ISO nor French
    timezone: Annotated[str, AfterValidator(_timezone)] | None = None   # default: the watch's
    encoding: Annotated[str, AfterValidator(_encoding)] | None = None   # default: UTF-8, else detected
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)   # CSV; default: detected

    @field_validator("mapping")
    @classmethod
    def _mapping(cls, mapping: dict[str, str] | None) -> dict[str, str] | None:
        problems = extract.check_mapping(mapping) if mapping else []
        if problems:
            raise ValueError("; ".join(p.removeprefix("options.") for p in problems))
        return mapping


class ImportSpider(VigieSpider):
    kind = "import"
    Options = ImportOptions
    label_fr = "Import"
    name = "vigie-import"
    platform = extract.PLATFORM

    async def start(self):
        try:
            path = extract.confined(self.options.path)
        except ValueError as exc:
            self.unusable("path_outside_import_dir", f"options.path: {exc}")
            raise CloseSpider("path_outside_import_dir") from None
        if not path.is_file():
            self.unusable("file_not_found", f"{path} does not exist")
            raise CloseSpider("file_not_found")
        mapping = self.options.mapping
        tz = ZoneInfo(self.options.timezone or (self.watch.timezone if self.watch else "Europe/Paris"))
        platform = self.platform_name
        try:
            records = list(extract.read_records(path, self.options.format, self.options.encoding,
                                                self.options.delimiter))
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            self.skip("unreadable_file", str(path), str(exc))
            return
        self.stat("import/records", len(records))
        for number, record, error in records:
            if error:
                self.skip("invalid_record", f"{path.name}:{number}", error)
                continue
            try:
                if mapping:
                    fields = extract.map_record(record, mapping, platform=platform, tz=tz,
                                                date_format=self.options.date_format,
                                                default_kind=self.options.kind)
                    yield self.document(**fields, watch_ids=[self.watch_id])
                else:
                    doc = from_record(record, default_platform=platform, default_source=self.source.id)
                    yield doc.model_copy(update={
                        "source_id": self.source.id, "source_kind": self.source.kind,
                        "watch_ids": [self.watch_id],  # the importing watch's, never the file's
                        "crawled_at": doc.crawled_at or self.started_at})
            except ValueError as exc:
                self.skip("invalid_record", f"{path.name}:{number}", str(exc).splitlines()[0][:200])
