"""A real HTTP relay in front of an Elasticsearch node that can hold the first bulk write.

The Celery workers' tasks talk to Elasticsearch through it. When ``hold_bulk`` is set, the first
``_bulk`` request waits in the relay (``bulk_held`` is set) until the test ``release()``s it: the test
stops a node while a bulk write is in flight, for sure, whatever the timing of the tasks. Every request
is forwarded unchanged to ``upstream`` and its answer returned unchanged.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that gave up (its own timeout) closes the connection: not an error of the relay."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class EsRelay:
    def __init__(self, upstream: str, hold_bulk: bool = True, hold_timeout: float = 300):
        self.upstream = urlsplit(upstream)
        self.hold_bulk = hold_bulk
        self.hold_timeout = hold_timeout
        self.bulk_held = threading.Event()
        self._release = threading.Event()
        self.bulk_requests = 0
        self.requests = 0
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="es-relay", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> EsRelay:
        self._thread.start()
        return self

    def release(self) -> None:
        self._release.set()

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> EsRelay:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_if_first_bulk(self, path: str) -> None:
        if "_bulk" not in path.split("?")[0]:
            return
        with self._lock:
            self.bulk_requests += 1
            first = self.bulk_requests == 1
        if first and self.hold_bulk:
            self.bulk_held.set()
            self._release.wait(self.hold_timeout)

    def _handler(self):
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # quiet
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with relay._lock:
                    relay.requests += 1
                relay._wait_if_first_bulk(self.path)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
                upstream = http.client.HTTPConnection(relay.upstream.hostname, relay.upstream.port, timeout=120)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    status, answer_headers = answer.status, answer.getheaders()
                except OSError as exc:
                    status, answer_headers = 502, [("Content-Type", "text/plain")]
                    data = f"relay: upstream unreachable: {exc}".encode()
                finally:
                    upstream.close()
                self.send_response(status)
                for name, value in answer_headers:
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        return Handler
