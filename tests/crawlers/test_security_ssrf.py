"""The SSRF guard fails closed: a name it cannot resolve is never fetched.

The crawl runs with a real resolver installed in its reactor (Scrapy's ``TWISTED_DNS_RESOLVER``,
the successor of ``DNS_RESOLVER``): for names under ``.vigie.test`` it fails the first lookup,
then answers 127.0.0.1; names under ``down.vigie.test`` never resolve.  Before the fix, the
guard's failed lookup let the request through and the download's own lookup reached the
internal server.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.internet.abstract import isIPAddress, isIPv6Address
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from tests.crawlers.server import FixtureServer

RESOLVER = f"{__name__}.FailsOnceThenLoopback"


@implementer(IResolverSimple)
class FailsOnceThenLoopback:
    """A reactor resolver: the first lookup of each ``*.vigie.test`` name fails, later ones answer
    127.0.0.1; ``*.down.vigie.test`` never resolves; IP literals are answered as they are."""

    def __init__(self, reactor):
        self.reactor = reactor
        self.looked_up: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout=()):
        if isIPAddress(name) or isIPv6Address(name):
            return defer.succeed(name)
        count = self.looked_up[name] = self.looked_up.get(name, 0) + 1
        if not name.endswith(".vigie.test") or name.endswith(".down.vigie.test") or count == 1:
            return defer.fail(DNSLookupError(name))
        return defer.succeed("127.0.0.1")


def test_a_name_that_fails_once_then_says_loopback_never_reaches_the_internal_server(watch_file, run_crawl):
    internal = FixtureServer().start()  # "an internal service" on 127.0.0.1
    try:
        internal.route("/admin", body="<html lang='fr'><body><article><h1>Console interne</h1><p>"
                                      + "Données internes de la collectivité. " * 10 + "</p></article></body></html>")
        internal.route("/down", body="<html><body>interne</body></html>")
        sources = [
            {"id": "rebind", "kind": "web", "url": f"http://intranet.vigie.test:{internal.port}/admin",
             "allow_private_networks": False, "options": {"obey_robots": False}},
            {"id": "down", "kind": "web", "url": f"http://intranet.down.vigie.test:{internal.port}/down",
             "allow_private_networks": False, "options": {"obey_robots": False}},
        ]
        config = watch_file(sources)
        settings = {"TWISTED_DNS_RESOLVER": RESOLVER, "RETRY_TIMES": 1}

        summary, docs = run_crawl(config, "rebind", settings=settings)
        assert internal.hits == [], "the internal server was reached through a failed lookup"
        assert docs == [] and summary["fetched"] == 0
        # first lookup failed (DNS error, retried), the retry's lookup said 127.0.0.1: refused
        assert summary["errors_by_reason"] == {"private_address": 1}, summary

        summary, docs = run_crawl(config, "down", settings=settings)
        assert internal.hits == [] and docs == []
        assert summary["errors_by_reason"] == {"dns": 1}, summary
    finally:
        internal.stop()
