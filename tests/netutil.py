"""A real TCP proxy on 127.0.0.1 that cuts the line on cue, for fault injection.

The client under test talks to the real node through it; nothing is replaced.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit


class CuttingProxy:
    """Forward to ``target``; let ``occurrences`` requests containing ``cut_after`` through,
    and when the next such request comes, close every connection and refuse new ones."""

    def __init__(self, target_url: str, cut_after: bytes, occurrences: int = 1):
        parts = urlsplit(target_url)
        self.target = (parts.hostname, parts.port or 80)
        self.marker = cut_after
        self.allowed = occurrences
        self.cut = False
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> CuttingProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            for sock in [self._server, *self._sockets]:
                with contextlib.suppress(OSError):
                    sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while not self.cut:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self.marker in data:
                    if self.allowed <= 0:
                        self._cut_now()
                        break
                    self.allowed -= 1
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _cut_now(self) -> None:
        self.cut = True
        with self._lock:
            for sock in [self._server, *self._sockets]:
                with contextlib.suppress(OSError):
                    sock.close()
