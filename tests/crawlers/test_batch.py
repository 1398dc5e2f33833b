"""One crawl process, many sources: each keeps its own summary, state, log and limits, and a
source that fails, hangs or floods costs only itself (``vigie.crawlers.batch``)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.crawlers.harness import RUN1, TEST_SETTINGS, read_jsonl
from vigie.crawlers.run import crawl_batch

FLOOD_PAGES = 60


def _flood_site(site) -> None:
    links = "".join(f'<li><a href="/page/{i}.html">page {i}</a></li>' for i in range(FLOOD_PAGES))
    site.route("/", body=f"<html lang='fr'><head><title>Accueil</title></head><body><ul>{links}</ul></body></html>")
    for i in range(FLOOD_PAGES):
        site.route(f"/page/{i}.html", body="<html lang='fr'><body><article><h1>Page</h1><p>"
                   + f"Compte rendu numéro {i} du conseil de quartier de la commune. " * 12
                   + "</p></article></body></html>")


def _batch(fixture_site, watch_file):
    feeds = fixture_site("feed")
    other = fixture_site(None)
    other.route("/panne.xml", status=500, body="Internal Server Error", content_type="text/plain")
    other.route("/casse.xml", body=b"<rss><channel><item><title>sans fin", content_type="application/rss+xml")
    other.route("/bloque.xml", delay=30, body=b"<rss/>", content_type="application/rss+xml")
    _flood_site(other)
    fast = {"download_delay": 0, "obey_robots": False}
    config = watch_file([
        {"id": "presse", "kind": "feed", "url": feeds.url("/atom.xml"), "options": fast},
        {"id": "presse-rss", "kind": "feed", "url": feeds.url("/rss.xml"), "options": fast},
        {"id": "panne", "kind": "feed", "url": other.url("/panne.xml"), "options": fast},
        {"id": "casse", "kind": "feed", "url": other.url("/casse.xml"), "options": fast},
        {"id": "bloque", "kind": "feed", "url": other.url("/bloque.xml"), "options": {**fast, "timeout": 1.0}},
        {"id": "deborde", "kind": "web", "url": other.url("/"), "options": {**fast, "max_pages": 5, "concurrency": 1}},
    ])
    return feeds, other, config


def test_a_batch_keeps_each_source_to_itself(fixture_site, watch_file, tmp_path, state_dir):
    _feeds, other, config = _batch(fixture_site, watch_file)
    ids = ["presse", "presse-rss", "panne", "casse", "bloque", "deborde"]
    out = tmp_path / "data" / "raw"
    summaries = crawl_batch(config, [("test", s) for s in ids], out, TEST_SETTINGS, interval=RUN1, timeout=120)
    by_id = {s["source"]: s for s in summaries}
    assert [s["source"] for s in summaries] == ids

    # the good ones are complete, as if crawled alone
    assert by_id["presse"]["status"] == "ok" and by_id["presse"]["new"] == 2
    assert by_id["presse-rss"]["status"] == "ok" and by_id["presse-rss"]["new"] >= 5
    assert len(read_jsonl(by_id["presse"]["output"])) == 2
    # the failing, broken, hanging and flooding ones each end on their own limit, with their own counts
    assert by_id["panne"]["errors_by_reason"] == {"http_500": 1} and by_id["panne"]["written"] == 0
    assert set(by_id["casse"]["errors_by_reason"]) <= {"malformed_feed", "not_a_feed"}
    assert by_id["casse"]["errors"] >= 1 and by_id["casse"]["written"] == 0
    assert by_id["bloque"]["errors_by_reason"] == {"timeout": 1} and by_id["bloque"]["fetched"] == 0
    assert len(other.hits_for("/bloque.xml")) == 2  # asked, then retried once, each on its own time limit
    assert by_id["deborde"]["reason"] == "closespider_pagecount" and by_id["deborde"]["fetched"] == 5
    assert by_id["deborde"]["errors"] == 0 and by_id["deborde"]["written"] == 4

    # each source has its own summary file, state and log
    for source_id, summary in by_id.items():
        on_disk = json.loads(Path(summary["output"]).with_suffix(".summary.json").read_text(encoding="utf-8"))
        assert on_disk["fetched"] == summary["fetched"] and on_disk["written"] == summary["written"]
        state = json.loads((state_dir / "crawl" / "test" / f"{source_id}.json").read_text(encoding="utf-8"))
        assert state["open_runs"] == [] and len(state["items"]) == summary["written"]
    logs = {sid: Path(s["log"]).read_text(encoding="utf-8") for sid, s in by_id.items()}
    assert "skipped (timeout)" in logs["bloque"] and "bloque.xml" in logs["bloque"]
    assert "Closing spider (closespider_pagecount)" in logs["deborde"]
    assert not any("closespider_pagecount" in text for sid, text in logs.items() if sid != "deborde")
    for sid, text in logs.items():
        foreign = [other for other in ids if other != sid and f"/{other}.xml" in text]
        assert not foreign, f"the log of {sid} holds lines of {foreign}"
        assert "Spider closed" in text

    # check_sources names the sources that failed, and only them
    from vigie.settings import Settings
    from vigie.stages import collect

    settings = Settings.resolve(config, env={"VIGIE_DATA_DIR": str(tmp_path / "data"),
                                             "VIGIE_STATE_DIR": str(state_dir)})
    start, end = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in RUN1.split("/"))
    failed = collect.failures(settings, [{"watch": "test", "source": s} for s in ids], start, end)
    assert sorted(f.split(":")[0] for f in failed) == ["test/bloque", "test/panne"]


def test_a_source_that_cannot_start_does_not_stop_the_batch(fixture_site, watch_file, tmp_path, state_dir):
    from vigie.crawlers.state import SourceState, state_path

    feeds = fixture_site("feed")
    config = watch_file([
        {"id": "presse", "kind": "feed", "url": feeds.url("/atom.xml"), "options": {"download_delay": 0}},
        {"id": "occupee", "kind": "feed", "url": feeds.url("/rss.xml"), "options": {"download_delay": 0}},
        {"id": "exports", "kind": "import", "options": {"path": "absent.csv"}},
    ])
    held = SourceState.open(state_path("test", "occupee", state_dir / "crawl"))  # another crawl holds it
    try:
        summaries = crawl_batch(config, [("test", "presse"), ("test", "occupee"), ("test", "exports")],
                                tmp_path / "out", TEST_SETTINGS, interval=RUN1, timeout=120)
    finally:
        held.close()
    presse, occupee, exports = summaries
    assert presse["status"] == "ok" and presse["new"] == 2
    assert occupee["status"] == "failed" and "StateLocked" in occupee["error"]
    assert exports["status"] == "failed" and "absent.csv does not exist" in exports["error"]


def test_a_retried_batch_crawls_only_its_failed_sources(fixture_site, watch_file, tmp_path, state_dir):
    import pytest

    from vigie.settings import Settings
    from vigie.stages import collect

    site = fixture_site("feed")
    site.route("/panne.xml", status=500, body="Internal Server Error", content_type="text/plain")
    fast = {"download_delay": 0, "obey_robots": False}
    config = watch_file([{"id": "presse", "kind": "feed", "url": site.url("/atom.xml"), "options": fast},
                         {"id": "panne", "kind": "feed", "url": site.url("/panne.xml"), "options": fast}])
    settings = Settings.resolve(config, env={"VIGIE_DATA_DIR": str(tmp_path / "data"),
                                             "VIGIE_STATE_DIR": str(state_dir), "VIGIE_CRAWL_BATCH_SIZE": "50"})
    [batch] = collect.batches(settings)
    assert batch["jobs"] == [{"watch": "test", "source": "presse"}, {"watch": "test", "source": "panne"}]
    start, end = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in RUN1.split("/"))
    with pytest.raises(collect.CrawlFailed, match=r"1 of 2 source.*test/panne: source answered only errors"):
        collect.crawl_batch(settings, batch["jobs"], start, end, timeout=120)
    assert len(site.hits_for("/atom.xml")) == 1

    site.route("/panne.xml", body=(site.root / "rss.xml").read_bytes(), content_type="application/rss+xml")
    retried = collect.crawl_batch(settings, batch["jobs"], start, end, timeout=120, skip_done=True)
    assert (retried["crawled"], retried["skipped"]) == (1, 1)
    assert len(site.hits_for("/atom.xml")) == 1, "a source that had succeeded was crawled again"
    assert [s["status"] for s in retried["sources"]] == ["ok", "ok"] and retried["sources"][1]["new"] >= 5
    assert collect.failures(settings, batch["jobs"], start, end) == []
