"""Retention, erasure and objection, end to end on the real node and real files."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

import pytest

from tests.support import names
from vigie.config import load_config
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.privacy.erasure import author_hash, erasure_log, forget, is_objected, load_objections
from vigie.privacy.pseudonym import Pseudonymiser
from vigie.privacy.retention import enforce_watch
from vigie.schema import Document, make_doc_id

from ..conftest import ROOT, VIGIE

NOW = datetime.fromisoformat("2026-11-20T12:00:00+01:00")
KEY = b"0123456789abcdef-test-key"


def record(item_id, published_at, watches, handle="jeanne59", platform="mastodon", **extra):
    return Document(item_id=item_id, platform=platform, source_id="src", published_at=published_at,
                    text=f"message {item_id}", watch_ids=watches, author={"handle": handle, "name": handle},
                    **extra).to_json_dict()


DOCS = [
    record("old-a", "2026-01-10T10:00:00+01:00", ["a"]),
    record("old-ab", "2026-01-11T10:00:00+01:00", ["a", "b"], handle="paul"),
    record("new-a", "2026-11-19T10:00:00+01:00", ["a"], handle="paul"),
    record("old-b", "2026-01-12T10:00:00+01:00", ["b"], handle="paul"),
]


@pytest.fixture
def stores(es, tmp_path, monkeypatch):
    """The same documents in Elasticsearch and in raw/enriched files of a data folder."""
    monkeypatch.setenv("VIGIE_STATE_DIR", str(tmp_path / "state"))
    install(es, ["a", "b"], names=names)
    data = tmp_path / "data"
    for stage in ("raw", "enriched"):
        path = data / stage / "a" / "src" / "2026-11-20.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text("".join(json.dumps(d) + "\n" for d in DOCS) + "not json, kept\n", encoding="utf-8")
    rejects = data / "raw" / "a" / "src" / "2026-11-20.jsonl.rejects.jsonl"  # raw personal data, too
    raw = data / "raw" / "a" / "src" / "2026-11-20.jsonl"
    assert index_file(es, raw, rejects_path=rejects, names=names).indexed == 4
    assert json.loads(rejects.read_text())["raw"] == "not json, kept"
    with open(rejects, "a", encoding="utf-8") as out:  # a document rejected earlier for another reason
        out.write(json.dumps({"line": 9, "reason": "refused", "raw": json.dumps(DOCS[0])}) + "\n")
    es.index(index=names.authors_index(), id="a-jeanne", refresh=True, document={
        "author_key": "mastodon:jeanne59", "watch_id": "a", "platform": "mastodon", "handle": "jeanne59",
        "last_seen": "2026-01-10T10:00:00+01:00", "influence_score": 12.0})
    es.index(index=names.alerts_index(), id="alert-1", refresh=True, document={
        "alert_id": "alert-1", "watch_id": "a", "kind": "emerging_topic", "title": "Inondation",
        "fired_at": "2026-11-19T10:00:00+01:00",
        "sample_doc_ids": [make_doc_id("mastodon", "old-a"), make_doc_id("mastodon", "new-a")]})
    return data


def ids_in(es, index):
    es.indices.refresh(index=index)
    return {h["_source"]["item_id"]: h["_source"]["watch_ids"]
            for h in es.search(index=index, size=100, query={"match_all": {}})["hits"]["hits"]}


def lines_of(data):
    out = {}
    for path in sorted(data.rglob("*.jsonl")):
        out[str(path.relative_to(data))] = [line for line in path.read_text().splitlines()]
    return out


def item_ids_in_files(data) -> set[str]:
    """Item ids of every document line, rejects lines included (their raw record)."""
    ids = set()
    for lines in lines_of(data).values():
        for line in lines:
            try:
                record = json.loads(line)
                record = json.loads(record["raw"]) if "raw" in record else record
            except (ValueError, TypeError):
                continue
            if isinstance(record, dict) and "item_id" in record:
                ids.add(record["item_id"])
    return ids


def test_retention_deletes_old_documents_everywhere(es, stores):
    result = enforce_watch(es, "a", 30, stores, now=NOW, names=names)
    assert result["documents_deleted"] == 1 and result["documents_unlinked"] == 1
    assert result["authors_deleted"] == 1
    assert ids_in(es, names.documents_alias()) == {"old-ab": ["b"], "new-a": ["a"], "old-b": ["b"]}
    for name, lines in lines_of(stores).items():
        if name.endswith(".rejects.jsonl"):
            assert [json.loads(ln)["raw"] for ln in lines] == ["not json, kept"]  # the old reject is gone
            continue
        items = {json.loads(ln)["item_id"]: json.loads(ln)["watch_ids"] for ln in lines if ln.startswith("{")}
        assert items == {"old-ab": ["b"], "new-a": ["a"], "old-b": ["b"]}
        assert "not json, kept" in lines
    again = enforce_watch(es, "a", 30, stores, now=NOW, names=names)  # idempotent
    assert again["documents_deleted"] == again["documents_unlinked"] == again["file_lines_removed"] == 0


def test_forget_erases_logs_and_objects(es, stores):
    watches = load_config(ROOT / "config" / "demo.yaml").watches
    entry = forget(es, "mastodon", "@Jeanne59", watches, stores, {}, now=NOW, names=names)
    assert entry["counts"]["documents_deleted"] == 1
    assert entry["counts"]["author_records_deleted"] == 1
    assert entry["counts"]["alert_samples_updated"] == 1
    assert entry["counts"]["file_lines_removed"] == 3  # raw, enriched, and the rejects line
    assert "old-a" not in ids_in(es, names.documents_alias())
    alert = es.get(index=names.alerts_index(), id="alert-1")["_source"]
    assert alert["sample_doc_ids"] == [make_doc_id("mastodon", "new-a")]
    assert "old-a" not in item_ids_in_files(stores)  # nor in the rejects file
    # The request is logged without the handle in clear, and the author is on the objection list.
    log = erasure_log()
    assert log[-1]["author_hash"] == author_hash("mastodon", "jeanne59")
    assert "jeanne" not in json.dumps(log).lower()
    assert is_objected("mastodon", "JEANNE59", load_objections())
    assert not is_objected("mastodon", "paul", load_objections())


def test_forget_finds_pseudonymised_documents(es, tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_STATE_DIR", str(tmp_path / "state"))
    install(es, ["a"], names=names)
    pseudo = Pseudonymiser(KEY)
    doc = pseudo.document(Document.model_validate(record("p1", "2026-11-19T10:00:00+01:00", ["a"])))
    path = tmp_path / "data" / "raw" / "p.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(doc.to_json_dict()) + "\n")
    assert index_file(es, path, names=names).indexed == 1
    watch = load_config(ROOT / "config" / "demo.yaml").watches[0].model_copy(update={"id": "a"})
    entry = forget(es, "mastodon", "jeanne59", [watch], tmp_path / "data", {"a": pseudo}, names=names)
    assert entry["counts"]["documents_deleted"] == 1 and entry["counts"]["file_lines_removed"] == 1


def test_forget_scoped_to_one_watch_keeps_the_others(es, stores):
    watches = load_config(ROOT / "config" / "demo.yaml").watches
    entry = forget(es, "mastodon", "paul", watches, stores, {}, scope="a", names=names)
    assert entry["counts"]["documents_unlinked"] == 1 and entry["counts"]["documents_deleted"] == 1
    assert ids_in(es, names.documents_alias()) == {"old-a": ["a"], "old-ab": ["b"], "old-b": ["b"]}
    objections = load_objections()
    assert is_objected("mastodon", "paul", objections, watch_id="a")
    assert not is_objected("mastodon", "paul", objections, watch_id="b")


def test_privacy_report_and_forget_through_the_cli(demo_run):
    env = demo_run.env   # the session's demo (its data under VIGIE_STATE_DIR/data)
    assert demo_run.first.returncode == 0
    done = subprocess.run([VIGIE, "privacy", "report", "--watch", "lambersart", "--json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    lines = 74   # the 73 demo documents and the Decidim process page, crawled from the demo sites
    assert report["elasticsearch"]["documents"] == lines
    assert report["elasticsearch"]["oldest"].startswith("2026-09-15")   # the Decidim process page
    assert report["retention_days"] == 365 and report["pseudonymise_authors"] is False
    text = subprocess.run([VIGIE, "privacy", "report", "--watch", "lambersart"], env=env,
                          capture_output=True, text=True).stdout
    assert f"Elasticsearch: {lines} documents" in text and "Retention: 365 days" in text
    handle = next(json.loads(ln)["author"]["handle"] for ln in
                  (ROOT / "vigie/demo/lambersart.jsonl").read_text().splitlines() if '"mastodon"' in ln)
    gone = subprocess.run([VIGIE, "forget", "--platform", "mastodon", "--author", handle, "--json"], env=env,
                          capture_output=True, text=True)
    assert gone.returncode == 0, gone.stderr
    assert json.loads(gone.stdout)["counts"]["documents_deleted"] >= 1
    after = json.loads(subprocess.run([VIGIE, "privacy", "report", "--watch", "lambersart", "--json"], env=env,
                                      capture_output=True, text=True).stdout)
    assert after["erasure_requests"] == 1 and after["objections"] == 1
    assert after["elasticsearch"]["documents"] < lines


def test_forget_later_queues_a_request_that_maintenance_carries_out(cli_env, es, tmp_path, monkeypatch):
    from pathlib import Path

    from vigie.privacy import requests

    env = {**cli_env, "VIGIE_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run([VIGIE, "forget", "--platform", "Mastodon", "--author", "@paul", "--later", "--json"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    queued = Path(json.loads(done.stdout)["queued"])
    assert json.loads(queued.read_text())["handle"] == "@paul"
    again = subprocess.run([VIGIE, "forget", "--platform", "mastodon", "--author", "@paul", "--later", "--json"],
                           env=env, capture_output=True, text=True)
    assert json.loads(again.stdout)["queued"] == str(queued)        # one request, not two
    (queued.parent / "broken.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("VIGIE_STATE_DIR", env["VIGIE_STATE_DIR"])
    result = requests.process(es, load_config(ROOT / "config" / "demo.yaml").watches, tmp_path / "data", names=names)
    assert (result["done"], result["invalid"], result["failed"]) == (1, 1, 0)
    assert requests.pending() == []
    assert not queued.exists()                                       # no handle left in clear
    assert (queued.parent / "invalid" / "broken.json").exists()
