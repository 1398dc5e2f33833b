"""Privacy at ingest: pseudonymised authors, objected authors not collected, no clear authors
written when the key is missing."""

from __future__ import annotations

import json

import pytest

from vigie.privacy.erasure import author_hash
from vigie.privacy.pseudonym import Pseudonymiser

KEY = "0123456789abcdef-crawl-test-key"
MAPPING = {"id": "id", "text": "text", "published_at": "published_at", "author.handle": "auteur",
           "author.name": "nom"}
RECORDS = [
    {"id": "1", "text": "Merci @VilleDeLambersart et @jeanne59 !", "published_at": "2026-11-18T08:00:00+01:00",
     "auteur": "paul_l", "nom": "Paul Lefebvre"},
    {"id": "2", "text": "Horaires de la déchetterie modifiés.", "published_at": "2026-11-18T09:00:00+01:00",
     "auteur": "VilleDeLambersart", "nom": "Ville de Lambersart"},
    {"id": "3", "text": "Je ne veux plus être collectée.", "published_at": "2026-11-18T10:00:00+01:00",
     "auteur": "Jeanne59", "nom": "Jeanne"},
]


@pytest.fixture(autouse=True)
def _imports_from_tmp_path(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_IMPORT_DIR", str(tmp_path))  # import sources read only from the import folder


def config_with(tmp_path, watch_file, **privacy):
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    source = {"id": "export", "kind": "import",
              "options": {"path": "export.jsonl", "platform": "mastodon", "mapping": MAPPING}}
    return watch_file([source], own_accounts=["VilleDeLambersart"], privacy=privacy)


def test_authors_pseudonymised_at_ingest(tmp_path, watch_file, run_crawl, state_dir, monkeypatch):
    monkeypatch.setenv("VIGIE_PSEUDONYM_KEY", KEY)
    config = config_with(tmp_path, watch_file, pseudonymise_authors=True)
    _summary, docs = run_crawl(config, "export")
    pseudo = Pseudonymiser(KEY.encode(), ["VilleDeLambersart"])
    by_id = {d["item_id"]: d for d in docs}
    assert by_id["1"]["author"] == {"id": None, "handle": pseudo.token("mastodon", "paul_l"),
                                    "name": pseudo.token("mastodon", "paul_l"), "url": None,
                                    "followers": None, "pseudonymised": True}
    assert "@VilleDeLambersart" in by_id["1"]["text"] and "jeanne59" not in by_id["1"]["text"]
    assert by_id["2"]["author"]["handle"] == "VilleDeLambersart"  # the town's own account stays in clear
    written = list((state_dir.parent / "out").rglob("*.jsonl"))
    assert written and not any("Paul" in path.read_text() or "paul_l" in path.read_text() for path in written)


def test_missing_key_collects_nothing(tmp_path, watch_file, run_crawl, monkeypatch):
    monkeypatch.delenv("VIGIE_PSEUDONYM_KEY", raising=False)
    config = config_with(tmp_path, watch_file, pseudonymise_authors=True)
    summary, docs = run_crawl(config, "export", expect_ok=False)
    assert docs == [] and summary["status"] == "failed" and "VIGIE_PSEUDONYM_KEY" in summary["error"]


def test_objected_author_is_not_collected(tmp_path, watch_file, run_crawl, state_dir):
    objections = state_dir / "privacy" / "objections.json"
    objections.parent.mkdir(parents=True)
    objections.write_text(json.dumps({"authors": [author_hash("mastodon", "jeanne59")]}))
    config = config_with(tmp_path, watch_file)
    summary, docs = run_crawl(config, "export")
    assert sorted(d["item_id"] for d in docs) == ["1", "2"]
    assert summary["dropped"] == {"objection": 1}
