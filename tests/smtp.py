"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests: plain, STARTTLS or implicit TLS, with or
without AUTH.  Shared by the alerts and digest tests."""

from __future__ import annotations

import ssl
from collections.abc import Iterator


class Smtp:
    """A real aiosmtpd server on 127.0.0.1; ``messages`` holds (recipients, parsed message, raw bytes, over TLS),
    or only (recipients, parsed message) when ``brief``."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None, starttls: bool = False,
                 users: dict[str, str] | None = None, brief: bool = False):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        self.messages: list = []
        self.logins: list[str] = []
        self.on_message = None            # called with the parsed message once it is accepted
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                from email import policy

                raw = envelope.original_content or envelope.content
                parsed = email.message_from_bytes(raw, policy=policy.default)
                tls_used = server.transport.get_extra_info("ssl_object") is not None
                outer.messages.append((envelope.rcpt_tos, parsed) if brief else
                                      (envelope.rcpt_tos, parsed, raw, tls_used))
                if outer.on_message:
                    outer.on_message(parsed)
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword) and users:
                user, password = auth_data.login.decode(), auth_data.password.decode()
                if users.get(user) == password:
                    outer.logins.append(user)
                    return AuthResult(success=True)
            return AuthResult(success=False, handled=False)

        kwargs: dict = {}
        if starttls:
            kwargs.update(tls_context=tls, require_starttls=True)
        elif tls is not None:
            kwargs.update(ssl_context=tls)
        if users is not None:
            # aiosmtpd only counts STARTTLS as TLS for AUTH; with implicit TLS the whole connection is encrypted
            kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=starttls)
        self.port = port
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost",
                                     **kwargs)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def smtp_servers(**defaults) -> Iterator:
    """The body of an ``smtp_factory`` fixture: yields ``start(port, **kwargs)``, stops the servers after."""
    servers = []

    def start(port, **kwargs):
        server = Smtp(port, **{**defaults, **kwargs}).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
