"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1) and a real local HTTP server."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from vigie.alerts.deliver.log import DeliveryLog, Dispatcher, channels_for
from vigie.alerts.deliver.webhook import WebhookChannel
from vigie.alerts.engine import Engine

from .conftest import T0, background, load_watch, make_doc

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Rue inondée, caves inondées, évacuation !'


def flood_events(watch, n=12):
    start = T0 + timedelta(days=1, hours=19)
    flood = [make_doc(f"f{i}", f"{HOSTILE} {i}", start + timedelta(minutes=4 * i),
                      url="javascript:alert(document.cookie)" if i == 0 else f"https://social.example/@a/{i}",
                      title='Titre <b onmouseover="x()">piégé</b>' if i == 1 else None)
             for i in range(n)]
    docs = sorted(background() + flood, key=lambda d: (d.published_at, d.doc_id))
    return Engine(watch).run(docs)


def _parts(msg):
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_one_email_per_alert_and_escalation_with_hostile_text_inert(tmp_path, smtp_factory, smtp_env, unused_port):
    server = smtp_factory(unused_port)
    smtp_env.setenv("VIGIE_SMTP_PORT", str(unused_port))
    watch = load_watch(tmp_path)
    events = flood_events(watch)
    assert len(events) >= 2                                      # a new alert and at least one escalation
    dispatcher = Dispatcher(channels_for(watch, os.environ))
    report = dispatcher.deliver(events)
    assert report["sent"] == len(events) and report["failed"] == 0
    assert len(server.messages) == len(events)
    keys = [msg["X-Vigie-Alert"] for _, msg in server.messages]
    assert keys == [f"{e['alert_id']}:{e['level']}" for e in events]
    rcpts, msg = server.messages[0]
    assert sorted(rcpts) == ["alertes@testville.example", "elus@testville.example"]
    assert msg["From"] == "vigie@testville.example" and msg["Subject"].startswith("[Vigie] Information : ")
    text, html = _parts(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b onmouseover" not in html and "&lt;b onmouseover" in html
    assert "javascript:" not in html and "javascript:" not in text
    assert 'href="https://social.example/@a/' in html
    assert "Crise possible" in text and "Messages : " in text and "vigie alerts ack" in text
    assert "Niveau : 1 — information (sur 3)" in text and "Détecteurs : mots-clés de crise" in text
    assert "Escalade" in server.messages[1][1]["Subject"]
    # a second run with the same events sends nothing (delivery log keyed by alert and level)
    again = Dispatcher(channels_for(watch, os.environ)).deliver(events)
    assert again["sent"] == 0 and again["already_sent"] == len(events)
    assert len(server.messages) == len(events)


def test_smtp_down_then_back_delivered_once(tmp_path, smtp_factory, smtp_env, unused_port):
    smtp_env.setenv("VIGIE_SMTP_PORT", str(unused_port))
    watch = load_watch(tmp_path)
    events = flood_events(watch)[:1]
    with socket.socket() as probe:                                # nothing listens: connection refused
        assert probe.connect_ex(("127.0.0.1", unused_port)) != 0
    sleeps = []
    down = Dispatcher(channels_for(watch, os.environ), retries=3, backoff=0.01, sleep=sleeps.append).deliver(events)
    assert down["failed"] == 1 and down["sent"] == 0 and sleeps == [0.01, 0.02]
    sent, pending = DeliveryLog().state()
    assert not sent and len(pending) == 1
    server = smtp_factory(unused_port)
    back = Dispatcher(channels_for(watch, os.environ)).deliver([])            # the next run sends what was left over
    assert back["sent"] == 1 and len(server.messages) == 1
    again = Dispatcher(channels_for(watch, os.environ)).deliver(events)  # the same event seen again is not re-sent
    assert again["sent"] == 0 and len(server.messages) == 1


def test_webhook_formats_delivered_to_local_server(tmp_path, hooks, smtp_env):
    watch = load_watch(tmp_path)
    events = flood_events(watch)
    formats = ["slack", "mattermost", "teams", "teams_adaptive", "json"]
    channels = []
    for fmt in formats:
        smtp_env.setenv(f"HOOK_{fmt.upper()}", f"{hooks.url}/{fmt}")
        channels.append(WebhookChannel(fmt.replace("_", "-"), f"HOOK_{fmt.upper()}", fmt, watch.name, watch.timezone))
    hooks.fail_next = 1                                           # the first post gets a 503: retried
    report = Dispatcher(channels, backoff=0.01).deliver(events)
    assert report["failed"] == 0 and report["sent"] == len(events) * len(formats)
    by_path = {}
    for path, body in hooks.received:
        by_path.setdefault(path, []).append(body)
    assert {p: len(b) for p, b in by_path.items()} == {f"/{f}": len(events) for f in formats}
    slack = by_path["/slack"][0]["text"]
    assert "<script>" not in slack and "&lt;script&gt;" in slack and "javascript:" not in slack
    assert "<https://social.example/@a/" in slack                 # Slack link syntax, real links only
    assert by_path["/mattermost"][0]["text"].startswith("**Crise possible")
    card = by_path["/teams"][0]
    assert card["@type"] == "MessageCard" and card["sections"][0]["facts"]
    adaptive = by_path["/teams_adaptive"][0]["attachments"][0]
    assert adaptive["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert adaptive["content"]["type"] == "AdaptiveCard" and adaptive["content"]["version"] == "1.4"
    raw = by_path["/json"][0]
    assert raw["alert_id"] == events[0]["alert_id"] and raw["fired_at"] == events[0]["fired_at"]
    assert Dispatcher(channels).deliver(events)["sent"] == 0


def test_webhook_missing_url_variable_is_an_error_kept_for_later(tmp_path, smtp_env, hooks):
    watch = load_watch(tmp_path, webhooks=[{"name": "com", "url_env": "VIGIE_TEST_HOOK_UNSET", "format": "slack"}])
    events = flood_events(watch)[:1]
    smtp_env.delenv("VIGIE_TEST_HOOK_UNSET", raising=False)
    smtp_env.delenv("VIGIE_SMTP_HOST")
    webhooks = [c for c in channels_for(watch, os.environ) if c.name.startswith("webhook")]
    report = Dispatcher(webhooks, backoff=0).deliver(events)
    assert report["failed"] == 1 and "VIGIE_TEST_HOOK_UNSET" in report["errors"][0]
    smtp_env.setenv("VIGIE_TEST_HOOK_UNSET", f"{hooks.url}/late")
    report = Dispatcher([c for c in channels_for(watch, os.environ) if c.name.startswith("webhook")]).deliver([])
    assert report["sent"] == 1 and hooks.received[0][0] == "/late"


def test_an_unreachable_webhook_never_shows_its_url(tmp_path, smtp_env, unused_port, caplog):
    """A webhook URL is a secret (Slack and Teams put the credential in its path)."""
    secret = "s3cr3tTOKENxyz"
    watch = load_watch(tmp_path, webhooks=[{"name": "com", "url_env": "VIGIE_TEST_HOOK", "format": "slack"}])
    smtp_env.setenv("VIGIE_TEST_HOOK", f"http://127.0.0.1:{unused_port}/services/T000/B000/{secret}")
    smtp_env.delenv("VIGIE_SMTP_HOST")
    webhooks = [c for c in channels_for(watch, os.environ) if c.name.startswith("webhook")]
    report = Dispatcher(webhooks, backoff=0).deliver(
        flood_events(watch)[:1])
    assert report["failed"] == 1 and "webhook unreachable" in report["errors"][0]
    stored = "".join(p.read_text() for p in (tmp_path / "state").rglob("*") if p.is_file())
    for text in (*report["errors"], stored, caplog.text):
        assert secret not in text


def test_smtp_settings_from_environment_and_airflow_uri():
    from vigie.mail import MailNotConfigured, SmtpSettings

    s = SmtpSettings.from_env({"VIGIE_SMTP_HOST": "smtp.example", "VIGIE_SMTP_STARTTLS": "true",
                               "VIGIE_SMTP_USER": "u", "VIGIE_SMTP_PASSWORD": "s3cr3t-pw",
                               "VIGIE_SMTP_FROM": "a@b.example"})
    assert (s.host, s.port, s.starttls, s.ssl, s.user, s.sender) == (
        "smtp.example", 587, True, False, "u", "a@b.example")
    assert s.password == "s3cr3t-pw" and "s3cr3t" not in repr(s)
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "smtp_vigie",
                               "AIRFLOW_CONN_SMTP_VIGIE": "smtps://user%40x:pa%2Fss@mail.example:465?from=v%40x.example"})
    assert (s.host, s.port, s.ssl, s.user, s.password, s.sender) == (
        "mail.example", 465, True, "user@x", "pa/ss", "v@x.example")
    # Airflow's meaning: encrypted unless the extras disable it.
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "c", "AIRFLOW_CONN_C": "smtp://u:pw@mail.example:587"})
    assert (s.ssl, s.starttls) == (True, False)
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "c",
                               "AIRFLOW_CONN_C": "smtp://u:pw@mail.example:587?disable_ssl=true"})
    assert (s.ssl, s.starttls, s.port) == (False, True, 587)
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "c",
                               "AIRFLOW_CONN_C": "smtp://mail.example:25?disable_ssl=true&disable_tls=true"})
    assert (s.ssl, s.starttls) == (False, False)
    try:
        SmtpSettings.from_env({})
    except MailNotConfigured as exc:
        assert "VIGIE_SMTP_HOST" in str(exc)
    else:
        raise AssertionError("no SMTP settings must be an error")


def test_password_never_sent_unencrypted():
    from email.message import EmailMessage

    from vigie.mail import MailNotConfigured, SmtpSettings, send

    message = EmailMessage()
    message["To"] = "com@ville.example"
    message.set_content("test")
    remote = SmtpSettings("mail.example", 25, "u", "pw", False, False)
    try:
        send(message, remote)
    except MailNotConfigured as exc:
        assert "unencrypted" in str(exc)
    except OSError:
        raise AssertionError("a connection was attempted before refusing") from None
    else:
        raise AssertionError("a password would have been sent in clear")
