"""Bad input found in review: impossible clock times, line separators inside exported texts."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from vigie.crawlers.extract import import_
from vigie.crawlers.extract._dates import parse_french

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)


def test_impossible_or_midnight_clock_times():
    assert parse_french("aujourd'hui 27:70", PARIS, NOW) is None
    assert parse_french("hier à 24h00", PARIS, NOW) == datetime(2026, 11, 20, 0, 0, tzinfo=PARIS)
    assert parse_french("hier à 18h05", PARIS, NOW) == datetime(2026, 11, 19, 18, 5, tzinfo=PARIS)


def test_jsonl_export_with_unicode_line_separators(tmp_path):
    records = [{"id": "1", "text": "Premier paragraphe\u2028second\u0085troisième",
                "published_at": "2026-11-18T08:00:00+01:00"},
               {"id": "2", "text": "Suite", "published_at": "2026-11-18T09:00:00+01:00"}]
    path = tmp_path / "export.jsonl"
    path.write_text("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n", encoding="utf-8")
    read = [(n, rec, err) for n, rec, err in import_.read_records(path)]
    assert [(n, err) for n, _rec, err in read] == [(1, None), (2, None)]
    assert read[0][1]["text"] == records[0]["text"]
