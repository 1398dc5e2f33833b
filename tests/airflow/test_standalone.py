"""`make airflow` (python -m vigie.demo.airflow): airflow standalone really serves the project's DAGs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.airflow.conftest import ROOT


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.load(answer)


def test_make_airflow_serves_the_dags(tmp_path, es_url, unused_port):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        demo_port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "VIGIE_"))}
    env.update({"ELASTICSEARCH_URL": es_url, "VIGIE_STATE_DIR": str(tmp_path / "state"),
                "VIGIE_AIRFLOW_PORT": str(unused_port), "VIGIE_DEMO_PORT": str(demo_port),
                "VIGIE_INDEX_PREFIX": "vigie-test-standalone"})
    log = open(tmp_path / "standalone.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, "-m", "vigie.demo.airflow"], env=env, cwd=str(ROOT),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{unused_port}/api/v2"
    dags: list[str] = []
    health: dict = {}
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = _get(f"{base}/monitor/health")
                dags = sorted(d["dag_id"] for d in _get(f"{base}/dags")["dags"])
                if len(dags) == 4 and health["scheduler"]["status"] == "healthy":
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(3)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "standalone.log").read_text(errors="replace")
    import psutil

    left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline", "environ"])
            if (p.info.get("environ") or {}).get("AIRFLOW__API__PORT") == str(unused_port)]
    assert not left, f"processes left running: {left}"
    assert dags == ["vigie_alerts", "vigie_collect", "vigie_digest_lambersart", "vigie_maintenance"], output[-4000:]
    assert health["metadatabase"]["status"] == "healthy"
    assert "Demo territory served at" in output and "local SMTP sink" in output
