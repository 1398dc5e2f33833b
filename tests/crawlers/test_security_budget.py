"""Timeouts and retries count against ``max_pages``: a source of timeouts stops early."""

from __future__ import annotations

SLOW = 20


def test_a_site_of_timeouts_stops_at_max_pages_attempts(fixture_site, watch_file, run_crawl):
    site = fixture_site(None)
    links = "".join(f'<li><a href="/lent/{i}.html">page {i}</a></li>' for i in range(SLOW))
    site.route("/", body=f"<html lang='fr'><head><title>Accueil</title></head><body><ul>{links}</ul></body></html>")
    for i in range(SLOW):
        site.route(f"/lent/{i}.html", body="<html><body>trop tard</body></html>", delay=3)
    config = watch_file([{"id": "lent", "kind": "web", "url": site.url("/"),
                          "options": {"obey_robots": False, "max_pages": 5,
                                      "index_start_pages": False}}])
    summary, docs = run_crawl(config, "lent", settings={"RETRY_TIMES": 2, "DOWNLOAD_TIMEOUT": 1,
                                                             "CONCURRENT_REQUESTS_PER_DOMAIN": 4})
    slow_hits = [p for p in site.paths() if p.startswith("/lent/")]
    # the start page and 4 timed-out attempts use up max_pages (without the budget: 20 links x 3 attempts)
    assert len(slow_hits) == 4, slow_hits
    assert summary["reason"] == "closespider_pagecount", summary
    assert summary["fetched"] == 1 and summary["failed_attempts"] == 4 and summary["over_budget"] >= 1
    assert summary["errors_by_reason"] == {"timeout": 4}, summary  # each failed URL counted once
    assert docs == []
