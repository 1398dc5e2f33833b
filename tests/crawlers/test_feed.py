"""feed: RSS, Atom, JSON Feed; pages followed for summaries; broken feeds counted."""

from __future__ import annotations

from tests.crawlers.sites import BASE, fixture_bytes
from vigie.crawlers.extract import feed


def test_rss_entries_are_articles_with_canonical_ids():
    result = feed.parse_feed(fixture_bytes("feed", "rss.xml"), f"{BASE}/rss.xml")
    assert result["error"] is None and result["language"] == "fr"
    entries = {e["title"]: e for e in result["entries"]}
    assert len(entries) == 6
    foch = entries["Travaux rue Foch : trois semaines de circulation alternée"]
    assert foch["item_id"] == f"{BASE}/articles/travaux-rue-foch.html"  # utm_* removed
    assert foch["published_at"].isoformat() == "2026-11-18T06:30:00+00:00"
    assert foch["author"]["name"] == "Claire Vasseur"
    assert feed.needs_page(foch)
    budget = entries["Conseil municipal : le budget 2027 adopté"]
    assert "29 voix contre 6" in budget["text"] and not feed.needs_page(budget)


def test_atom_and_json_feed():
    atom = feed.parse_feed(fixture_bytes("feed", "atom.xml"), f"{BASE}/atom.xml")
    assert [e["title"] for e in atom["entries"]] == ["Collecte de sang à la salle des fêtes",
                                                      "Fermeture exceptionnelle de la médiathèque"]
    assert atom["entries"][1]["published_at"] is not None  # <updated> when there is no <published>
    json_feed = feed.parse_feed(fixture_bytes("feed", "feed.json"), f"{BASE}/feed.json", "application/json")
    assert [e["author"]["name"] for e in json_feed["entries"]] == ["Thomas L.", None]
    assert "31 à 27" in json_feed["entries"][1]["text"]  # content_html turned into text
    assert json_feed["entries"][0]["published_at"].utcoffset().total_seconds() == 3600


def test_broken_feeds_never_raise():
    truncated = feed.parse_feed(fixture_bytes("feed", "broken/truncated.xml"), f"{BASE}/t.xml")
    # the entry cut in its link is what a feed reader shows too: its title, under an id of its content
    assert truncated["recovered"] and [e["title"] for e in truncated["entries"]] == ["Premier article complet",
                                                                                   "Deuxième article coupé"]
    assert truncated["entries"][1]["url"] is None and "#entry-" in truncated["entries"][1]["item_id"]
    latin1 = feed.parse_feed(fixture_bytes("feed", "broken/latin1-declared-utf8.xml"), f"{BASE}/l.xml")
    assert latin1["entries"][0]["title"] == "Fête de quartier réussie au Canon d'Or"
    assert feed.parse_feed(fixture_bytes("feed", "broken/error-page.xml"), BASE)["error"] == "not_a_feed"
    assert feed.parse_feed(fixture_bytes("feed", "broken/invalid.json"), BASE, "application/json")["error"] \
        == "invalid_json"
    assert feed.parse_feed(b"", BASE)["error"] == "malformed_feed"


def test_feed_crawl(fixture_site, watch_file, run_crawl):
    server = fixture_site("feed")
    config = watch_file([{"id": "presse", "kind": "feed",
                          "urls": [server.url("/rss.xml"), server.url("/atom.xml"), server.url("/feed.json")]}])
    summary, docs = run_crawl(config, "presse")
    by_title = {d["title"]: d for d in docs}
    assert len(docs) == 10, sorted(by_title)
    foch = by_title["Travaux rue Foch : trois semaines de circulation alternée"]
    assert "arrêt provisoire est installé devant la pharmacie" in foch["text"]  # followed to the page
    assert foch["canonical_url"] == server.url("/articles/travaux-rue-foch.html")
    assert foch["platform"] == "web" and foch["source_kind"] == "feed" and foch["kind"] == "article"
    assert foch["watch_ids"] == ["test"] and foch["source_id"] == "presse" and foch["crawled_at"]
    # the article page is an error page served with 200: the summary is kept, the error counted
    deule = by_title["Inondations : la Deûle sous surveillance"]
    assert deule["text"] == "Vigilance jaune crues : article retiré par la rédaction."
    assert summary["errors_by_reason"]["error_page"] == 1
    # the médiathèque page does not exist: 404 counted, summary kept
    assert summary["errors_by_reason"]["http_404"] == 1
    assert by_title["Fermeture exceptionnelle de la médiathèque"]["text"].startswith("La médiathèque sera fermée")
    # the press release copied by the newspaper is linked to the first copy
    first = by_title["Communiqué : collecte des déchets verts pendant les fêtes"]
    copy = by_title["Déchets verts : la collecte maintenue pendant les fêtes"]
    assert copy["near_duplicate_of"] == first["doc_id"] and first["near_duplicate_of"] is None
    assert summary["new"] == 10 and summary["near_duplicates"] == 1
    assert "Vigie/" in server.hits_for("/rss.xml")[0].headers["User-Agent"]

    # second run: the feeds answer 304 (ETag), nothing new is written
    server.reset_hits()
    again, docs2 = run_crawl(config, "presse")
    assert docs2 == [] and again["new"] == 0 and again["not_modified"] == 3
    assert "If-None-Match" in server.hits_for("/rss.xml")[0].headers

    # third run: the RSS feed has no ETag any more, it is read again, but no known entry is re-fetched
    server.reset_hits()
    server.route("/rss.xml", body=fixture_bytes("feed", "rss.xml", server.base_url),
                 content_type="application/rss+xml")
    third, docs3 = run_crawl(config, "presse", interval="2026-11-19T09:00:00Z/2026-11-19T10:00:00Z")
    assert docs3 == [] and third["new"] == 0 and third["duplicates_by_reason"] == {"already_seen": 6}
    assert not server.hits_for("/articles/travaux-rue-foch.html")


def test_broken_feeds_are_counted_not_fatal(fixture_site, watch_file, run_crawl):
    server = fixture_site("feed")
    config = watch_file([{"id": "casse", "kind": "feed", "urls": [
        server.url("/broken/truncated.xml"), server.url("/broken/latin1-declared-utf8.xml"),
        server.url("/broken/error-page.xml"), server.url("/broken/invalid.json"), server.url("/nulle-part.xml")]}])
    summary, docs = run_crawl(config, "casse")
    titles = sorted(d["title"] for d in docs)
    assert titles == ["Deuxième article coupé", "Fête de quartier réussie au Canon d'Or", "Premier article complet"]
    errors = summary["errors_by_reason"]
    assert errors["error_page"] == 1 and errors["invalid_json"] == 1 and errors["http_404"] >= 2
