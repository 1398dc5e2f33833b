"""Sending email over SMTP, with settings from the environment (or an Airflow connection).

Used by the alerts and the daily digest.  Secrets are read from the environment only.

| variable | meaning |
|---|---|
| ``VIGIE_SMTP_HOST`` / ``VIGIE_SMTP_PORT`` | server (port default: 465 with SSL, 587 with STARTTLS, else 25) |
| ``VIGIE_SMTP_USER`` / ``VIGIE_SMTP_PASSWORD`` | login, when the server asks for one |
| ``VIGIE_SMTP_STARTTLS`` / ``VIGIE_SMTP_SSL`` | ``true`` to upgrade with STARTTLS / to connect with TLS |
| ``VIGIE_SMTP_FROM`` | sender address (default ``vigie@localhost``) |
| ``VIGIE_SMTP_TIMEOUT`` | seconds (default 30) |
| ``VIGIE_SMTP_CA_CERTS`` | PEM file of the certificate authorities to trust for SSL/STARTTLS (default: the system's);
  for a server with a private CA |
| ``VIGIE_SMTP_CONN_ID`` | instead of the above: an Airflow connection id (``AIRFLOW_CONN_<ID>`` URI such as
  ``smtp://user:pass@host:587?disable_ssl=true&from=vigie%40ville.example`` or its JSON form
  ``{"conn_type": "smtp", "host": …, "port": …, "login": …, "password": …, "extra": {…}}``, else Airflow's
  connections (``airflow.sdk.BaseHook``); the extras ``from_email``/``from``, ``timeout``, ``ca_certs``,
  ``disable_ssl``, ``disable_tls`` are read) |

The server's certificate is always verified (host name included); a private CA is trusted with
``VIGIE_SMTP_CA_CERTS`` or the connection's ``ca_certs`` extra, never by turning verification off.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field, replace
from email.message import EmailMessage

from vigie.redact import redact_url

TRUE = {"1", "true", "yes", "on"}


class MailNotConfigured(RuntimeError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    ssl: bool = False
    sender: str = "vigie@localhost"
    timeout: float = 30.0
    ca_certs: str | None = None

    def tls_context(self) -> ssl.SSLContext:
        """Certificate and host name verified, against ``ca_certs`` when set, else the system's CAs."""
        return ssl.create_default_context(cafile=self.ca_certs) if self.ca_certs else ssl.create_default_context()

    @classmethod
    def from_env(cls, env: dict | None = None) -> SmtpSettings:
        env = os.environ if env is None else env
        if env.get("VIGIE_SMTP_HOST"):
            use_ssl = env.get("VIGIE_SMTP_SSL", "").lower() in TRUE
            starttls = env.get("VIGIE_SMTP_STARTTLS", "").lower() in TRUE
            port = int(env.get("VIGIE_SMTP_PORT") or (465 if use_ssl else 587 if starttls else 25))
            return cls(env["VIGIE_SMTP_HOST"], port, env.get("VIGIE_SMTP_USER") or None,
                       env.get("VIGIE_SMTP_PASSWORD") or None, starttls, use_ssl,
                       env.get("VIGIE_SMTP_FROM") or "vigie@localhost", float(env.get("VIGIE_SMTP_TIMEOUT") or 30),
                       env.get("VIGIE_SMTP_CA_CERTS") or None)
        conn_id = env.get("VIGIE_SMTP_CONN_ID")
        if conn_id:
            settings = cls.from_airflow(conn_id, env)
            if env.get("VIGIE_SMTP_CA_CERTS") and not settings.ca_certs:
                settings = replace(settings, ca_certs=env["VIGIE_SMTP_CA_CERTS"])
            return settings
        raise MailNotConfigured("no SMTP server configured: set VIGIE_SMTP_HOST (and VIGIE_SMTP_PORT, "
                                "VIGIE_SMTP_USER, VIGIE_SMTP_PASSWORD, VIGIE_SMTP_STARTTLS or VIGIE_SMTP_SSL, "
                                "VIGIE_SMTP_FROM) or VIGIE_SMTP_CONN_ID")

    @classmethod
    def from_airflow(cls, conn_id: str, env: dict | None = None) -> SmtpSettings:
        """An Airflow connection (``AIRFLOW_CONN_<ID>`` as a URI or JSON, or Airflow's store): host, port,
        login, password, type ``smtps`` for SSL, extras ``disable_ssl``, ``disable_tls``, ``from_email``
        (or ``from``), ``timeout`` and ``ca_certs``."""
        from vigie.connections import ConnectionInvalid, extras, get

        try:
            conn = get(conn_id, env)
            extra = extras(conn)
        except ConnectionInvalid as exc:
            raise MailNotConfigured(f"SMTP: {exc}") from None
        if not conn.host:
            raise MailNotConfigured(f"the SMTP connection {conn_id!r} has no host")
        use_ssl, starttls = _airflow_encryption(extra, smtps=(conn.conn_type or "").lower() == "smtps")
        return cls(conn.host, int(conn.port) if conn.port else (465 if use_ssl else 587 if starttls else 25),
                   conn.login or None, conn.password or None, starttls, use_ssl,
                   extra.get("from_email") or extra.get("from") or "vigie@localhost",
                   float(extra.get("timeout") or 30), extra.get("ca_certs") or None)


def _airflow_encryption(extra: dict, smtps: bool = False) -> tuple[bool, bool]:
    """(ssl, starttls) as Airflow's SMTP connections mean them: SSL unless ``disable_ssl``, else
    STARTTLS unless ``disable_tls``; both encrypted by default."""
    def flag(name: str) -> bool:
        return str(extra.get(name, "")).lower() in TRUE

    use_ssl = smtps or not flag("disable_ssl")
    starttls = not use_ssl and not flag("disable_tls")
    return use_ssl, starttls


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def send(message: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Send one message; returns the recipients the server accepted.  Raises on any failure."""
    if settings.user and not (settings.ssl or settings.starttls) and settings.host not in LOOPBACK:
        raise MailNotConfigured(
            f"refusing to send the SMTP password to {redact_url(settings.host)} over an unencrypted connection: "
            "set VIGIE_SMTP_STARTTLS or VIGIE_SMTP_SSL (or the connection's SSL/TLS)")
    if "From" not in message:
        message["From"] = settings.sender
    context = settings.tls_context()
    if settings.ssl:
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.starttls and not settings.ssl:
            server.starttls(context=context)
        if settings.user:
            server.login(settings.user, settings.password or "")
        refused = server.send_message(message)
    recipients = [a.strip() for h in ("To", "Cc", "Bcc") for a in (message.get_all(h) or []) for a in a.split(",")]
    return [r for r in recipients if r and r not in refused]
