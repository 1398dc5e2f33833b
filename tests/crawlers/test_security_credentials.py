"""API keys never follow a redirect to another origin (scheme, host and port).

Hostile servers on loopback: a Discourse-like and a YouTube-like source whose server redirects to
a second server (another port, another host name, or from https to http) that records the
headers it receives.  The second server must never see the key.
"""

from __future__ import annotations

import datetime
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.crawlers.server import FixtureServer
from vigie.httpserve import QuietServer, stop_server

DISCOURSE_KEY = "discourse-admin-key-7f3a9c1e5b"
YOUTUBE_KEY = "AIza-hostile-fixture-key-42"
EMPTY_LIST = json.dumps({"topic_list": {"topics": []}}).encode()
CREDENTIAL_HEADERS = {"api-key", "api-username", "x-goog-api-key", "authorization"}


def _sent(hit) -> dict[str, str]:
    return {k.lower(): v for k, v in hit.headers.items()}


def _leaked(server) -> list:
    """Hits of ``server`` that carried a credential header or a key anywhere in their headers."""
    return [h for h in server.hits if CREDENTIAL_HEADERS & set(_sent(h))
            or any(key in value for value in h.headers.values() for key in (DISCOURSE_KEY, YOUTUBE_KEY))]


def _json(body: bytes):
    return lambda hit: (200, {"Content-Type": "application/json"}, body)


def test_discourse_key_is_not_sent_to_another_port_or_host(fixture_site, watch_file, run_crawl, monkeypatch):
    monkeypatch.setenv("VIGIE_TEST_DISCOURSE_KEY", DISCOURSE_KEY)
    monkeypatch.setenv("VIGIE_TEST_DISCOURSE_USER", "admin")
    forum, elsewhere = fixture_site(None), fixture_site(None)
    elsewhere.route("/latest.json", handler=_json(EMPTY_LIST))
    forum.redirect("/latest.json", elsewhere.url("/latest.json"), status=301)                  # another port
    forum.redirect("/c/moved/1/l/latest.json", f"http://localhost:{elsewhere.port}/latest.json")  # another host
    forum.redirect("/c/same/2/l/latest.json", "/here.json")                                    # same origin
    forum.route("/here.json", handler=_json(EMPTY_LIST))
    credentials = {"api_key": "VIGIE_TEST_DISCOURSE_KEY", "api_username": "VIGIE_TEST_DISCOURSE_USER"}
    config = watch_file([
        {"id": "port", "kind": "discourse", "url": forum.url("/"), "credentials": credentials},
        {"id": "host", "kind": "discourse", "url": forum.url("/"), "credentials": credentials,
         "options": {"category": "moved/1"}},
        {"id": "same", "kind": "discourse", "url": forum.url("/"), "credentials": credentials,
         "options": {"category": "same/2"}},
    ])
    summaries = [run_crawl(config, source)[0] for source in ("port", "host")]
    assert len(elsewhere.hits_for("/latest.json")) == 2, "the redirects were followed"
    assert _leaked(elsewhere) == []
    for summary in summaries:
        assert summary["credentials_withheld"] == 1, summary
        assert DISCOURSE_KEY not in Path(summary["log"]).read_text(encoding="utf-8")
    # the configured origin did get the key, and keeps it through a same-origin redirect
    summary, _ = run_crawl(config, "same")
    assert summary["credentials_withheld"] == 0
    [here] = forum.hits_for("/here.json")
    assert _sent(here)["api-key"] == DISCOURSE_KEY and _sent(here)["api-username"] == "admin"
    assert all(_sent(h).get("api-key") == DISCOURSE_KEY for h in forum.hits if h.path != "/robots.txt")


def test_youtube_key_is_not_sent_to_another_port(fixture_site, watch_file, run_crawl, monkeypatch):
    monkeypatch.setenv("VIGIE_TEST_YT_KEY", YOUTUBE_KEY)
    api, elsewhere = fixture_site(None), fixture_site(None)
    api.redirect("/youtube/v3/playlistItems", elsewhere.url("/youtube/v3/playlistItems"), status=307)
    elsewhere.route("/youtube/v3/playlistItems", handler=_json(json.dumps({"items": []}).encode()))
    config = watch_file([{"id": "yt", "kind": "youtube", "credentials": {"api_key": "VIGIE_TEST_YT_KEY"},
                          "options": {"channel_id": "UC7kq2LambersartVille0xA",
                                      "api_url": api.url("/youtube/v3")}}])
    summary, _ = run_crawl(config, "yt")
    assert _sent(api.hits_for("/youtube/v3/playlistItems")[0])["x-goog-api-key"] == YOUTUBE_KEY
    assert elsewhere.hits_for("/youtube/v3/playlistItems"), "the redirect was followed"
    assert _leaked(elsewhere) == []
    assert summary["credentials_withheld"] == 1


class _Redirector(BaseHTTPRequestHandler):
    """A hostile https server: every request is redirected to ``location`` (plain http)."""

    location = ""
    seen: list[tuple[str, dict[str, str]]]

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(302)
        self.send_header("Location", self.location + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _self_signed(folder):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_https_to_http_downgrade_drops_the_key(tmp_path, watch_file, run_crawl, monkeypatch):
    monkeypatch.setenv("VIGIE_TEST_DISCOURSE_KEY", DISCOURSE_KEY)
    with FixtureServer() as plain:
        plain.route("/latest.json", handler=_json(EMPTY_LIST))
        seen: list[tuple[str, dict[str, str]]] = []
        handler = type("Redirector", (_Redirector,), {"location": plain.base_url, "seen": seen})
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*_self_signed(tmp_path))
        httpd = QuietServer(("127.0.0.1", 0), handler)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        try:
            config = watch_file([{"id": "tls", "kind": "discourse", "url": f"https://127.0.0.1:{httpd.server_address[1]}",
                                  "credentials": {"api_key": "VIGIE_TEST_DISCOURSE_KEY"}}])
            summary, _ = run_crawl(config, "tls")
        finally:
            stop_server(httpd)
        assert [(path, headers.get("api-key")) for path, headers in seen] == [
            ("/robots.txt", None), ("/latest.json", DISCOURSE_KEY)]
        assert plain.hits_for("/latest.json"), "the downgrade was followed"
        assert _leaked(plain) == []
        assert summary["credentials_withheld"] == 1


def test_a_login_redirected_with_its_password_is_refused(fixture_site, watch_file, run_crawl, monkeypatch):
    """A 307 keeps the POST body: a Bluesky login (password in JSON) is never re-sent elsewhere."""
    monkeypatch.setenv("VIGIE_TEST_BSKY_ID", "mairie.example")
    monkeypatch.setenv("VIGIE_TEST_BSKY_PASSWORD", "app-password-9q8w7e")
    pds, elsewhere = fixture_site(None), fixture_site(None)
    pds.redirect("/xrpc/com.atproto.server.createSession",
                 elsewhere.url("/xrpc/com.atproto.server.createSession"), status=307)
    credentials = {"identifier": "VIGIE_TEST_BSKY_ID", "app_password": "VIGIE_TEST_BSKY_PASSWORD"}
    config = watch_file([{"id": "bsky", "kind": "bluesky", "credentials": credentials,
                          "options": {"search": ["Lambersart"], "pds_url": pds.url("/"), "api_url": pds.url("/")}}])
    summary, _ = run_crawl(config, "bsky")
    assert pds.hits_for("/xrpc/com.atproto.server.createSession"), "the login was attempted"
    assert elsewhere.hits == [], "the password went to another origin"
    assert summary["errors_by_reason"].get("credential_redirect") == 1, summary
