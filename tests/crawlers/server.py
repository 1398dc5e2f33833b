"""A real HTTP server for crawler tests: a fixture folder plus programmable routes.

It is a ``vigie.httpserve.LoopbackServer`` (the demo sites' server too): it listens on
127.0.0.1, port 0 (a free port), in a thread of the test process; crawls run in their own
processes and reach it over TCP like any website.

    from tests.crawlers.server import FixtureServer

    with FixtureServer(FIXTURES / "sites" / "feed") as server:
        server.route("/slow", body=b"...", delay=2)                 # slow response
        server.route("/gone", status=410)                           # any status
        server.route("/busy", responses=[                           # a sequence, last one repeats
            {"status": 429, "headers": {"Retry-After": "1"}},
            {"body": b"ok", "content_type": "text/plain"},
        ])
        server.redirect("/old", "/new", status=301)
        server.robots("User-agent: *\\nDisallow: /private/")
        server.route("/api", handler=lambda req: (200, {"Content-Type": "application/json"}, b"{}"))
        url = server.url("/rss.xml")
        ...
        assert server.hits_for("/rss.xml")                           # what the crawler asked for

Static files
    ``GET /a/b.xml`` serves ``ROOT/a/b.xml`` (``/a/`` serves ``ROOT/a/index.html``) with a
    Content-Type from the extension (text types in UTF-8), an ``ETag`` (content hash) and a
    ``Last-Modified`` (file time), and answers ``304`` to a matching ``If-None-Match`` or
    ``If-Modified-Since``.  A sidecar ``b.xml.headers`` file overrides the status and headers
    (one ``Name: value`` per line, ``Status: 404`` for the status): that is how fixture sites
    serve lying charsets or error pages with a 200.  A query string selects the file named
    ``<name>@<query>`` when there is one (``viewtopic.php?t=12`` → ``viewtopic.php@t=12``), and
    a file without an extension is served as HTML.  ``{{base}}`` in a served text file is
    replaced by the server's base URL (``http://127.0.0.1:PORT``), so fixture sites link to
    themselves.

Routes (``route``) win over files.  A route may give ``status``, ``body`` (bytes or str),
``headers``, ``content_type``, ``delay`` (seconds before answering), ``body_size`` (a
generated body of that many bytes, sent in chunks: huge pages), ``etag``/``last_modified``
(with 304 handling), ``responses`` (a list of such dicts served in turn) or ``handler``
(a function of the ``Hit`` returning ``(status, headers, body)``).

Run ``python -m tests.crawlers.server ROOT`` to serve a folder from a separate process
(it prints the base URL, then serves until killed).
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from vigie.httpserve import Answer, Hit, LoopbackServer, serve_until_interrupted

__all__ = ["FixtureServer", "Hit", "Route"]

TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".xml": "application/xml",
              ".rss": "application/rss+xml", ".atom": "application/atom+xml", ".json": "application/json",
              ".txt": "text/plain", ".csv": "text/csv", ".jsonl": "application/x-ndjson", ".php": "text/html"}
NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


@dataclass
class Route:
    responses: list[dict[str, Any]] = field(default_factory=list)
    handler: Any = None
    served: int = 0

    def next(self) -> dict[str, Any]:
        spec = self.responses[min(self.served, len(self.responses) - 1)]
        self.served += 1
        return spec


class FixtureServer(LoopbackServer):
    name = "fixture-server"
    server_version = "VigieFixture/1.0"

    def __init__(self, root: str | Path | None = None, host: str = "127.0.0.1", port: int = 0):
        super().__init__(port)
        self.root = Path(root).resolve() if root else None
        self.host = host
        self.routes: dict[str, Route] = {}

    # ----------------------------------------------------------------- routes
    def route(self, path: str, *, responses: list[dict[str, Any]] | None = None, handler: Any = None,
              **spec: Any) -> None:
        """Program ``path`` (exact path, query ignored); see the module docstring."""
        with self._lock:
            self.routes[path] = Route(responses=responses or [spec], handler=handler)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.route(path, status=status, headers={"Location": to if "://" in to else self.url(to)})

    def robots(self, text: str) -> None:
        self.route("/robots.txt", body=text, content_type="text/plain")

    def clear_routes(self) -> None:
        with self._lock:
            self.routes.clear()

    # ---------------------------------------------------------------- answers
    def answer(self, hit: Hit) -> Answer:
        with self._lock:
            route = self.routes.get(hit.path)
        if route is not None:
            return self._answer_route(route, hit)
        return self._answer_file(hit)

    def _answer_route(self, route: Route, hit: Hit) -> Answer:
        if route.handler is not None:
            status, headers, body = route.handler(hit)
            return status, dict(headers or {}), body if isinstance(body, bytes) else str(body).encode()
        spec = route.next()
        if spec.get("delay"):
            time.sleep(float(spec["delay"]))
        headers = dict(spec.get("headers") or {})
        if spec.get("content_type"):
            headers["Content-Type"] = spec["content_type"]
        for key, name in (("etag", "ETag"), ("last_modified", "Last-Modified")):
            if spec.get(key):
                headers[name] = spec[key]
        if _not_modified(hit, headers.get("ETag"), headers.get("Last-Modified")):
            return 304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b""
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        if spec.get("body_size"):
            size = int(spec["body_size"])
            if spec.get("chunked"):
                headers["Transfer-Encoding"] = "chunked"
            else:
                headers["Content-Length"] = str(size)
            return int(spec.get("status", 200)), headers, _generated(size)
        body = spec.get("body", b"")
        body = body.encode() if isinstance(body, str) else body
        return int(spec.get("status", 200)), headers, body.replace(b"{{base}}", self.base_url.encode())

    def _answer_file(self, hit: Hit) -> Answer:
        root = self.root
        if root is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        target = (root / unquote(hit.path).lstrip("/")).resolve()
        if root not in target.parents and target != root:
            return 403, {"Content-Type": "text/plain"}, b"forbidden"
        suffix = target.suffix.lower()
        query = unquote(hit.query_string)
        if query:  # viewtopic.php?t=12 is served from the file "viewtopic.php@t=12"
            with_query = target.with_name(f"{target.name}@{query}")
            if with_query.is_file():
                target = with_query
        if target.is_dir():
            target = target / "index.html"
            suffix = ".html"
        if not target.is_file():
            return 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND
        body = target.read_bytes()
        if suffix == "" or "@" in suffix:
            suffix = ".html"  # t.me/s/<channel>, spip.php@article12: pages without an extension
        content_type = TEXT_TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or suffix in TEXT_TYPES:
            body = body.replace(b"{{base}}", self.base_url.encode())
            if "charset" not in content_type and suffix not in (".json", ".jsonl"):
                content_type += "; charset=utf-8"
        status = 200
        headers = {"Content-Type": content_type,
                   "ETag": '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"',
                   "Last-Modified": email.utils.formatdate(target.stat().st_mtime, usegmt=True)}
        sidecar = target.with_name(target.name + ".headers")
        if sidecar.is_file():
            for line in sidecar.read_text(encoding="utf-8").splitlines():
                if ":" not in line:
                    continue
                name, value = (p.strip() for p in line.split(":", 1))
                if name.lower() == "status":
                    status = int(value)
                elif value:
                    headers[name] = value.replace("{{base}}", self.base_url)
                else:
                    headers.pop(name, None)
        if status == 200 and _not_modified(hit, headers.get("ETag"), headers.get("Last-Modified")):
            return 304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b""
        return status, headers, body


def _generated(size: int):
    """A body of ``size`` bytes, produced 1 KiB at a time (huge pages)."""
    block = (b"<p>" + b"Lambersart " * 90 + b"</p>\n")[:1024]
    sent = 0
    while sent < size:
        piece = block[: min(len(block), size - sent)]
        yield piece
        sent += len(piece)


def _not_modified(hit: Hit, etag: str | None, last_modified: str | None) -> bool:
    inm = hit.header("If-None-Match")
    if inm and etag:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = hit.header("If-Modified-Since")
    if ims and last_modified:
        try:
            return email.utils.parsedate_to_datetime(last_modified) <= email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve a fixture folder on 127.0.0.1.")
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = FixtureServer(args.root, port=args.port).start()
    print(server.base_url, flush=True)
    serve_until_interrupted(server.stop)


if __name__ == "__main__":
    main()
