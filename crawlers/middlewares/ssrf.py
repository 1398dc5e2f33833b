"""SSRF guard: never fetch private, loopback, link-local or reserved addresses.

A watch file is written by users and the pages it leads to by anyone: a link, a feed entry
or a redirect to ``http://127.0.0.1:9200/`` or ``http://169.254.169.254/`` must not reach
services of the machine or of its network.  Every request (start URLs, links, robots.txt
and each redirect, since redirected requests go through the middlewares again) has its host
resolved, and the request is refused when any address is not public.  The address checked
is the one the download uses: resolution goes through the reactor's caching resolver, which
the HTTP handler then reads from its cache.  A name that cannot be resolved fails the request
with a DNS error (retried, then counted as ``dns``): the guard fails closed, never open.

Disabled (``NotConfigured``) when the source sets ``allow_private_networks: true``
(``VIGIE_ALLOW_PRIVATE_NETWORKS``).  ``VIGIE_PRIVATE_NETWORK_EXCEPTIONS`` lists ``host:port``
pairs reachable anyway: the tests use it for their fixture server only.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from scrapy.exceptions import CannotResolveHostError, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from vigie.crawlers.spiders.base import VigieIgnore, count_error

logger = logging.getLogger(__name__)
_DEFAULT_PORTS = {"http": 80, "https": 443}


# IPv6 ranges that carry or reach IPv4 addresses through a gateway, or that Python's ``is_global``
# lets through although no public website lives there: refused outright, whatever the embedded
# address (a crawler never needs them, and a gateway may lead into the machine's own network).
_REFUSED_V6 = tuple(ipaddress.ip_network(n) for n in (
    "2002::/16",       # 6to4: 2002:AABB:CCDD::/48 is the IPv4 address AA.BB.CC.DD
    "2001::/32",       # Teredo: the client's IPv4 address is embedded (obfuscated)
    "64:ff9b::/96",    # NAT64, well-known prefix: the last 32 bits are an IPv4 address
    "64:ff9b:1::/48",  # NAT64, local use
    "fec0::/10",       # site-local (deprecated, still routed inside some networks)
    "::/96",           # IPv4-compatible (deprecated): ::a.b.c.d
))


def is_public(address: str) -> bool:
    """True for a globally routable unicast address.

    IPv4-mapped IPv6 addresses (``::ffff:a.b.c.d``) are judged by the IPv4 address they carry;
    the other IPv6 forms that embed or reach IPv4 (6to4, Teredo, NAT64, IPv4-compatible) and
    site-local ``fec0::/10`` are refused outright."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in _REFUSED_V6):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class SSRFGuardMiddleware:
    def __init__(self, crawler: Any, exceptions: set[str]):
        self.crawler = crawler
        self.exceptions = exceptions

    @classmethod
    def from_crawler(cls, crawler: Any) -> SSRFGuardMiddleware:
        if crawler.settings.getbool("VIGIE_ALLOW_PRIVATE_NETWORKS"):
            raise NotConfigured
        exceptions = {e.lower() for e in crawler.settings.getlist("VIGIE_PRIVATE_NETWORK_EXCEPTIONS")}
        return cls(crawler, exceptions)

    async def process_request(self, request: Any) -> None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in _DEFAULT_PORTS:
            # file:, ftp:, s3:, data: (their download handlers are off too: see settings.py)
            count_error(self.crawler.stats, "scheme")
            raise VigieIgnore("scheme", f"only http and https are fetched, not {parsed.scheme}:")
        host = (parsed.hostname or "").lower()
        port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
        if f"{host}:{port}" in self.exceptions:
            return None
        address = host if _is_ip(host) else await self._resolve(host)
        if address is None:
            # Fail closed: never let the download resolve the name again on its own (a
            # resolver that fails once, then answers 127.0.0.1, would reach internal pages).
            # The request fails as a DNS error: retried like one (each retry is checked
            # again), then counted as ``dns`` by the spider's errback.
            logger.info("refused %s: %s could not be resolved", request.url, host, extra={"crawler": self.crawler})
            raise CannotResolveHostError(f"{host}: the SSRF guard could not resolve it")
        if not is_public(address):
            count_error(self.crawler.stats, "private_address")
            logger.warning("refused %s: %s resolves to the non-public address %s "
                           "(set allow_private_networks: true on the source to allow it)",
                           request.url, host, address, extra={"crawler": self.crawler})
            raise VigieIgnore("private_address", f"{host} resolves to non-public {address}")
        return None

    async def _resolve(self, host: str) -> str | None:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor

        try:
            return await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
        except Exception:
            return None
