"""forum: a generic forum described by CSS selectors (XenForo-like markup here)."""

from __future__ import annotations

from tests.crawlers.sites import BASE, fixture_text
from vigie.crawlers.extract import forum

OPTIONS = {
    "thread_list": ".structItem-title a",
    "post": "article.message",
    "text": ".bbWrapper",
    "author": ".message-name",
    "date": "time.u-dt",
    "post_id": "::attr(data-content)",
    "title": "h1.p-title-value",
    "next_page": "a.pageNav-jump--next",
}


def test_listing_and_thread():
    listing = forum.listing(fixture_text("forum", "forums/vie-locale/index.html"), f"{BASE}/forums/vie-locale/",
                            OPTIONS)
    assert listing == {"threads": [f"{BASE}/threads/piscine-fermee.123/"], "next": f"{BASE}/forums/vie-locale/page-2"}
    thread = forum.thread(fixture_text("forum", "threads/piscine-fermee.123/index.html"),
                          f"{BASE}/threads/piscine-fermee.123/", OPTIONS)
    assert thread["title"] == "Piscine municipale fermée jusqu'en janvier ?"
    first, second = thread["posts"]
    assert (first["post_id"], first["author"]) == ("post-501", "Paul")
    assert first["published_at"].isoformat() == "2026-11-15T09:12:00+01:00"
    assert second["text"].startswith("D'après la newsletter de la mairie")
    fields = forum.post_fields(second, f"{BASE}/threads/piscine-fermee.123/", thread["title"], "post-501", False)
    assert fields["item_id"] == f"{BASE}/threads/piscine-fermee.123/#post-502" and fields["kind"] == "comment"


def test_bad_options_are_reported():
    problems = forum.check_options({"thread_list": "a[", "post": "article"})
    assert "options.text is required (a CSS selector)" in problems
    assert any(p.startswith("options.thread_list: invalid CSS selector") for p in problems)


def test_forum_crawl(fixture_site, watch_file, run_crawl):
    server = fixture_site("forum")
    config = watch_file([{"id": "voisins", "kind": "forum", "url": server.url("/forums/vie-locale/"),
                          "options": OPTIONS}])
    summary, docs = run_crawl(config, "voisins")
    assert sorted(d["item_id"].rsplit("#", 1)[1] for d in docs) == ["post-501", "post-502", "post-505", "post-601"]
    assert summary["errors_by_reason"] == {"no_date": 1}  # post 506 has no date
    later = next(d for d in docs if d["item_id"].endswith("post-505"))
    first = next(d for d in docs if d["item_id"].endswith("post-501"))
    assert later["thread_id"] == first["doc_id"] and first["title"].startswith("Piscine")
    again, docs2 = run_crawl(config, "voisins", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    assert docs2 == [] and again["new"] == 0


def test_forum_with_bad_selectors_fails_cleanly(fixture_site, watch_file, run_crawl):
    server = fixture_site("forum")
    config = watch_file([{"id": "voisins", "kind": "forum", "url": server.url("/forums/vie-locale/"),
                          "options": {"thread_list": "a["}}])
    summary, docs = run_crawl(config, "voisins", expect_ok=False)  # refused at load, with key paths and lines
    assert docs == [] and summary["status"] == "failed" and "ConfigError" in summary["error"]
    assert "sources[0].options.post (line 12): required option of kind 'forum' is missing" in summary["error"]
    assert "sources[0].options.thread_list (line 12): invalid CSS selector 'a['" in summary["error"]
