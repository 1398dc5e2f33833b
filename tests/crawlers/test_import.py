"""import: CSV and JSON Lines exports with a column mapping; bad records counted, never fatal."""

from __future__ import annotations

import json
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import VIGIE
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


@pytest.fixture
def import_dir(tmp_path, monkeypatch):
    """The import folder of these tests: the test's own temporary folder."""
    monkeypatch.setenv("VIGIE_IMPORT_DIR", str(tmp_path))
    return tmp_path


def test_import_crawl(tmp_path, import_dir, watch_file, run_crawl):
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


def test_missing_file_fails_the_source_only(tmp_path, import_dir, watch_file, run_crawl):
    config = watch_file([{"id": "absent", "kind": "import", "options": {"path": "nulle-part.csv"}}])
    summary, docs = run_crawl(config, "absent", expect_ok=False)
    assert summary["status"] == "failed" and "nulle-part.csv does not exist" in summary["error"] and docs == []


def _record(item: str, **extra) -> str:
    record = {"id": item, "text": f"Texte {item}", "published_at": "2026-11-18T08:00:00+01:00", **extra}
    return json.dumps(record) + "\n"


def test_records_are_stamped_with_the_importing_watch(tmp_path, import_dir, watch_file, run_crawl):
    """A file cannot put its records in another watch: watch_ids is the importing watch's, always."""
    (import_dir / "autre.jsonl").write_text(
        _record("a1", watch_ids=["commune-voisine"]) + _record("a2", watch_ids=["commune-voisine", "test"])
        + _record("a3"), encoding="utf-8")
    (import_dir / "autre.csv").write_text("ident;texte;date\nb1;Texte b1;2026-11-18T08:00:00+01:00\n",
                                          encoding="utf-8")
    full = {"item_id": "c1", "platform": "import", "source_id": "ailleurs", "watch_ids": ["commune-voisine"],
            "text": "Document complet", "published_at": "2026-11-18T08:00:00+01:00"}
    (import_dir / "complet.jsonl").write_text(json.dumps(full) + "\n", encoding="utf-8")
    config = watch_file([
        {"id": "minimal", "kind": "import", "options": {"path": "autre.jsonl"}},
        {"id": "mapped", "kind": "import", "options": {
            "path": "autre.csv", "mapping": {"id": "ident", "text": "texte", "published_at": "date"}}},
        {"id": "full", "kind": "import", "options": {"path": "complet.jsonl"}},
    ])
    stamped = []
    for source in ("minimal", "mapped", "full"):
        _summary, docs = run_crawl(config, source)
        stamped += [(d["item_id"], d["watch_ids"], d["source_id"]) for d in docs]
    assert sorted(stamped) == [("a1", ["test"], "minimal"), ("a2", ["test"], "minimal"), ("a3", ["test"], "minimal"),
                               ("b1", ["test"], "mapped"), ("c1", ["test"], "full")]


def test_default_import_folder_is_in_the_data_dir(tmp_path, watch_file, run_crawl, monkeypatch):
    monkeypatch.delenv("VIGIE_IMPORT_DIR", raising=False)
    monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data" / "imports").mkdir(parents=True)
    (tmp_path / "data" / "imports" / "export.jsonl").write_text(_record("d1"), encoding="utf-8")
    (tmp_path / "export.jsonl").write_text(_record("not-this-one"), encoding="utf-8")  # beside the watch file
    config = watch_file([{"id": "export", "kind": "import", "options": {"path": "export.jsonl"}}])
    _summary, docs = run_crawl(config, "export")
    assert [d["item_id"] for d in docs] == ["d1"]


def _outside(tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "secret.jsonl").write_text(_record("fuite", text="contenu hors du dossier"), encoding="utf-8")
    return outside / "secret.jsonl"


@pytest.mark.parametrize(("path", "expected"), [
    ("ABSOLUTE", "is absolute; give a path relative to the import folder"),
    ("../ailleurs/secret.jsonl", "leads out of the import folder ('..')"),
    ("sous-dossier/../../ailleurs/secret.jsonl", "leads out of the import folder ('..')"),
    ("lien.jsonl", "resolves outside the import folder"),
])
def test_paths_out_of_the_import_folder_are_refused(tmp_path, watch_file, run_crawl, monkeypatch, path, expected):
    """At config check (the real CLI: exit 2, key path and line) and at crawl time (the source fails,
    nothing is read)."""
    imports = tmp_path / "imports"
    (imports / "sous-dossier").mkdir(parents=True)
    monkeypatch.setenv("VIGIE_IMPORT_DIR", str(imports))
    secret = _outside(tmp_path)
    (imports / "lien.jsonl").symlink_to(secret)
    path = str(secret) if path == "ABSOLUTE" else path
    config = watch_file([{"id": "export", "kind": "import", "options": {"path": path}}])

    check = subprocess.run([VIGIE, "config", "check", str(config)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 2, check.stdout + check.stderr
    assert "watches[0].sources[0].options.path (line 11): " in check.stderr and expected in check.stderr

    summary, docs = run_crawl(config, "export", expect_ok=False)
    assert summary["status"] == "failed" and expected in summary["error"] and docs == []
    written = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.jsonl"))
    assert "hors du dossier" not in written


def test_symlink_checked_again_when_the_folder_appears(tmp_path, run_crawl, monkeypatch):
    """The import folder may not exist when the file is checked (another machine): the crawl resolves again."""
    from vigie.crawlers.spiders.import_ import ImportOptions

    imports = tmp_path / "imports"
    monkeypatch.setenv("VIGIE_IMPORT_DIR", str(imports))
    ImportOptions.model_validate({"path": "lien.jsonl"})  # accepted: nothing to resolve yet
    imports.mkdir()
    (imports / "lien.jsonl").symlink_to(_outside(tmp_path))
    with pytest.raises(ValueError, match="resolves outside the import folder"):
        import_.confined("lien.jsonl")
