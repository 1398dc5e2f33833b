"""Killing ``vigie crawl`` midway (SIGTERM, or SIGKILL that it cannot catch) ends its crawl process,
and the next run resumes: no Document lost, none written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import VIGIE
from tests.crawlers.harness import RUN1, RUN2, read_jsonl
from vigie.crawlers.run import output_paths

PAGES = 40
SOURCES = ("avis-a", "avis-b")


def _slow_site(fixture_site):
    site = fixture_site(None)
    for source in SOURCES:
        urls = "".join(f"<url><loc>{site.url(f'/{source}/{i}.html')}</loc></url>" for i in range(PAGES))
        site.route(f"/{source}/sitemap.xml", content_type="application/xml",
                   body="<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                        f"{urls}</urlset>")
        for i in range(PAGES):  # slow pages: the crawl is still running when it is killed
            site.route(f"/{source}/{i}.html", delay=0.15, body=(
                f"<html lang='fr'><head><title>Avis {source} n° {i}</title></head><body><article>"
                f"<h1>Avis {source} n° {i}</h1><p>Avis municipal numéro {i} de {source} : le stationnement est "
                f"réglementé rue numéro {i * 7} pour des travaux de voirie sur le réseau numéro {i * 13}. "
                "Merci de votre compréhension.</p></article></body></html>"))
    return site


def crawl_processes(marker: str) -> list[int]:
    """Live ``vigie.crawlers.run`` processes whose command line mentions ``marker`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"vigie.crawlers.run" in command and any(marker.encode() in part for part in command):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_killed_vigie_crawl_leaves_no_child_and_resumes(how, fixture_site, watch_file, tmp_path, state_dir):
    site = _slow_site(fixture_site)
    options = {"download_delay": 0, "obey_robots": False, "concurrency": 2, "min_text_chars": 50}
    config = watch_file([{"id": s, "kind": "web", "url": site.url(f"/{s}/sitemap.xml"), "options": options}
                         for s in SOURCES])
    out = tmp_path / "brut"
    env = dict(os.environ, COLUMNS="200", VIGIE_STATE_DIR=str(state_dir))
    command = [VIGIE, "crawl", "--config", str(config), "--out", str(out)]
    first = {s: output_paths(out, "test", s, RUN1)["output"] for s in SOURCES}
    vigie = subprocess.Popen([*command, "--interval", RUN1], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        ends = time.monotonic() + 120
        while time.monotonic() < ends and min(len(read_jsonl(p)) for p in first.values()) < 6:
            assert vigie.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.05)
        children = crawl_processes(str(out))
        assert len(children) == 1, "one crawl process for the batch of two sources"
        os.kill(vigie.pid, how)
        vigie.wait(timeout=120)
    finally:
        if vigie.poll() is None:
            vigie.kill()
    ends = time.monotonic() + 90
    while crawl_processes(str(out)) and time.monotonic() < ends:
        time.sleep(0.2)
    assert not crawl_processes(str(out)), f"a crawl process outlived `vigie crawl` killed by {how.name}"
    for source in SOURCES:  # stopped gracefully: each source says its run is incomplete (a retry crawls it)
        stopped = json.loads(output_paths(out, "test", source, RUN1)["summary"].read_text(encoding="utf-8"))
        assert stopped["status"] == "failed" and stopped["reason"] == "shutdown", stopped
    written = {s: [d["doc_id"] for d in read_jsonl(p)] for s, p in first.items()}
    # an orphaned crawl process would have gone on crawling until the end
    assert all(len(ids) < PAGES for ids in written.values()), "the crawl went on after `vigie crawl` was killed"

    again = subprocess.run([*command, "--interval", RUN2], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    for source in SOURCES:
        resumed = [d["doc_id"] for d in read_jsonl(output_paths(out, "test", source, RUN2)["output"])]
        before = written[source]
        assert len(set(before)) == len(before) and len(set(resumed)) == len(resumed)
        assert not set(before) & set(resumed), "a Document written before the kill was written again"
        assert len(before) + len(resumed) == PAGES, "a Document was lost"
