"""web: sitemaps and links, main text, versions of changed pages, and everything that goes wrong."""

from __future__ import annotations

from tests.crawlers.sites import BASE, fixture_bytes, fixture_text
from vigie.crawlers.extract import web

RUN2 = "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z"
RUN3 = "2026-11-19T11:00:00Z/2026-11-19T12:00:00Z"
RUN4 = "2026-11-19T12:00:00Z/2026-11-19T13:00:00Z"


def test_page_extraction():
    page = web.page(fixture_text("web", "travaux/arrete-2026-118.html"), f"{BASE}/travaux/arrete-2026-118.html")
    assert page["title"].startswith("Arrêté municipal n° 2026-118")
    assert "Article 1 : le stationnement est interdit rue de Lille" in page["text"]
    assert "Ville de Lambersart" not in page["text"]  # the header is not main text
    assert page["published_at"].isoformat() == "2026-11-16T09:00:00+01:00"
    assert page["language"] == "fr" and page["kind"] == "article"


def test_links_and_filter():
    links = web.links(fixture_text("web", "index.html"), f"{BASE}/")
    assert f"{BASE}/actualites/patinoire.html" in links  # utm_* and fragment removed
    assert not any(link.startswith("mailto:") for link in links)
    keep = web.LinkFilter([f"{BASE}/"], deny=[r"/prive/"])
    assert [link for link in links if keep(link)] == [
        f"{BASE}/", f"{BASE}/actualites/", f"{BASE}/travaux/", f"{BASE}/demarches.html",
        f"{BASE}/actualites/patinoire.html", f"{BASE}/travaux/arrete-2026-118.html", f"{BASE}/mentions-legales.html"]
    assert web.LinkFilter([f"{BASE}/"], allow=[r"/travaux/"])(f"{BASE}/travaux/x.html")
    assert not web.LinkFilter([f"{BASE}/"], allow=[r"/travaux/"])(f"{BASE}/actualites/x.html")


def test_sitemaps():
    index = web.parse_sitemap(fixture_bytes("web", "sitemap.xml"))
    assert index["type"] == "sitemapindex" and index["entries"][0]["loc"] == f"{BASE}/sitemap-pages.xml"
    pages = web.parse_sitemap(fixture_bytes("web", "sitemap-pages.xml"))
    assert pages["type"] == "urlset" and len(pages["entries"]) == 4
    assert web.parse_sitemap(b"<html><body>not a sitemap")["type"] is None
    evil = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>&x;</loc></url></urlset>'
    assert all("root:" not in e["loc"] for e in web.parse_sitemap(evil)["entries"])


def _program(server):
    server.redirect("/actualites/ancien-lien.html", "/actualites/patinoire.html", status=301)
    server.redirect("/travaux/boucle.html", "/travaux/boucle-2.html")
    server.redirect("/travaux/boucle-2.html", "/travaux/boucle.html")
    server.route("/travaux/plan-geant.html", body_size=3_000_000)


def test_web_crawl_versions_and_bad_input(fixture_site, watch_file, run_crawl):
    server = fixture_site("web")
    _program(server)
    config = watch_file([{"id": "ville", "kind": "web", "url": server.url("/"),
                          "options": {"sitemaps": [server.url("/sitemap.xml")], "max_page_size": 1_000_000}}])
    summary, docs = run_crawl(config, "ville")
    by_path = {d["canonical_url"].removeprefix(server.base_url): d for d in docs}
    assert sorted(by_path) == ["/actualites/archives-2019.html", "/actualites/conseil-des-jeunes.html",
                               "/actualites/patinoire.html", "/travaux/arrete-2026-118.html"]
    patinoire = by_path["/actualites/patinoire.html"]
    assert patinoire["kind"] == "article" and patinoire["published_at"] == "2026-11-20T10:00:00+01:00"
    assert patinoire["content_hash"] and patinoire["version_of"] is None
    archives = by_path["/actualites/archives-2019.html"]  # Windows-1252 bytes served as UTF-8
    assert "quinze scènes ont été installées" in archives["text"] and "encoding_repaired" in archives["flags"]
    errors = summary["errors_by_reason"]
    assert errors["robots_txt"] >= 1 and not server.hits_for("/prive/intranet.html")
    assert errors["redirect_loop"] == 1 and errors["too_large"] == 1 and errors["error_page"] == 1
    assert errors["http_404"] == 1  # /mentions-legales.html
    assert summary["duplicates_by_reason"]["same_text"] == 1  # the printable copy of the order
    assert not server.hits_for("/documents/bulletin-novembre.pdf")
    assert not any("facebook" in h.path for h in server.hits)

    # second run: every page answers 304, nothing new
    again, docs2 = run_crawl(config, "ville", interval=RUN2)
    assert docs2 == [] and again["new"] == 0 and again["not_modified"] >= 4

    # the order is amended: a new version, linked to the first one
    amended = fixture_bytes("web", "travaux/arrete-2026-118.html", server.base_url).replace(
        "du n° 12 au n° 48".encode(), "du n° 12 au n° 60".encode())
    server.route("/travaux/arrete-2026-118.html", body=amended)
    server.route("/travaux/", body=fixture_bytes("web", "travaux/index.html", server.base_url))  # no ETag
    third, docs3 = run_crawl(config, "ville", interval=RUN3)
    assert len(docs3) == 1 and third["updated"] == 1 and third["new"] == 0
    version = docs3[0]
    assert version["version_of"] == by_path["/travaux/arrete-2026-118.html"]["doc_id"]
    assert version["doc_id"] != version["version_of"] and "du n° 12 au n° 60" in version["text"]
    assert version["content_hash"] != by_path["/travaux/arrete-2026-118.html"]["content_hash"]

    # unchanged since the new version: nothing
    fourth, docs4 = run_crawl(config, "ville", interval=RUN4)
    assert docs4 == [] and fourth["duplicates_by_reason"].get("unchanged", 0) >= 1
