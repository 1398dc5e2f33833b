"""A real HTTP server for crawler tests: a fixture folder plus programmable routes.

It listens on 127.0.0.1, port 0 (a free port), in a thread of the test process; crawls run
in their own processes and reach it over TCP like any website.

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
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vigie.httpserve import serve_until_interrupted, start_server, stop_server

TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".xml": "application/xml",
              ".rss": "application/rss+xml", ".atom": "application/atom+xml", ".json": "application/json",
              ".txt": "text/plain", ".csv": "text/csv", ".jsonl": "application/x-ndjson", ".php": "text/html"}


@dataclass
class Hit:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    time: float
    body: bytes = b""

    @property
    def target(self) -> str:
        return self.path + ("?" + "&".join(f"{k}={v}" for k, vs in self.query.items() for v in vs)
                            if self.query else "")


@dataclass
class Route:
    responses: list[dict[str, Any]] = field(default_factory=list)
    handler: Any = None
    served: int = 0

    def next(self) -> dict[str, Any]:
        spec = self.responses[min(self.served, len(self.responses) - 1)]
        self.served += 1
        return spec


class FixtureServer:
    def __init__(self, root: str | Path | None = None, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root).resolve() if root else None
        self.host = host
        self.port = port
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # ---------------------------------------------------------------- control
    def start(self) -> FixtureServer:
        server = self

        class Handler(_Handler):
            fixture = server

        self._httpd = start_server(Handler, self.host, self.port, name="fixture-server")
        self.port = self._httpd.server_address[1]
        return self

    def stop(self) -> None:
        stop_server(self._httpd)
        self._httpd = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

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

    # ------------------------------------------------------------------- hits
    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def _route(self, path: str) -> Route | None:
        with self._lock:
            return self.routes.get(path)


def _http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    fixture: FixtureServer
    protocol_version = "HTTP/1.1"
    server_version = "VigieFixture/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self, head: bool = False) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        hit = Hit(self.command, parts.path, parse_qs(parts.query), {k: v for k, v in self.headers.items()},
                  time.time(), body)
        self.fixture._record(hit)
        try:
            route = self.fixture._route(parts.path)
            if route is not None:
                self._serve_route(route, hit, head)
            else:
                self._serve_file(parts.path, head, parts.query)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # ------------------------------------------------------------------ routes
    def _serve_route(self, route: Route, hit: Hit, head: bool) -> None:
        if route.handler is not None:
            status, headers, body = route.handler(hit)
            self._send(status, headers or {}, body if isinstance(body, bytes) else str(body).encode(), head)
            return
        spec = route.next()
        if spec.get("delay"):
            time.sleep(float(spec["delay"]))
        headers = dict(spec.get("headers") or {})
        if spec.get("content_type"):
            headers["Content-Type"] = spec["content_type"]
        for key, name in (("etag", "ETag"), ("last_modified", "Last-Modified")):
            if spec.get(key):
                headers[name] = spec[key]
        if self._not_modified(headers.get("ETag"), headers.get("Last-Modified")):
            self._send(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"", head)
            return
        if spec.get("body_size"):
            self._send_generated(int(spec.get("status", 200)), headers, int(spec["body_size"]),
                                 bool(spec.get("chunked", False)), head)
            return
        body = spec.get("body", b"")
        body = body.encode() if isinstance(body, str) else body
        body = body.replace(b"{{base}}", self.fixture.base_url.encode())
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self._send(int(spec.get("status", 200)), headers, body, head)

    def _send_generated(self, status: int, headers: dict[str, str], size: int, chunked: bool, head: bool) -> None:
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if head:
            return
        block = (b"<p>" + b"Lambersart " * 90 + b"</p>\n")[:1024]
        sent = 0
        while sent < size:
            piece = block[: min(len(block), size - sent)]
            if chunked:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            sent += len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    # ------------------------------------------------------------------- files
    def _serve_file(self, path: str, head: bool, query: str = "") -> None:
        root = self.fixture.root
        if root is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found", head)
            return
        from urllib.parse import unquote

        target = (root / unquote(path).lstrip("/")).resolve()
        if root not in target.parents and target != root:
            self._send(403, {"Content-Type": "text/plain"}, b"forbidden", head)
            return
        suffix = target.suffix.lower()
        if query:  # viewtopic.php?t=12 is served from the file "viewtopic.php@t=12"
            with_query = target.with_name(f"{target.name}@{unquote(query)}")
            if with_query.is_file():
                target = with_query
        if target.is_dir():
            target = target / "index.html"
            suffix = ".html"
        if not target.is_file():
            self._send(404, {"Content-Type": "text/html; charset=utf-8"},
                       b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
                       head)
            return
        body = target.read_bytes()
        if suffix == "" or "@" in suffix:
            suffix = ".html"  # t.me/s/<channel>, spip.php@article12: pages without an extension
        content_type = TEXT_TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        is_text = content_type.startswith("text/") or suffix in TEXT_TYPES
        if is_text:
            body = body.replace(b"{{base}}", self.fixture.base_url.encode())
            if "charset" not in content_type and suffix not in (".json", ".jsonl"):
                content_type += "; charset=utf-8"
        status = 200
        headers = {"Content-Type": content_type,
                   "ETag": '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"',
                   "Last-Modified": _http_date(target.stat().st_mtime)}
        sidecar = target.with_name(target.name + ".headers")
        if sidecar.is_file():
            for line in sidecar.read_text(encoding="utf-8").splitlines():
                if ":" not in line:
                    continue
                name, value = (p.strip() for p in line.split(":", 1))
                if name.lower() == "status":
                    status = int(value)
                elif value:
                    headers[name] = value.replace("{{base}}", self.fixture.base_url)
                else:
                    headers.pop(name, None)
        if status == 200 and self._not_modified(headers.get("ETag"), headers.get("Last-Modified")):
            self._send(304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"", head)
            return
        self._send(status, headers, body, head)

    def _not_modified(self, etag: str | None, last_modified: str | None) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm and etag:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims and last_modified:
            try:
                return email.utils.parsedate_to_datetime(last_modified) <= email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)


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
