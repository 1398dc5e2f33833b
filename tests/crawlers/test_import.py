"""import: CSV and JSON Lines exports with a column mapping; bad records counted, never fatal."""

from __future__ import annotations

import shutil
from zoneinfo import ZoneInfo

from tests.crawlers.sites import SITES
from vigie.crawlers.extract import import_

MAPPING = {"id": "Identifiant de la publication", "text": "Description", "published_at": "Heure de publication",
           "url": "Permalien", "author.name": "Nom de la Page", "engagement.likes": "Réactions",
           "engagement.replies": "Commentaires", "engagement.shares": "Partages", "engagement.views": "Impressions"}


def test_csv_records_and_mapping():
    records = list(import_.read_records(SITES / "import" / "export-meta.csv"))
    assert [(n, e) for n, r, e in records if e] == [(5, "more cells than columns")]
    fields = import_.map_record(records[0][1], MAPPING, platform="facebook", tz=ZoneInfo("Europe/Paris"),
                                date_format="%m/%d/%Y %H:%M")
    assert fields["item_id"] == "1234567890_111" and fields["platform"] == "facebook"
    assert fields["published_at"].isoformat() == "2026-11-18T07:45:00+01:00"
    assert fields["engagement"] == {"likes": 245, "shares": 61, "replies": 38, "views": 12480}
    assert fields["author"]["name"] == "Ville de Lambersart"
    try:
        import_.map_record(records[2][1], MAPPING, platform="facebook", tz=ZoneInfo("Europe/Paris"),
                           date_format="%m/%d/%Y %H:%M")
    except ValueError as exc:
        assert "unreadable date 'pas de date'" in str(exc)
    else:
        raise AssertionError("a record without a date was accepted")
    assert import_.check_mapping({"id": "x", "text": "y", "publie": "z"}) == [
        "options.mapping.publie: unknown field (known: " + ", ".join(sorted(import_.FIELDS)) + ")",
        "options.mapping.published_at is required"]


def test_import_crawl(tmp_path, watch_file, run_crawl):
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(SITES / "import" / "export-meta.csv", exports / "meta.csv")
    shutil.copy(SITES / "import" / "commentaires.jsonl", exports / "commentaires.jsonl")
    config = watch_file([
        {"id": "meta", "kind": "import", "options": {
            "path": "exports/meta.csv", "platform": "facebook", "date_format": "%m/%d/%Y %H:%M",
            "mapping": MAPPING}},
        {"id": "commentaires", "kind": "import", "options": {"path": "exports/commentaires.jsonl"}},
    ])
    summary, docs = run_crawl(config, "meta")
    assert sorted(d["item_id"] for d in docs) == ["1234567890_111", "1234567890_112"]
    assert summary["errors_by_reason"] == {"invalid_record": 2}
    assert all(d["source_kind"] == "import" and d["watch_ids"] == ["test"] for d in docs)
    comments, cdocs = run_crawl(config, "commentaires")
    assert sorted(d["item_id"] for d in cdocs) == ["c-9001", "c-9002"]
    assert comments["errors_by_reason"] == {"invalid_record": 3} and cdocs[0]["platform"] == "facebook"

    # the same export again: nothing new; an export with updated figures: updates
    again, docs2 = run_crawl(config, "meta", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    assert docs2 == [] and again["duplicates"] == 2
    text = (exports / "meta.csv").read_text(encoding="utf-8").replace(";245;38;61;", ";301;52;70;")
    (exports / "meta.csv").write_text(text, encoding="utf-8")
    third, docs3 = run_crawl(config, "meta", interval="2026-11-19T11:00:00Z/2026-11-19T12:00:00Z")
    assert [d["engagement"]["likes"] for d in docs3] == [301] and third["updated"] == 1 and third["new"] == 0


def test_missing_file_fails_the_source_only(tmp_path, watch_file, run_crawl):
    config = watch_file([{"id": "absent", "kind": "import", "options": {"path": "nulle-part.csv"}}])
    summary, docs = run_crawl(config, "absent", expect_ok=False)
    assert summary["status"] == "failed" and "nulle-part.csv does not exist" in summary["error"] and docs == []
