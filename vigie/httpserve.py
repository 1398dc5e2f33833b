"""A ``ThreadingHTTPServer`` run in a daemon thread: the demo sites and the tests' fixture servers.

    httpd = start_server(Handler, "127.0.0.1", 0, name="demo-sites")   # port 0: a free one
    httpd.server_address[1]                                             # the port it got
    stop_server(httpd)
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client hung up (a crawler cancelled a download, or was killed): expected
        super().handle_error(request, client_address)


def start_server(handler: type[BaseHTTPRequestHandler], host: str, port: int, name: str,
                 poll_interval: float = 0.05) -> QuietServer:
    """Bind (raises OSError, e.g. a busy port) and serve in a daemon thread."""
    httpd = QuietServer((host, port), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": poll_interval},
                     name=f"{name}-{httpd.server_address[1]}", daemon=True).start()
    return httpd


def stop_server(httpd: ThreadingHTTPServer | None) -> None:
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()


def serve_until_interrupted(stop) -> None:
    """Block until Ctrl-C, then call ``stop`` (the ``python -m …`` entry points of the servers)."""
    import time

    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stop()
