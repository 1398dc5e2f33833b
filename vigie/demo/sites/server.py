"""``DemoSites``: the demo territory's platforms on one HTTP server on 127.0.0.1.

A ``ThreadingHTTPServer`` in a daemon thread of the calling process; crawls run in their own
processes and reach it over TCP like any site.  Each platform module answers the requests
below its prefix (``/presse``, ``/facebook/v21.0``, ``/mastodon``, ``/discourse``, ``/reddit``,
``/decidim``); ``/robots.txt`` allows everything.  GET answers carry an ``ETag`` and a matching
``If-None-Match`` gets ``304 Not Modified``, so a feed read twice is not sent twice.
"""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vigie.demo.sites import _data
from vigie.demo.sites._http import Answer, Request
from vigie.demo.sites.decidim import DecidimSite
from vigie.demo.sites.discourse import DiscourseSite
from vigie.demo.sites.facebook import FacebookSite
from vigie.demo.sites.hooks import WebhookSink, hook_env
from vigie.demo.sites.mastodon import MastodonSite
from vigie.demo.sites.reddit import RedditSite
from vigie.demo.sites.rss import PressSite
from vigie.httpserve import start_server, stop_server

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


class DemoPortBusy(OSError):
    """The demo sites' port is already taken."""


class DemoSites:
    """The demo sites, served while the ``with`` block runs (or between ``start()`` and ``stop()``)."""

    def __init__(self, port: int | None = None, docs: list[dict[str, Any]] | None = None):
        self.port = default_port() if port is None else port
        docs = _data.load() if docs is None else docs
        self.hooks = WebhookSink()
        self.sites = [PressSite(docs), FacebookSite(docs), MastodonSite(docs), DiscourseSite(docs),
                      RedditSite(docs), DecidimSite(docs), self.hooks]
        self.hits: list[str] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """What the demo's crawls and deliveries need in their environment: the fake tokens and the
        URLs of the webhook receivers."""
        from vigie.demo.sites import DEMO_ENV

        return {**DEMO_ENV, **hook_env(self.base_url)}

    def start(self) -> DemoSites:
        sites = self

        class Handler(_Handler):
            demo = sites

        try:
            self._httpd = start_server(Handler, HOST, self.port, name="vigie-demo-sites", poll_interval=0.1)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DemoPortBusy(errno.EADDRINUSE,
                                   f"the demo sites cannot listen on {HOST}:{self.port}: the port is busy. Stop "
                                   "what uses it, or choose another port with VIGIE_DEMO_PORT (or --port)") from None
            raise
        self.port = self._httpd.server_address[1]
        return self

    def stop(self) -> None:
        stop_server(self._httpd)
        self._httpd = None

    def __enter__(self) -> DemoSites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, request: Request) -> Answer:
        with self._lock:
            self.hits.append(request.path)
        if request.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, b"User-agent: *\nAllow: /\n"
        for site in self.sites:
            if request.path == site.prefix or request.path.startswith(site.prefix + "/"):
                sub = Request(request.method, request.path[len(site.prefix):] or "/", request.query,
                              request.headers, request.body, self.base_url + site.prefix, request.params)
                found = site.handle(sub)
                if found is not None:
                    return found
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n"


class _Handler(BaseHTTPRequestHandler):
    demo: DemoSites
    protocol_version = "HTTP/1.1"
    server_version = "VigieDemoSites/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        self._serve()

    def _serve(self, head: bool = False) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        params = parse_qs(parts.query)
        request = Request(self.command, parts.path, {k: v[0] for k, v in params.items()},
                          {k.lower(): v for k, v in self.headers.items()}, body, params=params)
        status, headers, payload = self.demo.answer(request)
        if status == 200 and self.command in ("GET", "HEAD"):
            etag = '"' + hashlib.blake2b(payload, digest_size=8).hexdigest() + '"'
            headers = {**headers, "ETag": etag}
            if etag in [t.strip() for t in (self.headers.get("If-None-Match") or "").split(",")]:
                status, payload = 304, b""
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not head and status != 304:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
