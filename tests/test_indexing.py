"""Bulk indexing against the real node: idempotent, time-based, rejects with line numbers."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from tests.support import names
from vigie.indexes.client import ClusterUnavailable, connect
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.schema import make_doc_id
from vigie.settings import ESSettings

from .netutil import CuttingProxy

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
DEMO = ROOT / "vigie" / "demo" / "lambersart.jsonl"


def count(es) -> int:
    return es.count(index=names.documents_alias())["count"]


def write_lines(path, lines):
    path.write_text("".join((ln if isinstance(ln, str) else json.dumps(ln, ensure_ascii=False)) + "\n"
                            for ln in lines), encoding="utf-8")
    return path


def test_indexing_twice_changes_no_count_and_updates_fields(es, tmp_path):
    install(es, ["lambersart"], names=names)
    first = index_file(es, DEMO, names=names)
    total = sum(1 for line in DEMO.read_text().splitlines() if line.strip())
    assert first.indexed == first.created == total and not first.rejects
    assert count(es) == total

    # The same file again, with one document's engagement grown.
    lines = [json.loads(line) for line in DEMO.read_text().splitlines() if line.strip()]
    lines[0]["engagement"]["likes"] = 999
    again = index_file(es, write_lines(tmp_path / "again.jsonl", lines), names=names)
    assert again.indexed == total and again.created == 0 and again.updated == total
    assert count(es) == total
    stored = es.get(index=names.documents_alias(), id=lines[0]["doc_id"] if "doc_id" in lines[0]
                    else make_doc_id(lines[0]["platform"], lines[0]["item_id"]))
    assert stored["_source"]["engagement"]["likes"] == 999


def test_documents_land_in_their_month_and_watch_alias(es, tmp_path):
    install(es, ["lambersart", "marquette"], names=names)
    path = write_lines(tmp_path / "min.jsonl", [
        {"id": "a", "text": "Travaux rue de Lille", "published_at": "2026-10-31T23:30:00-01:00",
         "watch_ids": ["lambersart"]},
        {"id": "b", "text": "Marché de Noël", "published_at": "2026-11-02T10:00:00+01:00",
         "watch_ids": ["marquette"]},
    ])
    report = index_file(es, path, names=names)
    assert report.indices == {names.documents_index(datetime.fromisoformat("2026-11-01T00:30:00+00:00")),
                              names.documents_index(datetime.fromisoformat("2026-11-02T09:00:00+00:00"))}
    assert report.indices == {f"{names.prefix}-documents-2026.11"}  # 23:30-01:00 is November in UTC
    assert es.count(index=names.watch_alias("lambersart"))["count"] == 1
    assert es.count(index=names.watch_alias("marquette"))["count"] == 1
    # A watch added later gets its alias on the indices that already exist.
    install(es, ["lille"], names=names)
    aliases = es.indices.get_alias(index=f"{names.prefix}-documents-2026.11")
    assert {names.watch_alias(w) for w in ("lambersart", "marquette", "lille")} <= set(
        next(iter(aliases.values()))["aliases"])


def test_rejects_carry_line_numbers_and_reasons(es, tmp_path):
    install(es, names=names)
    path = write_lines(tmp_path / "mixed.jsonl", [
        {"id": "ok-1", "text": "Nids-de-poule avenue de l'Hippodrome", "published_at": "2026-11-10T08:00:00+01:00"},
        '{"id": "broken", "text": ',
        {"id": "no-date", "text": "sans date"},
        {"id": "naive", "text": "heure locale", "published_at": "2026-11-10T08:00:00"},
        "",
        {"item_id": "x" * 40000, "platform": "rss", "source_id": "s", "text": "trop long",
         "published_at": "2026-11-10T08:00:00+01:00"},
        {"id": "ok-2", "text": "Merci pour le déneigement", "published_at": "2026-11-11T08:00:00+01:00"},
    ])
    report = index_file(es, path, names=names)
    assert report.indexed == 2 and count(es) == 2
    by_line = {r.line: r.reason for r in report.rejects}
    assert set(by_line) == {2, 3, 4, 6}
    assert "invalid JSON" in by_line[2]
    assert "published_at" in by_line[3]
    assert "timezone" in by_line[4]
    assert "refused by Elasticsearch" in by_line[6]
    saved = [json.loads(line) for line in report.rejects_path.read_text().splitlines()]
    assert [r["line"] for r in saved] == [2, 3, 4, 6]
    assert saved[0]["raw"] == '{"id": "broken", "text": '


def test_a_clean_rerun_removes_the_stale_rejects_file(es, tmp_path):
    install(es, names=names)
    path = write_lines(tmp_path / "f.jsonl", ['{"nope'])
    assert index_file(es, path, names=names).rejects_path.exists()
    write_lines(path, [{"id": "1", "text": "ok", "published_at": "2026-11-10T08:00:00+01:00"}])
    report = index_file(es, path, names=names)
    assert report.rejects_path is None and not (tmp_path / "f.jsonl.rejects.jsonl").exists()


def test_unreachable_cluster_is_a_clear_error(unused_port):
    with pytest.raises(ClusterUnavailable, match=rf"not reachable at http://127.0.0.1:{unused_port}"):
        connect(ESSettings.from_env(f"http://127.0.0.1:{unused_port}"))


def test_credentials_in_the_url_never_show(unused_port):
    with pytest.raises(ClusterUnavailable) as caught:
        connect(ESSettings.from_env(f"http://elastic:pa55word@127.0.0.1:{unused_port}"))
    assert "pa55word" not in str(caught.value)


def test_cluster_lost_mid_write_keeps_the_input(es, es_url, tmp_path):
    """The connection drops after the first bulk request: a clear error, the input intact,
    and a re-run completes the job without duplicates."""
    install(es, names=names)
    path = write_lines(tmp_path / "f.jsonl", [
        {"id": str(i), "text": f"message {i}", "published_at": "2026-11-10T08:00:00+01:00"} for i in range(6)
    ])
    before = path.read_bytes()
    with CuttingProxy(es_url, cut_after=b"/_bulk", occurrences=1) as proxy:
        flaky = connect(ESSettings.from_env(proxy.url), max_retries=1)
        with pytest.raises(ESConnectionError):
            index_file(flaky, path, chunk_size=2, names=names)
    assert proxy.cut
    assert path.read_bytes() == before
    es.indices.refresh(index=names.documents_alias())
    assert count(es) == 2  # the first chunk went through before the cut
    assert index_file(es, path, names=names).indexed == 6
    assert count(es) == 6


def test_bom_and_invalid_utf8_lines(es, tmp_path):
    install(es, names=names)
    path = tmp_path / "windows-export.jsonl"
    good = json.dumps({"id": "1", "text": "Exporté depuis Excel", "published_at": "2026-11-10T08:00:00+01:00"},
                      ensure_ascii=False).encode()
    bad = b'{"id": "2", "text": "caf' + bytes([0xE9]) + b' latin-1", "published_at": "2026-11-10T08:00:00+01:00"}'
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\r\n" + bad + b"\r\n")
    report = index_file(es, path, names=names)
    assert report.indexed == 1
    assert [(r.line, r.reason) for r in report.rejects] == [(2, "invalid UTF-8 at byte 24")]
