"""vigie/mail.py: Airflow connections (URI, JSON form, stored through airflow.sdk) and safe links."""

from __future__ import annotations

import json

import pytest


def test_json_connection_is_parsed_and_used(smtp_factory, unused_port):
    from email.message import EmailMessage

    from vigie.mail import SmtpSettings, send

    server = smtp_factory(unused_port)
    conn = {"conn_type": "smtp", "host": "127.0.0.1", "port": unused_port, "login": None, "password": None,
            "extra": {"from": "veille@ville.example", "disable_ssl": "true", "disable_tls": True, "timeout": "5"}}
    s = SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "smtp_vigie", "AIRFLOW_CONN_SMTP_VIGIE": json.dumps(conn)})
    assert (s.host, s.port, s.ssl, s.starttls, s.sender, s.timeout) == (
        "127.0.0.1", unused_port, False, False, "veille@ville.example", 5.0)
    msg = EmailMessage()
    msg["To"] = "com@ville.example"
    msg["Subject"] = "JSON"
    msg.set_content("Bonjour")
    assert send(msg, s) == ["com@ville.example"]
    assert [m[1]["From"] for m in server.messages] == ["veille@ville.example"]


def test_json_connection_forms_and_errors():
    from vigie.mail import MailNotConfigured, SmtpSettings

    def conn(data):
        return SmtpSettings.from_env({"VIGIE_SMTP_CONN_ID": "c", "AIRFLOW_CONN_C": data if isinstance(data, str)
                                      else json.dumps(data)})

    s = conn({"conn_type": "smtp", "host": "mail.example", "login": "u@x", "password": "pa/ss:w",
              "extra": json.dumps({"from_email": "a@x.example", "disable_ssl": "true", "ca_certs": "/etc/ca.pem"})})
    assert (s.host, s.port, s.user, s.password, s.starttls, s.ssl, s.sender, s.ca_certs) == (
        "mail.example", 587, "u@x", "pa/ss:w", True, False, "a@x.example", "/etc/ca.pem")
    s = conn({"conn_type": "smtps", "host": "mail.example", "extra": {}})
    assert (s.ssl, s.port) == (True, 465)
    s = conn(' {"conn_type": "smtp", "host": "mail.example", "port": "2525"}')
    assert (s.port, s.ssl, s.sender) == (2525, True, "vigie@localhost")      # Airflow's meaning: SSL by default
    for bad, words in (('{"conn_type": "smtp", "host": ', "not valid JSON"), ({"conn_type": "smtp"}, "no host"),
                       ({"host": "h", "extra": "{oops"}, "extra is not valid JSON")):
        with pytest.raises(MailNotConfigured, match=words):
            conn(bad)


def test_stored_airflow_connection_reads_from_and_from_email(monkeypatch):
    """Through Airflow 3's ``airflow.sdk.BaseHook`` (the deprecated ``airflow.hooks.base`` would warn)."""
    from vigie.mail import SmtpSettings

    monkeypatch.setenv("AIRFLOW_CONN_SMTP_STORED", json.dumps({
        "conn_type": "smtp", "host": "mail.example", "port": 2525, "login": "vigie", "password": "s3cret-pw",
        "extra": {"from": "veille@ville.example", "disable_ssl": "true", "timeout": "7"}}))
    s = SmtpSettings.from_airflow("smtp_stored")
    assert (s.host, s.port, s.user, s.password, s.starttls, s.ssl, s.sender, s.timeout) == (
        "mail.example", 2525, "vigie", "s3cret-pw", True, False, "veille@ville.example", 7.0)
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_STORED", json.dumps({
        "conn_type": "smtps", "host": "mail.example", "extra": {"from_email": "a@ville.example"}}))
    s = SmtpSettings.from_airflow("smtp_stored")
    assert (s.ssl, s.port, s.sender) == (True, 465, "a@ville.example")


def test_safe_url_refuses_a_trailing_newline():
    from vigie.alerts.deliver.render import safe_url

    assert safe_url("https://ville.example/page") == "https://ville.example/page"
    for bad in ("https://ville.example/page\n", "javascript:alert(1)", "https://a.example/x y", "ftp://a.example"):
        assert safe_url(bad) is None
