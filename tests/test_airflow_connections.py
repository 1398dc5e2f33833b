"""Elasticsearch settings from an Airflow connection (VIGIE_ES_CONN_ID), in each of Airflow's forms."""

from __future__ import annotations

import json

import pytest

from vigie.settings import ESSettings


@pytest.fixture
def conn(monkeypatch):
    for name in ("ELASTICSEARCH_URL", "ELASTICSEARCH_API_KEY", "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VIGIE_ES_CONN_ID", "es_ville")

    def set_uri(value: str) -> ESSettings:
        monkeypatch.setenv("AIRFLOW_CONN_ES_VILLE", value)
        return ESSettings.from_env()
    return set_uri


def test_uri_with_the_schema_in_the_path_is_https(conn):
    es = conn("elasticsearch://elastic:s%40cret@es.ville.example:9243/https?ca_certs=%2Fetc%2Fca.pem")
    assert es.url == "https://es.ville.example:9243"
    assert (es.username, es.password, es.ca_certs, es.external) == ("elastic", "s@cret", "/etc/ca.pem", True)
    assert "s@cret" not in repr(es)


def test_uri_without_schema_is_http_and_api_key_from_the_extras(conn):
    es = conn("elasticsearch://es.local:9200?api_key=abc%3D%3D&verify_certs=false")
    assert es.url == "http://es.local:9200" and es.api_key == "abc==" and es.verify_certs is False


def test_json_form(conn):
    es = conn(json.dumps({"conn_type": "elasticsearch", "host": "es.ville.example", "port": 9243, "login": "vigie",
                          "password": "pw", "schema": "https", "extra": {"ca_certs": "/etc/ca.pem"}}))
    assert es.url == "https://es.ville.example:9243" and es.username == "vigie" and es.ca_certs == "/etc/ca.pem"


def test_an_explicit_url_wins_over_the_connection(conn, monkeypatch):
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    assert conn("elasticsearch://es.ville.example:9243/https").url == "http://127.0.0.1:9250"
