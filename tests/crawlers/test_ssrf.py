"""SSRF guard: private, loopback and link-local addresses are refused, redirects included."""

from __future__ import annotations

from crawlers.middlewares.ssrf import is_public
from tests.crawlers.server import FixtureServer


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
