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


def test_version_numbers_are_not_two_digit_year_dates():
    """``dd/mm/yy`` (Forumotion boards) must not read a version number as a date."""
    for text in ("version 1.2.33", "Vigie 1.2.33 publiée", "mise à jour 2.10.24 du logiciel", "release 10.11.12",
                 "v 10.11.12"):
        assert parse_french(text, PARIS, NOW) is None, text
    assert parse_french("version 3.1.4, publiée le 26/10/13, 03:48 pm", PARIS, NOW) == \
        datetime(2013, 10, 26, 15, 48, tzinfo=PARIS)
    assert parse_french("Posté le 26.10.13", PARIS, NOW) == datetime(2013, 10, 26, tzinfo=PARIS)
    assert parse_french("5/3/24 à 10h", PARIS, NOW) == datetime(2024, 3, 5, 10, tzinfo=PARIS)
    assert parse_french("version 1.2.33 du 12/11/2026", PARIS, NOW) == datetime(2026, 11, 12, tzinfo=PARIS)


def test_jsonl_export_with_unicode_line_separators(tmp_path):
    records = [{"id": "1", "text": "Premier paragraphe\u2028second\u0085troisième",
                "published_at": "2026-11-18T08:00:00+01:00"},
               {"id": "2", "text": "Suite", "published_at": "2026-11-18T09:00:00+01:00"}]
    path = tmp_path / "export.jsonl"
    path.write_text("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n", encoding="utf-8")
    read = [(n, rec, err) for n, rec, err in import_.read_records(path)]
    assert [(n, err) for n, _rec, err in read] == [(1, None), (2, None)]
    assert read[0][1]["text"] == records[0]["text"]
