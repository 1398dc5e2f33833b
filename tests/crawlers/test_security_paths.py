"""Relative ``--out``, ``--config`` and ``VIGIE_STATE_DIR`` given to ``vigie crawl`` are resolved by the
parent, against the caller's working directory (the crawl child runs in the project folder)."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import VIGIE
from vigie.crawlers.run import _project_root


def test_relative_paths_are_the_callers(fixture_site, watch_file, tmp_path):
    server = fixture_site("feed")
    here = tmp_path / "ailleurs"
    watch_file([{"id": "presse", "kind": "feed", "url": server.url("/atom.xml"),
                 "options": {"download_delay": 0}}], folder=here)
    env = dict(os.environ, COLUMNS="200", VIGIE_STATE_DIR="etat")
    result = subprocess.run([VIGIE, "crawl", "--config", "watch.yaml", "--out", "brut", "--json",
                             "--interval", "2026-11-19T09:00:00Z/2026-11-19T10:00:00Z"],
                            capture_output=True, text=True, env=env, cwd=here, timeout=300)
    assert result.returncode == 0, result.stderr
    [summary] = json.loads(result.stdout)
    assert summary["status"] == "ok", summary
    output = here / "brut" / "test" / "presse" / "20261119T090000Z--20261119T100000Z.jsonl"
    assert summary["output"] == str(output) and summary["new"] == 2
    assert len(output.read_text(encoding="utf-8").splitlines()) == 2
    assert (here / "etat" / "crawl" / "test" / "presse.json").is_file()
    assert not (_project_root() / "brut").exists() and not (_project_root() / "etat").exists()
