"""A local SMTP server for the demo: every message it receives is kept as a ``.eml`` file.

`vigie demo` starts one on 127.0.0.1 so that alerts and the digest are really sent over SMTP and can
be opened afterwards (any mail client opens ``.eml`` files).  Nothing leaves the machine.

    with SmtpSink(folder) as sink:           # port 0: a free port
        env = sink.env                       # VIGIE_SMTP_HOST / VIGIE_SMTP_PORT for the senders
        ...
        sink.messages                        # [(recipients, email.message.EmailMessage, path)]
"""

from __future__ import annotations

import email
import re
import socket
import threading
from email import policy
from email.message import EmailMessage
from pathlib import Path


class SmtpSink:
    def __init__(self, folder: str | Path, port: int = 0):
        self.folder = Path(folder)
        self.port = port or _free_port()
        self.messages: list[tuple[list[str], EmailMessage, Path]] = []
        self._lock = threading.Lock()
        self._controller = None

    @property
    def env(self) -> dict[str, str]:
        return {"VIGIE_SMTP_HOST": "127.0.0.1", "VIGIE_SMTP_PORT": str(self.port),
                "VIGIE_SMTP_FROM": "vigie-demo@localhost"}

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self.folder.mkdir(parents=True, exist_ok=True)
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink._keep(list(envelope.rcpt_tos), envelope.original_content or envelope.content)
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _keep(self, recipients: list[str], raw: bytes) -> None:
        message = email.message_from_bytes(raw, policy=policy.default)
        with self._lock:
            number = len(list(self.folder.glob("*.eml"))) + 1  # a folder kept from an earlier run goes on
            subject = re.sub(r"[^\w-]+", "-", str(message.get("Subject", "")), flags=re.ASCII).strip("-")[:60]
            path = self.folder / f"{number:03d}-{subject or 'message'}.eml"
            path.write_bytes(raw)
            self.messages.append((recipients, message, path))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
