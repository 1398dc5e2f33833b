"""Politeness: robots.txt, Retry-After on 429/503, an identifying User-Agent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.crawlers.sites import fixture_bytes
from vigie.crawlers.middlewares.retryafter import retry_after_seconds
from vigie.crawlers.settings import source_settings, user_agent


def test_retry_after_values():
    now = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0  # in the past
    assert retry_after_seconds("bientôt") is None and retry_after_seconds(None) is None


def test_user_agent_and_source_options():
    assert user_agent("https://www.ville.example/contact").endswith("(+https://www.ville.example/contact)")
    assert user_agent().startswith("Vigie/") and "contact not configured" in user_agent()

    from vigie.config import Source

    source = Source(id="s", kind="web", url="https://ville.example/",
                    options={"obey_robots": False, "max_pages": 20, "depth": 1, "download_delay": 0})
    settings = source_settings(source, None, {"CONCURRENT_REQUESTS": 4})
    assert settings["ROBOTSTXT_OBEY"] is False and settings["CLOSESPIDER_PAGECOUNT"] == 20
    assert settings["DEPTH_LIMIT"] == 1 and settings["CONCURRENT_REQUESTS"] == 4
    assert settings["DOWNLOAD_MAXSIZE"] == 10 * 1024 * 1024 and settings["REDIRECT_MAX_TIMES"] == 5


def test_robots_txt_obeyed_unless_the_source_says_otherwise(fixture_site, watch_file, run_crawl):
    server = fixture_site("web")
    server.robots("User-agent: *\nDisallow: /actualites/\n")
    config = watch_file([
        {"id": "poli", "kind": "web", "url": server.url("/actualites/patinoire.html"),
         "options": {"index_start_pages": True, "follow_links": False}},
        {"id": "impoli", "kind": "web", "url": server.url("/actualites/patinoire.html"),
         "options": {"index_start_pages": True, "follow_links": False, "obey_robots": False}},
    ], user_agent_contact="mailto:communication@lambersart.example")
    summary, docs = run_crawl(config, "poli")
    assert docs == [] and summary["errors_by_reason"] == {"robots_txt": 1}
    assert not server.hits_for("/actualites/patinoire.html")
    assert server.hits_for("/robots.txt")[0].headers["User-Agent"].endswith(
        "(+mailto:communication@lambersart.example)")
    summary, docs = run_crawl(config, "impoli")
    assert len(docs) == 1 and server.hits_for("/actualites/patinoire.html")


def test_retry_after_is_honoured(fixture_site, watch_file, run_crawl):
    server = fixture_site("feed")
    rss = fixture_bytes("feed", "atom.xml", server.base_url)
    server.route("/atom.xml", responses=[{"status": 429, "headers": {"Retry-After": "2"}},
                                         {"body": rss, "content_type": "application/atom+xml"}])
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=3), usegmt=True)
    server.route("/busy.xml", responses=[{"status": 503, "headers": {"Retry-After": later}},
                                         {"body": rss, "content_type": "application/atom+xml"}])
    server.route("/never.xml", status=429, headers={"Retry-After": "86400"})
    config = watch_file([{"id": "presse", "kind": "feed", "urls": [
        server.url("/atom.xml"), server.url("/busy.xml"), server.url("/never.xml")], "options": {"follow": False}}])
    summary, docs = run_crawl(config, "presse")
    first, second = server.hits_for("/atom.xml")
    assert second.time - first.time >= 1.9
    busy = server.hits_for("/busy.xml")
    assert len(busy) == 2 and busy[1].time - busy[0].time >= 1.5  # an HTTP date, second precision
    assert len(server.hits_for("/never.xml")) == 1  # a day is more than RETRY_AFTER_MAX: given up
    assert summary["retry_after_honoured"] == 2 and summary["errors_by_reason"] == {"http_429": 1}
    assert len(docs) == 2  # the two Atom entries, once (the second feed is the same entries)
