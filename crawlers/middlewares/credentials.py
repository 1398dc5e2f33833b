"""Credentials go only to the origin they were configured for.

A source's secrets travel in request headers (Discourse ``Api-Key``/``Api-Username``, YouTube
``X-goog-api-key``, bearer tokens in ``Authorization``…).  Scrapy's redirect middleware copies
every header to the redirected request and strips only ``Authorization`` and ``Cookie`` on a
change of host: a forum that moved, an open redirect or an https→http downgrade would hand the
other key over.

This middleware sees every redirected request (Location and meta refresh alike: both carry
``meta["redirect_urls"]``, the chain from the request the spider built).  When the request's
origin (scheme, host and port) is not the origin of the first URL of its chain, it removes
every credential header before anything is sent, and goes on without them (the redirect target
gets an anonymous request, which public data needs anyway).  A credential header is one whose
name says so (``auth``, ``key``, ``token``, ``secret``, ``passw``, ``session``, ``cookie``,
``Api-Username``) or whose value holds a secret the spider read with ``credential()``.
Each request stripped so is logged (header names only, never values) and counted
(``vigie/credentials_withheld``, ``credentials_withheld`` in the summary).  A redirected request
whose body carries a secret (a login form or JSON kept by a 307/308) cannot be sent without it:
it is refused and counted as ``credential_redirect``.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from vigie.crawlers.spiders.base import VigieIgnore, count_error

logger = logging.getLogger(__name__)

CREDENTIAL_NAME = re.compile(r"auth|key|token|secret|passw|session|cookie|^api-username$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


class CredentialOriginMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> CredentialOriginMiddleware:
        return cls(crawler)

    def _secrets(self) -> list[bytes]:
        values = getattr(self.crawler.spider, "secret_values", None) or ()
        return [v.encode("utf-8") for v in values if v]

    def process_request(self, request: Any) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain or origin(chain[0]) == origin(request.url):
            return None
        secrets = self._secrets()
        body = request.body or b""
        if body and any(secret in body for secret in secrets):
            count_error(self.crawler.stats, "credential_redirect")
            logger.warning("refused %s: redirected from %s with a secret in its body", request.url, chain[0],
                           extra={"crawler": self.crawler})
            raise VigieIgnore("credential_redirect", "a request carrying a secret was redirected to another origin")
        names = [name for name, values in request.headers.items()
                 if CREDENTIAL_NAME.search(name.decode("latin-1"))
                 or any(secret in value for value in values for secret in secrets)]
        if not names:
            return None
        for name in names:
            del request.headers[name]
        self.crawler.stats.inc_value("vigie/credentials_withheld")
        logger.warning("redirected to another origin: %s sent without %s (configured for %s://%s:%s)",
                       request.url, ", ".join(n.decode("latin-1") for n in names), *origin(chain[0]),
                       extra={"crawler": self.crawler})
        return None
