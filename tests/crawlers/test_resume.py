"""A crawl killed midway (SIGKILL) resumes without losing or duplicating a Document."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from tests.crawlers.conftest import TEST_SETTINGS, read_jsonl
from vigie.crawlers.run import output_paths, start_crawl

PAGES = 40
RUN1 = "2026-11-19T09:00:00Z/2026-11-19T10:00:00Z"
RUN2 = "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z"


def _site(tmp_path):
    root = tmp_path / "site"
    (root / "pages").mkdir(parents=True)
    urls = []
    for i in range(PAGES):
        (root / "pages" / f"avis-{i:02d}.html").write_text(
            f"<html lang='fr'><head><title>Avis n° {i}</title>"
            f"<meta property='article:published_time' content='2026-11-{1 + i % 28:02d}T08:00:00+01:00'></head>"
            f"<body><article><h1>Avis n° {i}</h1><p>Avis municipal numéro {i} : le stationnement est réglementé "
            f"rue numéro {i * 7} du {i % 28 + 1} au {i % 28 + 3} décembre pour des travaux de voirie "
            f"sur le réseau numéro {i * 13}. Merci de votre compréhension.</p></article></body></html>",
            encoding="utf-8")
        urls.append(f"<url><loc>{{{{base}}}}/pages/avis-{i:02d}.html</loc></url>")
    (root / "sitemap.xml").write_text("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                                      + "".join(urls) + "</urlset>", encoding="utf-8")
    return root


def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path, state_dir, fixture_site, watch_file, run_crawl):
    server = fixture_site(_site(tmp_path))
    for i in range(PAGES):  # slow pages: the crawl is still running when it is killed
        path = f"/pages/avis-{i:02d}.html"
        server.route(path, body=(tmp_path / "site" / path.lstrip("/")).read_bytes(), delay=0.15)
    config = watch_file([{"id": "avis", "kind": "web", "url": server.url("/sitemap.xml"),
                          "options": {"min_text_chars": 50}}])
    out = tmp_path / "out"
    settings = {**TEST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "VIGIE_STATE_CHECKPOINT_ITEMS": 5}
    process = start_crawl(config, "test", "avis", out, settings, interval=RUN1)
    first_output = output_paths(out, "test", "avis", RUN1)["output"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(read_jsonl(first_output)) < 12:
        assert process.poll() is None, "the crawl ended before it could be killed"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    lines = first_output.read_text(encoding="utf-8").splitlines()
    written = {json.loads(line)["doc_id"] for line in lines if line.endswith("}")}
    assert 12 <= len(written) < PAGES
    state = json.loads((state_dir / "crawl" / "test" / "avis.json").read_text())
    assert state["open_runs"] == [str(first_output.resolve())]  # the killed run is still open

    summary, docs = run_crawl(config, "avis", interval=RUN2)
    assert summary["replayed_from_killed_run"] >= len(written) - 1  # a torn last line is not a Document
    resumed = [d["doc_id"] for d in docs]
    assert len(resumed) == len(set(resumed))
    assert not written & set(resumed), "a Document written before the kill was written again"
    assert len(written) + len(resumed) == PAGES, "a Document was lost"
    state = json.loads((state_dir / "crawl" / "test" / "avis.json").read_text())
    assert state["open_runs"] == [] and len(state["items"]) == PAGES


def test_same_interval_rerun_appends_only_what_is_missing(tmp_path, state_dir, fixture_site, watch_file, run_crawl):
    server = fixture_site(_site(tmp_path))
    config = watch_file([{"id": "avis", "kind": "web", "url": server.url("/sitemap.xml"),
                          "options": {"min_text_chars": 50}}])
    summary, docs = run_crawl(config, "avis", interval=RUN1)
    assert len(docs) == PAGES
    output = summary["output"]
    with open(output, "a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "torn')  # a line cut by a crash
    (state_dir / "crawl" / "test" / "avis.json").unlink()  # even without state: no duplicate in the file
    again, _ = run_crawl(config, "avis", interval=RUN1)
    assert again["duplicates_by_reason"]["in_output"] == PAGES
    raw_lines = Path(output).read_text(encoding="utf-8").splitlines()
    assert len(raw_lines) == PAGES, "the torn line was not repaired"
    lines = [json.loads(line) for line in raw_lines]  # every line parses
    assert len({d["doc_id"] for d in lines}) == PAGES
