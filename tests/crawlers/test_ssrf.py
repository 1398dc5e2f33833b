"""SSRF guard: private, loopback and link-local addresses are refused, redirects included."""

from __future__ import annotations

from tests.crawlers.server import FixtureServer
from vigie.crawlers.middlewares.ssrf import is_public


def test_is_public():
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.10", "169.254.169.254", "0.0.0.0",
                    "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1",
                    "not-an-ip"):
        assert not is_public(address), address
    for address in ("93.184.216.34", "2001:4860:4860::8888", "::ffff:8.8.8.8"):
        assert is_public(address), address


def test_private_targets_refused_even_through_redirects(fixture_site, watch_file, run_crawl):
    internal = FixtureServer().start()  # "an internal service" on another port of the machine
    try:
        internal.route("/admin", body="<html><body><h1>Console d'administration</h1></body></html>")
        site = fixture_site(None)
        site.route("/", body=f"""<html lang="fr"><head><title>Liens</title></head><body>
            <a href="{internal.url('/admin')}">admin</a>
            <a href="http://localhost:{internal.port}/admin">admin bis</a>
            <a href="/go/admin">redirection</a>
            <a href="/page.html">une page</a></body></html>""")
        site.redirect("/go/admin", internal.url("/admin?via=redirect"))
        site.route("/page.html", body="<html lang='fr'><body><article><h1>Page publique</h1><p>"
                                      + "Texte de la page publique du site. " * 10 + "</p></article></body></html>")
        sources = [{"id": "site", "kind": "web", "url": site.url("/"), "allow_private_networks": False,
                    "options": {"same_site_only": False}}]
        config = watch_file(sources)
        summary, docs = run_crawl(config, "site", settings={"VIGIE_PRIVATE_NETWORK_EXCEPTIONS": [site.netloc]})
        assert [d["title"] for d in docs] == ["Page publique"]
        assert internal.hits == [], "a private address was reached"
        assert site.hits_for("/go/admin"), "the redirect itself is on the allowed site"
        assert summary["errors_by_reason"]["private_address"] == 3  # 127.0.0.1, localhost, the redirect

        # the same site without the test exception: nothing at all is fetched, not even robots.txt
        site.reset_hits()
        summary, docs = run_crawl(config, "site", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
        assert docs == [] and site.hits == [] and summary["errors_by_reason"]["private_address"] >= 1

        # allow_private_networks: true lets the crawler in
        config = watch_file([{**sources[0], "allow_private_networks": True}], name="allowed.yaml")
        summary, docs = run_crawl(config, "site", interval="2026-11-19T11:00:00Z/2026-11-19T12:00:00Z")
        assert internal.hits_for("/admin")
    finally:
        internal.stop()


def test_only_http_is_fetched_even_where_private_networks_are_allowed(tmp_path, fixture_site, watch_file,
                                                                      run_crawl):
    """A hostile feed linking to file:// or ftp:// gets nothing: local files are never read."""
    secret = tmp_path / "secret.html"
    secret.write_text("<html><body><article><p>" + "mot de passe du serveur " * 20 + "</p></article></body></html>")
    site = fixture_site(None)
    site.route("/rss.xml", content_type="application/rss+xml", body=f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Flux</title><link>{site.url("/")}</link><description>d</description>
<item><title>Fichier local</title><link>file://localhost{secret}</link><description>court</description>
<pubDate>Tue, 17 Nov 2026 18:00:00 +0100</pubDate></item>
<item><title>FTP interne</title><link>ftp://127.0.0.1/pub/secret.html</link><description>court</description>
<pubDate>Tue, 17 Nov 2026 18:05:00 +0100</pubDate></item>
</channel></rss>""")
    for allow in (True, False):
        source_id = f"flux-{str(allow).lower()}"
        config = watch_file([{"id": source_id, "kind": "feed", "url": site.url("/rss.xml"),
                              "allow_private_networks": allow}], name=f"w{allow}.yaml")
        settings = {} if allow else {"VIGIE_PRIVATE_NETWORK_EXCEPTIONS": [site.netloc]}
        summary, docs = run_crawl(config, source_id, settings=settings)
        assert all("mot de passe" not in (d.get("text") or "") for d in docs)
        # the entries are kept with their summary: the link was not followed
        kept = sorted((d["title"], d["text"]) for d in docs)
        assert kept == [("FTP interne", "court"), ("Fichier local", "court")], summary
