"""``vigie digest`` through click's CliRunner, with a real SMTP server on loopback."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.support import names

from .conftest import watch_file


def invoke(*args):
    from vigie.cli import main

    return CliRunner().invoke(main, ["digest", *args], catch_exceptions=False)


def test_digest_command_writes_sends_once_and_reports(constructed, tmp_path, state, monkeypatch, smtp_factory,
                                                      unused_port):
    config = str(watch_file(tmp_path))
    out = tmp_path / "digest.html"
    written = invoke("--watch", "testville", "--config", config, "--date", "2026-11-17", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert f"testville 2026-11-17: written (16 documents) -> {out}" in written.output
    assert out.exists() and out.with_suffix(".txt").exists() and out.with_suffix(".png").exists()
    for key, value in {"VIGIE_SMTP_HOST": "127.0.0.1", "VIGIE_SMTP_PORT": str(unused_port),
                       "VIGIE_SMTP_FROM": "vigie@testville.example", "VIGIE_SMTP_TIMEOUT": "2"}.items():
        monkeypatch.setenv(key, value)
    # SMTP down: retried, then failed with exit status 1
    monkeypatch.setattr("vigie.digest.runner.time.sleep", lambda s: None)
    down = invoke("--watch", "testville", "--config", config, "--date", "2026-11-17", "--send")
    assert down.exit_code == 1 and ": failed" in down.output and "ConnectionRefusedError" in down.output
    server = smtp_factory(unused_port)
    sent = invoke("--watch", "testville", "--config", config, "--date", "2026-11-17", "--send", "--json")
    assert sent.exit_code == 0, sent.output
    data = json.loads(sent.stdout)
    assert data["status"] == "sent" and data["figures"]["total"] == 16 and data["figures"]["previous_day"] == 4
    assert data["recipients"] == ["com@testville.example", "elus@testville.example"]
    assert data["html_path"] == str(state / "digests" / "testville" / "2026-11-17.html")
    again = invoke("--watch", "testville", "--config", config, "--date", "2026-11-17", "--send")
    assert again.exit_code == 0 and ": already_sent" in again.output
    assert "recipients: com@testville.example, elus@testville.example" in again.output
    forced = invoke("--watch", "testville", "--config", config, "--date", "2026-11-17", "--send", "--force")
    assert forced.exit_code == 0 and ": sent" in forced.output
    assert len(server.messages) == 2


def test_digest_command_errors(es, tmp_path, state):
    config = str(watch_file(tmp_path))
    unknown = invoke("--watch", "nowhere", "--config", config, "--date", "2026-11-17")
    assert unknown.exit_code == 2 and "no watch 'nowhere'" in unknown.output
    bad = invoke("--watch", "testville", "--config", config, "--date", "17/11/2026")
    assert bad.exit_code == 2 and "expected a date such as 2026-11-17" in bad.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("watches: [{id: x}]", encoding="utf-8")
    assert invoke("--watch", "x", "--config", str(broken)).exit_code == 2


def test_digest_command_cluster_unreachable(tmp_path, state, monkeypatch, unused_port):
    monkeypatch.setenv("ELASTICSEARCH_URL", f"http://127.0.0.1:{unused_port}")
    result = invoke("--watch", "testville", "--config", str(watch_file(tmp_path)), "--date", "2026-11-17")
    assert result.exit_code == 3 and "not reachable" in result.output


def test_default_date_is_yesterday_in_the_watch_timezone():
    from datetime import UTC, date, datetime

    from vigie.digest.cli import yesterday

    # 23:30 UTC on 17 Nov is already 18 Nov in Paris: yesterday there is the 17th
    assert yesterday("Europe/Paris", datetime(2026, 11, 17, 23, 30, tzinfo=UTC)) == date(2026, 11, 17)
    assert yesterday("America/New_York", datetime(2026, 11, 17, 23, 30, tzinfo=UTC)) == date(2026, 11, 16)


def test_digest_command_in_progress_exits_75(constructed, tmp_path, state, monkeypatch):
    from datetime import date

    from vigie.digest.store import DigestStore

    monkeypatch.setenv("VIGIE_SMTP_HOST", "127.0.0.1")
    assert DigestStore(constructed, names).claim("testville", date(2026, 11, 17)).granted    # another run is sending
    result = invoke("--watch", "testville", "--config", str(watch_file(tmp_path)), "--date", "2026-11-17", "--send")
    assert result.exit_code == 75 and ": in_progress" in result.output and "another run" in result.output
