"""One loopback HTTP server for the demo sites and the tests' fixture servers.

``LoopbackServer`` listens on 127.0.0.1 (port 0: a free one) in a daemon thread of the calling
process; crawls reach it over TCP like any website.  Every request is recorded as a ``Hit`` and
answered by ``answer(hit)``, which a subclass gives (the demo sites dispatch to their platforms,
the tests' ``FixtureServer`` serves a fixture folder and programmable routes):

    class Hello(LoopbackServer):
        def answer(self, hit):
            return 200, {"Content-Type": "text/plain"}, b"hello"

    with Hello() as server:           # or server.start() ... server.stop()
        server.url("/x")              # http://127.0.0.1:PORT/x
        server.hits_for("/x")         # what was asked

The server writes the status, the headers and ``Content-Length``, and leaves the body out of
``HEAD`` and ``304`` answers.  A body may be an iterable of byte strings (sent as it is produced,
in chunks when the answer says ``Transfer-Encoding: chunked``).  With ``etags = True``, a 200
answer to GET gets an ``ETag`` (a hash of the body) and a matching ``If-None-Match`` gets 304.
"""

from __future__ import annotations

import errno
import hashlib
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], "bytes | Iterable[bytes]"]


@dataclass
class Hit:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    time: float
    body: bytes = b""
    query_string: str = ""         # the raw query, as sent

    @property
    def target(self) -> str:
        return self.path + ("?" + "&".join(f"{k}={v}" for k, vs in self.query.items() for v in vs)
                            if self.query else "")

    def header(self, name: str, default: str | None = None) -> str | None:
        """A request header, whatever the case of its name."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), default)


class PortBusy(OSError):
    """The port asked for is already taken."""


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client hung up (a crawler cancelled a download, or was killed): expected
        super().handle_error(request, client_address)


class LoopbackServer:
    """See the module docstring; subclasses give ``answer``."""

    host = "127.0.0.1"
    name = "vigie-http"
    server_version = "Vigie/1.0"
    etags = False
    poll_interval = 0.05

    def __init__(self, port: int = 0):
        self.port = port
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._httpd: QuietServer | None = None

    # ---------------------------------------------------------------- control
    def start(self):
        owner = self

        class Handler(_Handler):
            server_version = owner.server_version
            loopback = owner

        try:
            self._httpd = QuietServer((self.host, self.port), Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortBusy(errno.EADDRINUSE, f"{self.host}:{self.port} is busy") from None
            raise
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": self.poll_interval},
                         name=f"{self.name}-{self.port}", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
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

    # ------------------------------------------------------------------ hits
    def answer(self, hit: Hit) -> Answer:
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n"

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


class _Handler(BaseHTTPRequestHandler):
    loopback: LoopbackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
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
        hit = Hit(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), time.time(), body,
                  parts.query)
        self.loopback._record(hit)
        try:
            status, headers, payload = self.loopback.answer(hit)
            headers = dict(headers)
            if self.loopback.etags and status == 200 and self.command in ("GET", "HEAD") \
                    and isinstance(payload, bytes):
                etag = '"' + hashlib.blake2b(payload, digest_size=8).hexdigest() + '"'
                headers["ETag"] = etag
                if etag in [t.strip() for t in (self.headers.get("If-None-Match") or "").split(",")]:
                    status, payload = 304, b""
            self._send(status, headers, payload, head)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, headers: dict[str, str], body: bytes | Iterable[bytes], head: bool) -> None:
        chunked = headers.get("Transfer-Encoding", "").lower() == "chunked"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304 and not chunked and "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))  # type: ignore[arg-type]
        self.end_headers()
        if head or status == 304:
            return
        if isinstance(body, bytes):
            self.wfile.write(body)
            return
        for piece in body:
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def serve_until_interrupted(stop) -> None:
    """Block until Ctrl-C, then call ``stop`` (the ``python -m …`` entry points of the servers)."""
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stop()


def start_server(handler: type[BaseHTTPRequestHandler], host: str, port: int, name: str,
                 poll_interval: float = 0.05) -> QuietServer:
    """A bare ``BaseHTTPRequestHandler`` served in a daemon thread (for a handler that needs the raw
    request, e.g. a protocol checker); ``LoopbackServer`` is the usual way."""
    httpd = QuietServer((host, port), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": poll_interval},
                     name=f"{name}-{httpd.server_address[1]}", daemon=True).start()
    return httpd


def stop_server(httpd: ThreadingHTTPServer | None) -> None:
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
