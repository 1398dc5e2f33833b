"""The real ``vigie`` executable: replay offline; run, list, ack and snooze against the real node."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import VIGIE

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "vigie" / "demo" / "lambersart.jsonl"
DEMO_CONFIG = ROOT / "config" / "demo.yaml"


def vigie(*args, env=None, check=True):
    proc = subprocess.run([VIGIE, *args], capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_replay_demo_flood_alert(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "VIGIE_STATE_DIR": str(tmp_path)}
    out = vigie("alerts", "replay", str(DEMO), "--config", str(DEMO_CONFIG), "--json", env=env)
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert events, out.stderr
    flood = [e for e in events if e["kind"] == "crisis_keywords"]
    first = flood[0]
    assert first["event"] == "new" and first["fired_at"] == "2026-11-17T18:45:00Z"   # 19:45 in Lambersart
    assert "Inondation" in first["title"] and first["level"] == 1
    assert any(e["event"] == "escalation" and e["alert_id"] == first["alert_id"] for e in flood)
    # the flood is one alert: the saved query and the other packs that fired on it joined it
    assert {e["alert_id"] for e in events} == {first["alert_id"]}
    assert max(e["level"] for e in events) <= 3
    for e in events:
        for key in ("alert_id", "kind", "title", "communes", "topics", "first_seen", "fired_at", "magnitude",
                    "growth", "level", "samples", "sentiment", "sources", "doc_count"):
            assert key in e
        assert e["fired_at"].endswith(("00:00Z", "15:00Z", "30:00Z", "45:00Z"))
    assert [e["fired_at"] for e in events] == sorted(e["fired_at"] for e in events)
    assert all(s["url"].startswith("https://") for s in first["samples"])
    assert "73 documents of watch lambersart" in out.stderr


def test_replay_reports_bad_lines_and_config_errors(tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "1", "text": "x", "published_at": "2026-11-17T19:00:00+01:00"}\nnot json\n'
                   '{"id": "2", "text": "no date"}\n', encoding="utf-8")
    out = vigie("alerts", "replay", str(bad), "--config", str(DEMO_CONFIG), "--json")
    assert out.stdout == "" and "2 line(s) skipped" in out.stderr and "line 2" in out.stderr
    cfg = tmp_path / "w.yaml"
    cfg.write_text("watches:\n  - id: w\n    name: W\n    territory: {communes: ['59328']}\n"
                   "    alerts: {slice_minutes: 0, webhooks: [{name: x, url_env: 'https://hook', format: teams}]}\n")
    err = vigie("alerts", "replay", str(bad), "--config", str(cfg), check=False)
    assert err.returncode == 2
    assert "watches[0].alerts.slice_minutes" in err.stderr and "url_env" in err.stderr


def test_run_list_ack_snooze_against_the_node(cli_env, es, tmp_path):
    env = {**cli_env, "VIGIE_STATE_DIR": str(tmp_path)}
    vigie("index", str(DEMO), "--config", str(DEMO_CONFIG), env=env)
    now = "2026-11-18T12:00:00+01:00"
    run = vigie("alerts", "run", "--watch", "lambersart", "--config", str(DEMO_CONFIG), "--now", now, "--json",
                "--no-deliver", env=env)
    events = [json.loads(line) for line in run.stdout.splitlines()]
    kinds = {d.split(":")[0] for e in events for d in e["detectors"]}
    assert "crisis_keywords" in kinds and "saved_query" in kinds     # saved query evaluated by Elasticsearch
    replay = vigie("alerts", "replay", str(DEMO), "--config", str(DEMO_CONFIG), "--json", env=env)
    offline = [json.loads(line) for line in replay.stdout.splitlines()]
    in_range = [(e["alert_id"], e["level"], e["fired_at"]) for e in offline if e["fired_at"] <= "2026-11-18T11:00:00Z"]
    assert [(e["alert_id"], e["level"], e["fired_at"]) for e in events] == in_range    # same code path
    # a second run finds the same alerts stored: nothing new fires
    again = vigie("alerts", "run", "--watch", "lambersart", "--config", str(DEMO_CONFIG), "--now", now, "--json",
                  "--no-deliver", env=env)
    assert again.stdout == ""
    # two days later the flood alerts are closed; replaying the days before they closed fires nothing again
    later = "2026-11-20T12:00:00+01:00"
    vigie("alerts", "run", "--watch", "lambersart", "--config", str(DEMO_CONFIG), "--now", later, "--no-deliver",
          env=env)
    closed = [json.loads(line) for line in vigie("alerts", "list", "--watch", "lambersart", "--json",
                                                 env=env).stdout.splitlines()]
    assert {a["status"] for a in closed} == {"closed"}
    third = vigie("alerts", "run", "--watch", "lambersart", "--config", str(DEMO_CONFIG), "--now", later, "--json",
                  "--no-deliver", env=env)
    assert third.stdout == ""
    listed = [json.loads(line) for line in vigie("alerts", "list", "--watch", "lambersart", "--json",
                                                 env=env).stdout.splitlines()]
    assert {a["alert_id"] for a in listed} == {e["alert_id"] for e in events}
    crisis = next(a for a in listed if a["kind"] == "crisis_keywords")
    assert vigie("alerts", "ack", crisis["alert_id"], env=env).stdout.startswith(f"{crisis['alert_id']}: acknowledged")
    statuses = {a["alert_id"]: a["status"] for a in map(json.loads, vigie(
        "alerts", "list", "--watch", "lambersart", "--json", env=env).stdout.splitlines())}
    assert statuses[crisis["alert_id"]] == "acknowledged"
    out = vigie("alerts", "snooze", crisis["alert_id"], "--for", "4h", env=env).stdout
    assert "snoozed until" in out
    statuses = {a["alert_id"]: a["status"] for a in map(json.loads, vigie(
        "alerts", "list", "--watch", "lambersart", "--json", env=env).stdout.splitlines())}
    assert statuses[crisis["alert_id"]] == "snoozed"
    missing = vigie("alerts", "ack", "nope", env=env, check=False)
    assert missing.returncode == 1 and "no alert 'nope'" in missing.stderr


def test_replay_deliver_sends_each_alert_and_escalation_once(tmp_path, smtp_factory, hooks, unused_port):
    server = smtp_factory(unused_port)
    env = {"PATH": "/usr/bin:/bin", "VIGIE_STATE_DIR": str(tmp_path), "VIGIE_SMTP_HOST": "127.0.0.1",
           "VIGIE_SMTP_PORT": str(unused_port), "VIGIE_SMTP_FROM": "vigie@lambersart.example",
           "VIGIE_WEBHOOK_MATTERMOST": f"{hooks.url}/hooks/abc"}
    out = vigie("alerts", "replay", str(DEMO), "--config", str(DEMO_CONFIG), "--json", "--deliver", env=env)
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert f"delivery: {2 * len(events)} sent, 0 already sent, 0 failed" in out.stderr
    assert [m["X-Vigie-Alert"] for _, m in server.messages] == [f"{e['alert_id']}:{e['level']}" for e in events]
    assert all(rcpts == ["alertes@lambersart.example"] for rcpts, _ in server.messages)
    assert [p for p, _ in hooks.received] == ["/hooks/abc"] * len(events)
    again = vigie("alerts", "replay", str(DEMO), "--config", str(DEMO_CONFIG), "--deliver", env=env)
    assert f"0 sent, {2 * len(events)} already sent" in again.stderr
    assert len(server.messages) == len(events) and len(hooks.received) == len(events)
