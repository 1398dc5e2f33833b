"""Bad input never stops a crawl: each failure is counted by reason, logged with its URL, skipped."""

from __future__ import annotations

import socket
from pathlib import Path

from vigie.crawlers.extract._encoding import decode_body
from vigie.crawlers.extract._html import looks_like_error_page, main_content
from vigie.crawlers.pipelines.jsonl import repair_tail


def test_encodings_and_error_pages():
    text, repaired = decode_body("Fête à Lambersart".encode("cp1252"), "utf-8")
    assert text == "Fête à Lambersart" and repaired
    text, repaired = decode_body("Fête à Lambersart".encode(), "iso-8859-1")  # UTF-8 declared as Latin-1
    assert text == "Fête à Lambersart" and repaired
    assert decode_body("déjà".encode(), "utf-8") == ("déjà", False)
    assert looks_like_error_page("<title>404 - Page introuvable</title><body><p>Désolé.</p></body>") == "error_page"
    assert looks_like_error_page("<title>Les 404 logements de la rue Foch</title><body>"
                                 + "<p>Un long article.</p>" * 200 + "</body>") is None
    assert main_content("<html><body><div><p>Texte non fermé <b>gras")["text"] == "Texte non fermé gras"
    assert main_content("")["text"] == ""


def test_repair_tail(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_tail(path) == 6 and path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_tail(path) == 0
    Path(tmp_path / "torn.jsonl").write_bytes(b'{"only": "torn')
    assert repair_tail(tmp_path / "torn.jsonl") == 14


def test_failures_are_counted_by_reason(fixture_site, watch_file, run_crawl):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    server = fixture_site(None)
    server.route("/", body=f"""<html lang="fr"><body>
        <a href="/lent.html">lent</a> <a href="/panne.html">panne</a> <a href="/photo">photo</a>
        <a href="/enorme.html">énorme</a> <a href="http://127.0.0.1:{closed_port}/ferme">fermé</a>
        <a href="/ok.html">ok</a></body></html>""")
    server.route("/lent.html", body="<html><body>trop tard</body></html>", delay=3)
    server.route("/panne.html", status=500, body="Internal Server Error")
    server.route("/photo", body=b"\xff\xd8\xff\xe0 JFIF", content_type="image/jpeg")
    server.route("/enorme.html", body_size=3_000_000, chunked=True)  # no Content-Length: cut while reading
    server.route("/ok.html", body="<html lang='fr'><body><article><h1>Une page saine</h1><p>"
                                  + "Le reste du site se porte bien. " * 12 + "</p></article></body></html>")
    config = watch_file([{"id": "fragile", "kind": "web", "url": server.url("/"),
                          "options": {"max_page_size": 1_000_000, "same_site_only": False}}])
    summary, docs = run_crawl(config, "fragile", settings={"DOWNLOAD_TIMEOUT": 1})
    assert [d["title"] for d in docs] == ["Une page saine"]
    errors = summary["errors_by_reason"]
    assert errors == {"timeout": 1, "http_500": 1, "content_type": 1, "too_large": 1, "connection_refused": 1}
    assert len(server.hits_for("/panne.html")) == 2  # retried once, then given up
    log = Path(summary["log"]).read_text(encoding="utf-8")
    assert f"skipped (timeout) {server.url('/lent.html')}" in log
