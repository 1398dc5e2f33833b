"""`vigie crawl` and `vigie extract` through the real executable."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import VIGIE
from tests.crawlers.sites import SITES


def _env(state_dir):
    env = dict(os.environ, COLUMNS="200", VIGIE_STATE_DIR=str(state_dir))
    return env


def test_crawl_command(fixture_site, watch_file, tmp_path, state_dir):
    server = fixture_site("feed")
    config = watch_file([
        {"id": "presse", "kind": "feed", "url": server.url("/atom.xml"), "options": {"download_delay": 0}},
        {"id": "exports", "kind": "import", "options": {"path": "absent.csv"}},
        {"id": "en-pause", "kind": "feed", "url": server.url("/rss.xml"), "enabled": False},
    ])
    out = tmp_path / "raw"
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--out", str(out),
                             "--interval", "2026-11-19T09:00:00Z/2026-11-19T10:00:00Z"],
                            capture_output=True, text=True, env=_env(state_dir), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "test/presse" in result.stdout and "test/exports" in result.stdout and "en-pause" not in result.stdout
    assert "failed" in result.stdout and "absent.csv does not exist" in result.stdout
    output = out / "test" / "presse" / "20261119T090000Z--20261119T100000Z.jsonl"
    assert len(output.read_text(encoding="utf-8").splitlines()) == 2
    summary = json.loads(output.with_name(output.name.replace(".jsonl", ".summary.json")).read_text())
    assert summary["new"] == 2

    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--source", "presse", "--out", str(out),
                             "--interval", "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z", "--json"],
                            capture_output=True, text=True, env=_env(state_dir), timeout=300)
    assert result.returncode == 0, result.stderr
    [again] = json.loads(result.stdout)
    assert again["source"] == "presse" and again["new"] == 0 and again["status"] == "ok"


def test_crawl_command_configuration_errors(tmp_path, watch_file, state_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("watches:\n  - id: test\n    name: T\n    territory: {communes: ['5932']}\n", encoding="utf-8")
    result = subprocess.run([VIGIE, "crawl", "--config", str(bad), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True, env=_env(state_dir), timeout=120)
    assert result.returncode == 2 and "is not an INSEE commune code" in result.stderr
    config = watch_file([{"id": "presse", "kind": "feed", "url": "https://example.org/rss"}])
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--source", "inconnue",
                             "--out", str(tmp_path / "o")], capture_output=True, text=True,
                            env=_env(state_dir), timeout=120)
    assert result.returncode == 2 and "no source 'inconnue'" in result.stderr
    result = subprocess.run([VIGIE, "crawl", "--config", str(config), "--watch", "autre",
                             "--out", str(tmp_path / "o")], capture_output=True, text=True,
                            env=_env(state_dir), timeout=120)
    assert result.returncode == 2 and "no watch 'autre'" in result.stderr


def test_extract_command(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((SITES / "feed" / "articles" / "travaux-rue-foch.html").read_bytes())
    result = subprocess.run([VIGIE, "extract", str(page), "--url", "https://courrier.example/travaux.html", "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "Travaux rue Foch : trois semaines de circulation alternée"
    assert data["published_at"] == "2026-11-18T07:30:00+01:00" and data["author"] == "Claire Vasseur"
    assert "arrêt provisoire est installé devant la pharmacie" in data["text"]
    assert "Mentions légales" not in data["text"]
    result = subprocess.run([VIGIE, "extract", str(page)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("title:")
