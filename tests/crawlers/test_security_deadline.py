"""``vigie crawl --deadline``: the whole run is bounded; sources stopped or never started are
reported as timed out."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import VIGIE

PAGES = 30


def test_deadline_stops_the_run_and_reports_timed_out_sources(fixture_site, watch_file, tmp_path, state_dir):
    site = fixture_site(None)
    links = "".join(f'<li><a href="/lent/{i}.html">page {i}</a></li>' for i in range(PAGES))
    site.route("/", body=f"<html lang='fr'><head><title>Accueil</title></head><body><ul>{links}</ul></body></html>")
    for i in range(PAGES):
        site.route(f"/lent/{i}.html", delay=1, body="<html lang='fr'><body><article><h1>Page lente</h1><p>"
                   + f"Compte rendu numéro {i} du conseil de quartier. " * 12 + "</p></article></body></html>")
    options = {"obey_robots": False, "download_delay": 0, "concurrency": 1, "timeout": 10}
    config = watch_file([{"id": "lent", "kind": "web", "url": site.url("/"), "options": options},
                         {"id": "suivant", "kind": "web", "url": site.url("/suivant/"), "options": options}])
    env = dict(os.environ, COLUMNS="200", VIGIE_STATE_DIR=str(state_dir))
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--out", str(tmp_path / "brut"),
                             "--deadline", "3", "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    slow, following = json.loads(result.stdout)
    assert slow["source"] == "lent" and slow["timed_out"] is True and slow["reason"] == "closespider_timeout"
    assert 0 < slow["fetched"] < PAGES + 1  # stopped midway; what it collected is kept
    assert following["source"] == "suivant" and following["timed_out"] is True
    assert following["status"] == "failed" and following["error"].startswith("not started")
    assert site.hits_for("/") and not site.hits_for("/suivant/"), "a source was started after the deadline"

    # the table says which sources timed out
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--out", str(tmp_path / "brut"),
                             "--source", "suivant", "--deadline", "0.001"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "test/suivant timed out" in result.stdout and "not started" in result.stdout
