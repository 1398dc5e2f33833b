"""`vigie run`: the main job on a user's own watch file, through the real CLI, twice (idempotent)."""

from __future__ import annotations

import json
import socket
import subprocess

from tests.smtp import Smtp
from vigie.demo.sites import DemoSites, write_demo_config

from .conftest import VIGIE

INTERVAL = "2026-11-19T23:00:00Z/2026-11-20T00:00:00Z"   # the digest covers 19 November (Paris)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(env, *args):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=900)


def test_run_collects_enriches_indexes_alerts_and_sends_once(cli_env, es, tmp_path, unused_port):
    smtp = Smtp(unused_port, brief=True).start()
    try:
        with DemoSites(port=free_port()) as sites:
            config = write_demo_config(tmp_path / "mine", sites.base_url)    # "my own" watch file, anywhere
            env = {**cli_env, **sites.env, "VIGIE_STATE_DIR": str(tmp_path / "state"),
                   "VIGIE_SMTP_HOST": "127.0.0.1", "VIGIE_SMTP_PORT": str(unused_port)}
            first = run(env, "run", "--config", str(config), "--interval", INTERVAL, "--json")
            assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
            report = json.loads(first.stdout)
            watch = report["watches"]["lambersart"]
            assert report["failures"] == []
            assert {c["status"] for c in watch["crawls"]} == {"ok"} and len(watch["crawls"]) == 7
            assert watch["indexed"]["indexed"] == 74 and watch["indexed"]["created"] == 74
            assert watch["influence"]["accounts"] > 0
            assert watch["alerts"]["events"] > 0 and watch["alerts"]["delivery"]["sent"] > 0
            assert watch["digest"]["day"] == "2026-11-19" and watch["digest"]["status"] == "sent"
            assert "Collect: 7 source(s)" in first.stderr                      # progress on the long steps
            mails = len(smtp.messages)
            assert any("Veille" in str(m["Subject"]) for _, m in smtp.messages)
            hooks = len(sites.hooks.received)
            assert hooks > 0

            again = run(env, "run", "--config", str(config), "--interval", INTERVAL)
            assert again.returncode == 0, again.stderr[-3000:]
            # the same interval: no new document; its file is indexed again by _id (updated, never doubled)
            assert "0 new documents; 74 indexed (0 new, 0 rejected)" in again.stdout
            assert "0 new event(s), 0 sent" in again.stdout and "already_sent" in again.stdout
            assert len(smtp.messages) == mails and len(sites.hooks.received) == hooks   # nothing sent twice
    finally:
        smtp.controller.stop()


def test_run_reports_a_failed_source_and_exits_non_zero(cli_env, es, tmp_path, unused_port):
    config = tmp_path / "down.yaml"
    config.write_text(f"""\
watches:
  - id: down
    name: Commune sans réseau
    territory: {{communes: ["59350"]}}
    sources:
      - {{id: feed-down, kind: feed, url: "http://127.0.0.1:{unused_port}/rss.xml", allow_private_networks: true}}
""", encoding="utf-8")
    done = run({**cli_env, "VIGIE_STATE_DIR": str(tmp_path / "state")}, "run", "--config", str(config),
               "--interval", INTERVAL)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0/1 sources crawled" in done.stdout and "FAILED source feed-down" in done.stdout
