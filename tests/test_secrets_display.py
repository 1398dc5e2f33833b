"""A password written in a URL never shows in a message, even with an unencoded ``@``, ``/``, ``#`` or ``?``
in it: Elasticsearch (ELASTICSEARCH_URL, an Airflow connection), SMTP (an Airflow connection, a host) and
Kibana URLs, through the real ``vigie`` executable where a user would see it."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import VIGIE

# two distinctive halves: neither may appear anywhere
PARTS = ("Zx9k", "Qw7m")
PASSWORDS = [f"{PARTS[0]}{sep}{PARTS[1]}" for sep in ("@", "/", "#", "?", ":")]


def run(env, *args):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=120)


def assert_hidden(text: str) -> None:
    for part in PARTS:
        assert part not in text, text


@pytest.mark.parametrize("password", PASSWORDS)
@pytest.mark.parametrize("template", ["http://elastic:{pw}@es.example:9200",
                                      "https://elastic:{pw}@es.example/prefix?api_key=Zx9k",
                                      "http://{pw}@es.example:9200"])
def test_display_url_shows_no_part_of_a_password(template, password):
    from vigie.settings import ESSettings

    shown = ESSettings(url=template.format(pw=password)).display_url
    assert_hidden(shown)
    assert "es.example" in shown and "@" not in shown


@pytest.mark.parametrize("password", PASSWORDS)
def test_vigie_search_never_shows_the_password_of_elasticsearch_url(cli_env, unused_port, password):
    env = {**cli_env, "ELASTICSEARCH_URL": f"http://elastic:{password}@127.0.0.1:{unused_port}"}
    done = run(env, "search", "inondation")
    assert done.returncode == 3, done.stderr                          # cluster unusable, said in one line
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: ")
    assert f"127.0.0.1:{unused_port}" in done.stderr
    assert_hidden(done.stdout + done.stderr)


@pytest.mark.parametrize("password", ["Zx9k/Qw7m", "Zx9k#Qw7m", "Zx9k@Qw7m"])
def test_an_airflow_elasticsearch_connection_never_shows_its_password(cli_env, unused_port, password):
    env = {k: v for k, v in cli_env.items() if k != "ELASTICSEARCH_URL"}
    env.update(VIGIE_ES_CONN_ID="es_vigie", AIRFLOW_CONN_ES_VIGIE=f"http://elastic:{password}@127.0.0.1:{unused_port}")
    done = run(env, "search", "inondation")
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    assert_hidden(done.stdout + done.stderr)


@pytest.mark.parametrize("password", ["Zx9k/Qw7m", "Zx9k#Qw7m", "Zx9k?Qw7m"])
def test_an_airflow_smtp_connection_never_shows_its_password(password):
    from vigie.mail import MailNotConfigured, SmtpSettings

    env = {"VIGIE_SMTP_CONN_ID": "smtp_vigie", "AIRFLOW_CONN_SMTP_VIGIE": f"smtp://vigie:{password}@mail.example:587"}
    with pytest.raises(MailNotConfigured) as refused:
        SmtpSettings.from_env(env)
    assert_hidden(str(refused.value))
    assert "percent-encoded" in str(refused.value)


def test_an_smtp_host_with_credentials_in_it_is_shown_without_them():
    from email.message import EmailMessage

    from vigie.mail import MailNotConfigured, SmtpSettings, send

    message = EmailMessage()
    message["To"] = "com@ville.example"
    message.set_content("test")
    settings = SmtpSettings("vigie:Zx9k@Qw7m@mail.example", 25, "vigie", "Zx9k@Qw7m")
    with pytest.raises(MailNotConfigured) as refused:                  # refused before any connection
        send(message, settings)
    assert "mail.example" in str(refused.value)
    assert_hidden(str(refused.value))


def test_kibana_import_never_shows_the_password_of_its_url(cli_env, unused_port):
    done = run(cli_env, "kibana", "import", "--url", f"http://kibana:Zx9k@Qw7m@127.0.0.1:{unused_port}",
               "--watch", "lambersart")
    assert done.returncode == 3 and "Kibana is not reachable" in done.stderr, done.stderr
    assert_hidden(done.stdout + done.stderr)
