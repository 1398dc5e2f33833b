"""`vigie extract FILE --kind KIND` on saved pages and feeds (fixtures of tests/fixtures/sites/ and the
feed corpus of tests/fixtures/feeds_corpus/), through the real executable; and the feed corpus
measure of bench/feed_corpus.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import VIGIE
from tests.crawlers.sites import SITES
from vigie.schema import make_doc_id

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "feeds_corpus"
FORUM_OPTIONS = {"thread_list": ".structItem-title a", "post": "article.message", "text": ".bbWrapper",
                 "author": ".message-name", "date": "time.u-dt", "post_id": "::attr(data-content)",
                 "title": "h1.p-title-value", "next_page": "a.pageNav-jump--next"}


def extract(path: Path, *args: str, code: int = 0) -> tuple[list[dict], dict | str]:
    result = subprocess.run([VIGIE, "extract", str(path), *args, "--json"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == code, result.stderr
    if code:
        return [], result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], json.loads(result.stderr.splitlines()[-1])


def test_telegram_page_gives_what_the_crawl_gives(fixture_site, watch_file, run_crawl):
    docs, report = extract(SITES / "telegram" / "s" / "mairie_lambersart", "--kind", "telegram")
    assert report["endpoint"] == "channel" and report["links"] == ["?before=118"]
    assert [n["reason"] for n in report["noted"]] == ["media_only"]  # message 119: a photo without caption
    server = fixture_site("telegram")
    config = watch_file([{"id": "canal", "kind": "telegram", "url": "https://t.me/s/mairie_lambersart",
                          "options": {"base_url": server.base_url}}])
    _, crawled = run_crawl(config, "canal")
    by_id = {d["item_id"]: d for d in crawled}
    assert [d["item_id"] for d in docs] == ["mairie_lambersart/118", "mairie_lambersart/120",
                                            "mairie_lambersart/121"]
    for doc in docs:  # one code path: the same Document fields as the spider's
        for field in ("text", "url", "author", "published_at", "kind", "engagement"):
            assert doc[field] == by_id[doc["item_id"]][field], field


def test_forum_pages():
    base = "https://forum.example"
    docs, report = extract(SITES / "phpbb" / "forum" / "viewtopic.php@t=12", "--kind", "phpbb",
                           "--url", f"{base}/viewtopic.php?t=12")
    assert report["endpoint"] == "topic" and [d["author"]["handle"] for d in docs] == ["jeanne59", "marc_l"]
    assert docs[1]["parent_id"] == docs[0]["doc_id"] and docs[0]["kind"] == "post"
    assert report["links"] == [f"{base}/viewtopic.php?start=10&t=12"]
    docs, report = extract(SITES / "phpbb" / "forum" / "viewforum.php@f=2", "--kind", "phpbb",
                           "--url", f"{base}/viewforum.php?f=2")
    assert docs == [] and report["endpoint"] == "forum" and f"{base}/viewtopic.php?t=15" in report["links"]
    docs, report = extract(SITES / "spip" / "spip.php@article12", "--kind", "spip",
                           "--url", "https://mairie.example/spip.php?article12")
    assert report["endpoint"] == "article" and [d["kind"] for d in docs] == ["article"] + ["comment"] * 3
    reply = next(d for d in docs if d["item_id"] == "mairie.example/forum36")  # an answer to forum34
    assert reply["parent_id"] == make_doc_id("spip", "mairie.example/forum34")
    docs, report = extract(SITES / "spip" / "spip.php@rubrique2", "--kind", "spip",
                           "--url", "https://mairie.example/spip.php?rubrique2")
    assert report["endpoint"] == "listing" and len(report["links"]) == 2


def test_generic_forum_needs_the_source_selectors(watch_file):
    page = SITES / "forum" / "threads" / "piscine-fermee.123" / "index.html"
    _, error = extract(page, "--kind", "forum", code=1)
    assert "--config WATCH --source ID" in error
    config = watch_file([{"id": "forum-ville", "kind": "forum", "url": "https://forum.example/forums/vie-locale/",
                          "options": FORUM_OPTIONS}])
    docs, report = extract(page, "--config", str(config), "--source", "forum-ville",
                           "--url", "https://forum.example/threads/piscine-fermee.123/")
    assert report["kind"] == "forum" and report["endpoint"] == "thread" and len(docs) >= 2
    assert docs[0]["source_id"] == "forum-ville" and docs[0]["watch_ids"] == ["test"]
    assert all(d["thread_id"] == docs[0]["doc_id"] for d in docs)
    _, error = extract(page, "--config", str(config), "--source", "nope", code=2)
    assert "no source 'nope'" in error


def test_feed_and_web_page():
    docs, report = extract(SITES / "feed" / "rss.xml", "--kind", "feed", "--url", "https://courrier.example/rss.xml")
    assert report["endpoint"] == "feed" and len(docs) == 6 and all(d["kind"] == "article" for d in docs)
    page = SITES / "feed" / "articles" / "travaux-rue-foch.html"
    docs, report = extract(page, "--kind", "web", "--url", "https://courrier.example/travaux.html")
    assert docs[0]["title"] == "Travaux rue Foch : trois semaines de circulation alternée"
    assert docs[0]["author"]["name"] == "Claire Vasseur"
    _, error = extract(SITES / "feed" / "broken" / "error-page.xml", "--kind", "feed", code=1)
    assert "not a feed" in error


def test_feed_entries_without_link_or_guid_get_a_stable_id():
    feed = CORPUS / "rss" / "item_content_encoded.xml"  # one <item> with only content:encoded
    first, _ = extract(feed, "--kind", "feed", "--url", "https://feeds.example/rss.xml")
    again, _ = extract(feed, "--kind", "feed", "--url", "https://feeds.example/rss.xml")
    assert len(first) == 1 and first[0]["text"] == "Example content" and first[0]["url"] is None
    assert first[0]["item_id"].startswith("https://feeds.example/rss.xml#entry-")
    assert first[0]["item_id"] == again[0]["item_id"] and "published_at_estimated" in first[0]["flags"]


def test_feeds_of_other_scripts_without_charset_read_as_readers_read_them():
    docs, _ = extract(CORPUS / "illformed" / "chardet" / "koi8r.xml", "--kind", "feed")
    assert docs[0]["title"] == "Как пережить новогоднюю ночь"
    docs, _ = extract(CORPUS / "illformed" / "chardet" / "shiftjis.xml", "--kind", "feed")
    assert docs[0]["title"] == "DrecomRSSに記事投稿が反映されない…"
    docs, _ = extract(CORPUS / "illformed" / "chardet" / "windows1255.xml", "--kind", "feed")
    assert docs[0]["text"].startswith("האם תדפיס נייר של אתר אינטרנט")
    # a Latin-1 feed declared UTF-8 keeps feedparser's Windows-1252 reading (no detector guess)
    docs, _ = extract(SITES / "feed" / "broken" / "latin1-declared-utf8.xml", "--kind", "feed")
    assert docs[0]["title"] == "Fête de quartier réussie au Canon d'Or"


def test_feed_corpus_keeps_what_a_reader_shows():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "feed_corpus.py"), "--json"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    measure = json.loads(result.stdout)
    assert measure["feeds"] >= 150 and measure["feeds_with_entries"] >= 80
    assert measure["crashes"] == []
    assert measure["charsets_checked"] >= 7 and measure["charsets_wrong"] == []
    assert measure["share_feeds"] >= 0.95, measure["incomplete"]


def test_api_payloads_of_our_own_fixtures():
    """Endpoints without a real recording yet (Decidim) and the shapes a recording lacked (a context with
    replies): the hand-made payloads of tests/fixtures/sites/api/."""
    api = SITES / "api"
    docs, report = extract(api / "mastodon" / "context_113520870012340001.json", "--kind", "mastodon")
    root = make_doc_id("mastodon", "mastodon.example/113520870012340001")  # found from the descendants
    assert report["endpoint"] == "context" and len(docs) == 2 and all(d["thread_id"] == root for d in docs)
    url = "https://participer.example/processes/budget-2027"
    docs, report = extract(api / "decidim" / "processes.json", "--kind", "decidim", "--url", url)
    assert report["endpoint"] == "processes" and len(docs) == 2
    _, report = extract(api / "decidim" / "components_7.json", "--kind", "decidim", "--url", url)
    assert report["endpoint"] == "components" and report["links"] == ["component 32 (Proposals)",
                                                                      "component 33 (Debates)"]
    docs, report = extract(api / "decidim" / "proposals_32.json", "--kind", "decidim", "--url", url)
    assert report["endpoint"] == "component" and [s["reason"] for s in report["skipped"]] == ["removed"]
    assert docs[0]["url"].startswith(f"{url}/f/32/proposals/")
    _, error = extract(api / "decidim" / "error_graphql.json", "--kind", "decidim", "--url", url, code=1)
    assert "error answer of the platform" in error
    _, error = extract(api / "decidim" / "invalid.json", "--kind", "decidim", "--url", url, code=1)
    assert "not valid JSON" in error


def test_spip_forum_of_spip_2_markup():
    """SPIP forums vary: here the anchor sits in the message's title and the date and author only in
    the text of a <small> ("6 novembre 2026, 21:05, par Martine"), one reply nested, one not."""
    docs, _ = extract(SITES / "spip" / "spip.php@article21", "--kind", "spip",
                      "--url", "https://mairie.example/spip.php?article21")
    messages = {d["item_id"]: d for d in docs if d["kind"] == "comment"}
    assert sorted(messages) == ["mairie.example/forum51", "mairie.example/forum52", "mairie.example/forum53"]
    article = make_doc_id("spip", "mairie.example/article21")
    assert messages["mairie.example/forum51"]["parent_id"] == article
    assert messages["mairie.example/forum53"]["parent_id"] == messages["mairie.example/forum51"]["doc_id"]
    assert messages["mairie.example/forum52"]["author"]["name"] == "Paul D."
    assert messages["mairie.example/forum52"]["published_at"] == "2026-11-06T22:40:00+01:00"  # Paris time
    assert messages["mairie.example/forum53"]["text"].startswith("Oui, une quarantaine de places")
