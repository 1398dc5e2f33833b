"""``vigie crawl --deadline``: the whole run is bounded; sources stopped or never started (a later
batch: here batches of one source) are reported as timed out."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import VIGIE

PAGES = 30


def _slow_site(fixture_site, watch_file):
    """A site of 30 pages answering in 1 s each (30 s to crawl), and a second source on it."""
    site = fixture_site(None)
    links = "".join(f'<li><a href="/lent/{i}.html">page {i}</a></li>' for i in range(PAGES))
    site.route("/", body=f"<html lang='fr'><head><title>Accueil</title></head><body><ul>{links}</ul></body></html>")
    for i in range(PAGES):
        site.route(f"/lent/{i}.html", delay=1, body="<html lang='fr'><body><article><h1>Page lente</h1><p>"
                   + f"Compte rendu numéro {i} du conseil de quartier. " * 12 + "</p></article></body></html>")
    options = {"obey_robots": False, "download_delay": 0, "concurrency": 1, "timeout": 10}
    config = watch_file([{"id": "lent", "kind": "web", "url": site.url("/"), "options": options},
                         {"id": "suivant", "kind": "web", "url": site.url("/suivant/"), "options": options}])
    return site, config


def test_deadline_stops_the_run_and_reports_timed_out_sources(fixture_site, watch_file, tmp_path, state_dir):
    site, config = _slow_site(fixture_site, watch_file)
    env = dict(os.environ, COLUMNS="200", VIGIE_STATE_DIR=str(state_dir))
    out = tmp_path / "brut"
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--out", str(out), "--deadline", "3",
                             "--batch-size", "1"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    # the table says which sources timed out, and why
    assert "test/lent timed out" in result.stdout, result.stdout
    assert "test/suivant timed out" in result.stdout and "not started" in result.stdout
    [summary_file] = (out / "test" / "lent").glob("*.summary.json")
    slow = json.loads(summary_file.read_text(encoding="utf-8"))
    assert slow["reason"] == "closespider_timeout"
    assert 0 < slow["fetched"] < PAGES + 1  # stopped midway; what it collected is kept
    assert site.hits_for("/") and not site.hits_for("/suivant/"), "a source was started after the deadline"


def test_crawl_watch_reports_timed_out_and_not_started_sources(fixture_site, watch_file, tmp_path, state_dir):
    from vigie.crawlers.run import crawl_watch

    site, config = _slow_site(fixture_site, watch_file)
    slow, following = crawl_watch(config, tmp_path / "brut", deadline=3, batch_size=1)
    assert slow["source"] == "lent" and slow["timed_out"] is True and slow["status"] == "ok"
    assert following["source"] == "suivant" and following["timed_out"] is True
    assert following["status"] == "failed" and following["error"].startswith("not started")
    assert not site.hits_for("/suivant/")
