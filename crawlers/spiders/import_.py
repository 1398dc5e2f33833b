"""File imports: CSV or JSON Lines exports (see ``crawlers/extract/import_.py`` for the mapping).

Options: ``path`` (required, relative to the watch file), ``format`` (csv or jsonl, default
from the extension), ``mapping``, ``platform`` (default ``import``), ``kind`` (default
``post``), ``date_format``, ``timezone`` (default the watch's), ``encoding``, ``delimiter``.

A bad record (missing column, unreadable date, invalid JSON) is counted as ``invalid_record``
and logged with its line number; the rest is imported.  A second import of the same file
writes nothing new (unchanged items); changed figures are written as updates.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from scrapy.exceptions import CloseSpider

from vigie.crawlers.extract import import_ as extract
from vigie.crawlers.spiders.base import VigieSpider
from vigie.schema import from_record


class ImportSpider(VigieSpider):
    kind = "import"
    name = "vigie-import"
    platform = extract.PLATFORM

    def _path(self) -> Path:
        raw = self.option("path")
        if not raw:
            self.unusable("bad_options", "an import source needs options.path (relative to the watch file)")
            raise CloseSpider("bad_options")
        path = Path(raw)
        return path if path.is_absolute() else (self.config_dir / path).resolve()

    async def start(self):
        path = self._path()
        if not path.is_file():
            self.unusable("file_not_found", f"{path} does not exist")
            raise CloseSpider("file_not_found")
        mapping = self.option("mapping")
        if mapping:
            problems = extract.check_mapping(mapping)
            if problems:
                self.unusable("bad_options", "; ".join(problems))
                raise CloseSpider("bad_options")
        tz = ZoneInfo(self.option("timezone") or (self.watch.timezone if self.watch else "Europe/Paris"))
        platform = self.platform_name
        try:
            records = list(extract.read_records(path, self.option("format"), self.option("encoding"),
                                                self.option("delimiter")))
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
                                                date_format=self.option("date_format"),
                                                default_kind=self.option("kind", "post"))
                    yield self.document(**fields)
                else:
                    doc = from_record(record, default_platform=platform, default_source=self.source.id)
                    yield doc.model_copy(update={
                        "source_id": self.source.id, "source_kind": self.source.kind,
                        "watch_ids": sorted({*doc.watch_ids, self.watch_id}),
                        "crawled_at": doc.crawled_at or self.started_at})
            except ValueError as exc:
                self.skip("invalid_record", f"{path.name}:{number}", str(exc).splitlines()[0][:200])
