"""`bench/departement_day.py` at a tiny scale, end to end against the test node (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["collect", "enrich", "index", "influence", "alerts", "digest"]


def test_departement_day_runs_every_stage_and_lands_the_documents(es_url, tmp_path):
    from vigie.indexes.client import connect
    from vigie.settings import ESSettings

    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "departement_day.py"), "--scale", "0.005",
                           "--hosts", "4", "--elasticsearch-url", es_url, "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [row["stage"] for row in report["stages"]] == STAGES
    for row in report["stages"]:
        assert row["seconds"] >= 0 and row["peak_rss_mib"] > 0, row
        assert row["documents"] > 0, row
    # Every kind of source answered; the documents crawled are the ones enriched, indexed and scored.
    assert report["failed_sources"] == 0
    assert {"feed", "mastodon", "discourse", "reddit"} <= set(report["kinds"])
    collected = report["stages"][0]["documents"]
    assert collected >= 0.9 * report["generated_documents"]
    assert report["indexed"]["indexed"] == collected == report["stages"][1]["documents"]
    assert report["store"]["documents"] >= collected and report["store"]["primaries_bytes"] > 0
    assert report["influence_accounts"] > 0
    assert report["digest"]["status"] == "written"
    assert "whole" in done.stdout and "| **whole** |" in done.stdout
    # The run cleans its own indices.
    client = connect(ESSettings.from_env(url=es_url))
    try:
        assert not list(client.indices.get(index=f"{report['prefix']}-*", expand_wildcards="all"))
    finally:
        client.close()
