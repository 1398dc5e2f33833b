"""``DemoSites``: the demo territory's platforms on one HTTP server on 127.0.0.1.

A ``vigie.httpserve.LoopbackServer`` (a daemon thread of the calling process; crawls reach it
over TCP like any site).  Each platform module answers the requests below its prefix
(``/presse``, ``/facebook/v21.0``, ``/mastodon``, ``/discourse``, ``/reddit``, ``/decidim``,
``/hooks``); ``/robots.txt`` allows everything.  GET answers carry an ``ETag`` and a matching
``If-None-Match`` gets ``304 Not Modified``, so a feed read twice is not sent twice.
"""

from __future__ import annotations

import errno
import os
from typing import Any

from vigie.demo.sites import _data
from vigie.demo.sites._http import Request
from vigie.demo.sites.decidim import DecidimSite
from vigie.demo.sites.discourse import DiscourseSite
from vigie.demo.sites.facebook import FacebookSite
from vigie.demo.sites.hooks import WebhookSink, hook_env
from vigie.demo.sites.mastodon import MastodonSite
from vigie.demo.sites.reddit import RedditSite
from vigie.demo.sites.rss import PressSite
from vigie.httpserve import Answer, Hit, LoopbackServer, PortBusy

HOST = "127.0.0.1"
CONFIG_PORT = 8740  # the port written in config/demo.yaml


def default_port() -> int:
    """``VIGIE_DEMO_PORT``, else 8740."""
    value = os.environ.get("VIGIE_DEMO_PORT", "").strip()
    if not value:
        return CONFIG_PORT
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"VIGIE_DEMO_PORT={value!r} is not a TCP port number")
    return int(value)


class DemoPortBusy(PortBusy):
    """The demo sites' port is already taken."""


class DemoSites(LoopbackServer):
    """The demo sites, served while the ``with`` block runs (or between ``start()`` and ``stop()``)."""

    name = "vigie-demo-sites"
    server_version = "VigieDemoSites/1.0"
    etags = True
    poll_interval = 0.1

    def __init__(self, port: int | None = None, docs: list[dict[str, Any]] | None = None):
        super().__init__(default_port() if port is None else port)
        docs = _data.load() if docs is None else docs
        self.hooks = WebhookSink()
        self.sites = [PressSite(docs), FacebookSite(docs), MastodonSite(docs), DiscourseSite(docs),
                      RedditSite(docs), DecidimSite(docs), self.hooks]

    @property
    def env(self) -> dict[str, str]:
        """What the demo's crawls and deliveries need in their environment: the fake tokens and the
        URLs of the webhook receivers."""
        from vigie.demo.sites import DEMO_ENV

        return {**DEMO_ENV, **hook_env(self.base_url)}

    def start(self) -> DemoSites:
        try:
            return super().start()
        except PortBusy:
            raise DemoPortBusy(errno.EADDRINUSE,
                               f"the demo sites cannot listen on {HOST}:{self.port}: the port is busy. Stop "
                               "what uses it, or choose another port with VIGIE_DEMO_PORT (or --port)") from None

    def answer(self, hit: Hit) -> Answer:
        if hit.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, b"User-agent: *\nAllow: /\n"
        query = {k: v[0] for k, v in hit.query.items()}
        headers = {k.lower(): v for k, v in hit.headers.items()}
        for site in self.sites:
            if hit.path == site.prefix or hit.path.startswith(site.prefix + "/"):
                sub = Request(hit.method, hit.path[len(site.prefix):] or "/", query, headers, hit.body,
                              self.base_url + site.prefix, hit.query)
                found = site.handle(sub)
                if found is not None:
                    return found
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n"
