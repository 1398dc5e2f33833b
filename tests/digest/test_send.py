"""Sending to a real SMTP server on loopback (aiosmtpd): once per watch and day, retried, parsed back."""

from __future__ import annotations

import re
import smtplib
import ssl
from datetime import date

import pytest

from tests.support import names, run_settings

DAY = date(2026, 11, 17)


def settings(port, **kwargs):
    from vigie.mail import SmtpSettings

    return SmtpSettings("127.0.0.1", port, sender="vigie@testville.example", timeout=5, **kwargs)


def run(client, watch, tmp_path, port, **kwargs):
    from vigie.digest.runner import run_digest

    kwargs.setdefault("smtp", settings(port))
    return run_digest(run_settings(), watch, DAY, client=client, out=tmp_path / "out" / "digest.html", send=True,
                      backoff=0.01, **kwargs)


def parts(msg):
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = msg.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert html.get_content_type() == "text/html" and image.get_content_type() == "image/png"
    return plain.get_content(), html.get_content(), image


def test_sent_once_with_both_parts_the_chart_and_hostile_text_inert(constructed, watch, tmp_path, state,
                                                                     smtp_factory, unused_port):
    from vigie.digest.store import DigestStore

    server = smtp_factory(unused_port)
    outcome = run(constructed, watch, tmp_path, unused_port)
    assert (outcome.status, outcome.sent, outcome.error) == ("sent", True, None)
    assert len(server.messages) == 1
    rcpts, msg, _raw, _tls = server.messages[0]
    assert sorted(rcpts) == ["com@testville.example", "elus@testville.example"]
    assert msg["Subject"] == outcome.subject
    assert outcome.subject == "Veille Ville de Testville – 17 nov. 2026 : 16 publications (+300 % vs veille)"
    assert msg["From"] == "vigie@testville.example" and msg["X-Vigie-Digest"] == "testville:2026-11-17"
    text, html, image = parts(msg)
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html and image.get_content_disposition() == "inline"
    png = image.get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;cliquez ici&lt;/a&gt;" in html
    assert not re.search(r"href=[\"']?javascript", html, re.I) and "javascript:alert(3)" not in text
    assert "<script>alert(1)</script> <a href=" in text          # plain text: the same words, never interpreted
    assert "Mardi 17 novembre 2026" in text and "Demandes citoyennes en attente de réponse" in html
    # the files are written too; the one on disk shows the chart from the file beside it
    assert outcome.html_path.read_text(encoding="utf-8").count('src="digest.png"') == 1
    assert outcome.text_path.read_text(encoding="utf-8") == text.replace("\r\n", "\n")
    record = DigestStore(constructed, names).get("testville", DAY)
    assert record["status"] == "sent" and record["attempts"] == 1 and record["total"] == 16
    # a re-run sends nothing; force sends again
    again = run(constructed, watch, tmp_path, unused_port)
    assert (again.status, again.sent) == ("already_sent", False) and len(server.messages) == 1
    forced = run(constructed, watch, tmp_path, unused_port, force=True)
    assert forced.status == "sent" and len(server.messages) == 2
    assert DigestStore(constructed, names).get("testville", DAY)["runs"] == 2


def test_smtp_down_then_back_failed_then_sent_once(constructed, watch, tmp_path, state, smtp_factory, unused_port):
    from vigie.digest.store import DigestStore

    waits = []
    down = run(constructed, watch, tmp_path, unused_port, sleep=waits.append, retries=3)
    assert down.status == "failed" and down.attempts == 3 and "ConnectionRefusedError" in down.error
    assert waits == [0.01, 0.02]                                  # exponential backoff between attempts
    assert down.html_path.exists() and down.text_path.exists()   # written whatever happens to the email
    assert DigestStore(constructed, names).get("testville", DAY)["status"] == "failed"
    server = smtp_factory(unused_port)
    back = run(constructed, watch, tmp_path, unused_port)
    assert back.status == "sent" and len(server.messages) == 1
    assert run(constructed, watch, tmp_path, unused_port).status == "already_sent"
    assert len(server.messages) == 1


def test_concurrent_run_is_in_progress_and_a_stale_claim_is_taken_over(constructed, watch, tmp_path, state,
                                                                       smtp_factory, unused_port):
    from datetime import timedelta

    from vigie.digest.store import STALE, DigestStore

    server = smtp_factory(unused_port)
    claim = DigestStore(constructed, names).claim("testville", DAY)             # another run is sending right now
    assert claim.granted
    outcome = run(constructed, watch, tmp_path, unused_port)
    assert outcome.status == "in_progress" and "another run" in outcome.error   # not "already_sent": nothing went out
    assert server.messages == []
    assert not (tmp_path / "out" / "digest.html").exists()                # the other run writes the files
    claimed = DigestStore(constructed, names).get("testville", DAY)["claimed_at"]
    from datetime import datetime

    later = datetime.fromisoformat(claimed) + STALE + timedelta(seconds=1)
    taken = run(constructed, watch, tmp_path, unused_port, now=later)     # that run died: taken over
    assert taken.status == "sent" and len(server.messages) == 1


def test_empty_day_says_so_plainly(es, watch, tmp_path, state, smtp_factory, unused_port):
    from vigie.digest.runner import run_digest
    from vigie.indexes.setup import install

    install(es, ["testville"], names=names)
    written = run_digest(run_settings(), watch, DAY, client=es)
    assert written.status == "empty" and not written.sent
    assert written.html_path == state / "digests" / "testville" / "2026-11-17.html"
    html = written.html_path.read_text(encoding="utf-8")
    assert "Aucune publication collectée le 17 novembre 2026 pour Ville de Testville." in html
    assert "sources sont peut-être indisponibles" in html and "Tonalité" not in html
    assert written.subject == "Veille Ville de Testville – 17 nov. 2026 : aucune publication collectée"
    server = smtp_factory(unused_port)
    sent = run(es, watch, tmp_path, unused_port)
    assert (sent.status, sent.sent) == ("empty", True) and len(server.messages) == 1
    msg = server.messages[0][1]
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.get_payload()] == ["text/plain", "text/html"]
    assert "Aucune publication collectée le 17 novembre 2026" in msg.get_body(("plain",)).get_content()
    assert run(es, watch, tmp_path, unused_port).status == "already_sent"


def test_no_recipients_or_no_smtp_is_a_failure(es, tmp_path, state, monkeypatch):
    from vigie.config import load_config
    from vigie.digest.runner import run_digest
    from vigie.indexes.setup import install

    from .conftest import watch_file

    install(es, ["testville"], names=names)
    nobody = load_config(watch_file(tmp_path, recipients=[])).watches[0]
    outcome = run_digest(run_settings(), nobody, DAY, client=es, send=True, smtp=settings(1))
    assert outcome.status == "failed" and "digest.recipients" in outcome.error
    for name in ("VIGIE_SMTP_HOST", "VIGIE_SMTP_CONN_ID"):
        monkeypatch.delenv(name, raising=False)
    watch = load_config(watch_file(tmp_path)).watches[0]
    outcome = run_digest(run_settings(), watch, DAY, client=es, send=True)
    assert outcome.status == "failed" and "VIGIE_SMTP_HOST" in outcome.error


# --- vigie/mail.py: STARTTLS + AUTH and implicit TLS against aiosmtpd ------------------------------------

def _message(subject="Test TLS"):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["To"] = "com@testville.example"
    msg["Subject"] = subject
    msg.set_content("Bonjour")
    return msg


def test_starttls_with_auth(smtp_factory, unused_port, server_tls, certificate):
    from vigie.mail import send

    server = smtp_factory(unused_port, tls=server_tls, starttls=True, users={"vigie": "s3cret"})
    ok = settings(unused_port, user="vigie", password="s3cret", starttls=True, ca_certs=str(certificate["ca"]))
    assert send(_message(), ok) == ["com@testville.example"]
    assert server.logins == ["vigie"] and len(server.messages) == 1 and server.messages[0][3] is True
    with pytest.raises(smtplib.SMTPAuthenticationError):
        send(_message(), settings(unused_port, user="vigie", password="wrong", starttls=True,
                                  ca_certs=str(certificate["ca"])))
    with pytest.raises(ssl.SSLCertVerificationError):           # the certificate is verified: no private CA, no mail
        send(_message(), settings(unused_port, user="vigie", password="s3cret", starttls=True))
    with pytest.raises(smtplib.SMTPException):                  # the server demands STARTTLS before anything else
        send(_message(), settings(unused_port))
    assert len(server.messages) == 1


# aiosmtpd warns because it does not see implicit TLS as TLS for AUTH; the connection is encrypted from the start
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(smtp_factory, unused_port, server_tls, certificate):
    from vigie.mail import send

    server = smtp_factory(unused_port, tls=server_tls, users={"vigie": "s3cret"})
    assert send(_message("SSL"), settings(unused_port, user="vigie", password="s3cret", ssl=True,
                                          ca_certs=str(certificate["ca"])))
    assert server.logins == ["vigie"] and [m[1]["Subject"] for m in server.messages] == ["SSL"]
    assert server.messages[0][3] is True
    with pytest.raises(ssl.SSLCertVerificationError):
        send(_message(), settings(unused_port, user="vigie", password="s3cret", ssl=True))


def test_digest_through_starttls_from_environment(constructed, watch, tmp_path, state, monkeypatch, smtp_factory,
                                                  unused_port, server_tls, certificate):
    from vigie.digest.runner import run_digest

    server = smtp_factory(unused_port, tls=server_tls, starttls=True, users={"vigie": "s3cret"})
    for key, value in {"VIGIE_SMTP_HOST": "localhost", "VIGIE_SMTP_PORT": str(unused_port),
                       "VIGIE_SMTP_STARTTLS": "true", "VIGIE_SMTP_USER": "vigie", "VIGIE_SMTP_PASSWORD": "s3cret",
                       "VIGIE_SMTP_FROM": "veille@testville.example", "VIGIE_SMTP_CA_CERTS": str(certificate["ca"]),
                       "VIGIE_SMTP_TIMEOUT": "5"}.items():
        monkeypatch.setenv(key, value)
    outcome = run_digest(run_settings(), watch, DAY, client=constructed, send=True)
    assert outcome.status == "sent" and len(server.messages) == 1
    assert server.messages[0][1]["From"] == "veille@testville.example"


def test_ca_certs_from_environment_and_airflow_uri(tmp_path):
    from vigie.mail import SmtpSettings

    s = SmtpSettings.from_env({"VIGIE_SMTP_HOST": "mail.example", "VIGIE_SMTP_SSL": "1",
                               "VIGIE_SMTP_CA_CERTS": "/etc/ca.pem"})
    assert (s.port, s.ssl, s.ca_certs) == (465, True, "/etc/ca.pem")
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "smtp_vigie", "AIRFLOW_CONN_SMTP_VIGIE":
                               "smtp://u:pw@mail.example:587?disable_ssl=true&ca_certs=%2Fetc%2Fprivate.pem"
                               "&from_email=veille%40ville.example"})
    assert (s.starttls, s.ca_certs, s.sender) == (True, "/etc/private.pem", "veille@ville.example")
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "c", "AIRFLOW_CONN_C": "smtps://mail.example",
                               "VIGIE_SMTP_CA_CERTS": "/etc/ca.pem"})
    assert (s.ssl, s.ca_certs) == (True, "/etc/ca.pem")
