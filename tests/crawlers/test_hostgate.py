"""Politeness per host across the sources of one crawl process (``vigie.crawlers.hostgate``): the
server records when each request arrives."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tests.crawlers.harness import RUN1, TEST_SETTINGS
from tests.crawlers.server import FixtureServer
from vigie.crawlers.run import crawl_batch

PAGES = 4
# the test settings without what would replace the sources' own politeness options
POLITE_SETTINGS = {k: v for k, v in TEST_SETTINGS.items()
                   if k not in ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN")}


@pytest.fixture
def hosts():
    servers = [FixtureServer(host=f"127.0.0.{n}").start() for n in (2, 3)]
    yield servers
    for server in servers:
        server.stop()


def _site(server: FixtureServer, name: str, pages: int = PAGES) -> str:
    links = "".join(f'<li><a href="/{name}/{i}.html">page {i}</a></li>' for i in range(pages))
    server.route(f"/{name}/", body=f"<html lang='fr'><head><title>{name}</title></head><body><ul>{links}</ul>"
                                   "</body></html>")
    for i in range(pages):
        server.route(f"/{name}/{i}.html", body="<html lang='fr'><body><article><h1>Page</h1><p>"
                     + f"Compte rendu {name} numéro {i} du conseil municipal de la commune. " * 10
                     + "</p></article></body></html>")
    return server.url(f"/{name}/")


def test_sources_of_one_host_share_its_politeness_and_other_hosts_go_on(hosts, watch_file, tmp_path, state_dir):
    same, other = hosts
    polite = {"download_delay": 0.5, "obey_robots": False, "concurrency": 2}
    config = watch_file([
        {"id": "mairie", "kind": "web", "url": _site(same, "mairie"), "options": polite},
        {"id": "agenda", "kind": "web", "url": _site(same, "agenda"), "options": polite},
        {"id": "presse", "kind": "web", "url": _site(other, "presse"), "options": polite},
    ])
    summaries = crawl_batch(config, [("test", s) for s in ("mairie", "agenda", "presse")], tmp_path / "out",
                            POLITE_SETTINGS, interval=RUN1, timeout=120)
    assert [s["status"] for s in summaries] == ["ok"] * 3
    assert all(s["fetched"] == PAGES + 1 for s in summaries)

    # the two sources of one host: every two consecutive requests that host received are a delay apart
    # (measured by the server; without the shared gate both sources start at the same instant)
    times = sorted(hit.time for hit in same.hits)
    assert len(times) == 2 * (PAGES + 1)
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.4, f"requests to one host closer than its sources' delay: {gaps}"
    # the other host is not held by the first one: its requests arrive while the first host's go on
    other_times = sorted(hit.time for hit in other.hits)
    assert len(other_times) == PAGES + 1
    assert min(abs(t - u) for t in other_times for u in times) < 0.25
    assert other_times[0] < times[-1]


def test_a_request_waiting_for_its_host_is_cut_by_its_source_time_limit(hosts, watch_file, tmp_path, state_dir):
    same, _other = hosts
    slow = {"download_delay": 2.0, "obey_robots": False, "concurrency": 1}
    config = watch_file([
        {"id": "mairie", "kind": "web", "url": _site(same, "mairie", 12), "options": slow},
        {"id": "agenda", "kind": "web", "url": _site(same, "agenda", 12), "options": slow},
    ])
    # at most 2 requests per source in its downloader: the rest stays in its scheduler, dropped at close
    summaries = crawl_batch(config, [("test", "mairie"), ("test", "agenda")], tmp_path / "out",
                            {**POLITE_SETTINGS, "CONCURRENT_REQUESTS": 2}, interval=RUN1, timeout=3)
    assert [s["reason"] for s in summaries] == ["closespider_timeout"] * 2
    # the requests queued at the host's gate when the time limit came were refused, not sent later
    assert sum(s["cut_at_close"] for s in summaries) >= 1
    assert len(same.hits) < 2 * 13
    assert all(s["errors"] == 0 for s in summaries)
