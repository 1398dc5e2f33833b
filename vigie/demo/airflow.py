"""`make airflow`: Airflow 3 (`airflow standalone`) with Vigie's DAGs, on this machine.

    .venv/bin/python -m vigie.demo.airflow            # or: make airflow

It starts what the DAGs need, then ``airflow standalone`` (metadata database in SQLite, scheduler,
DAG processor, triggerer and the API server with the UI), and stops everything on Ctrl-C:

- the local Elasticsearch node, unless ``ELASTICSEARCH_URL`` (or ``VIGIE_ES_CONN_ID``) names a cluster;
- unless ``VIGIE_CONFIG`` names your own watch file: the demo territory's sites on 127.0.0.1
  (``VIGIE_DEMO_PORT``, default 8740) and the demo watch file pointed at them;
- unless ``VIGIE_SMTP_HOST`` or ``VIGIE_SMTP_CONN_ID`` is set: a local SMTP sink that keeps every
  alert and digest as a ``.eml`` file under ``$VIGIE_STATE_DIR/airflow/mail``.

Airflow's home is ``$VIGIE_STATE_DIR/airflow`` unless ``AIRFLOW_HOME`` is set. The UI listens on
127.0.0.1:``VIGIE_AIRFLOW_PORT`` (default 8080) with Airflow's simple auth manager and *every user
an admin, without login*: a local quick start, never a deployment (see the README's scale-out section).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path


def airflow_env(base: dict[str, str], home: Path, dags: Path, port: int) -> dict[str, str]:
    env = dict(base)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),  # standalone runs `airflow`
        "PYTHONPATH": str(dags.parent) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
    })
    return env


def main() -> int:
    from vigie.demo.sites import DemoSites, write_demo_config
    from vigie.demo.smtp_sink import SmtpSink
    from vigie.indexes.local_node import LocalNode
    from vigie.settings import ESSettings, project_root, state_dir

    root = project_root()
    home = Path(os.environ.get("AIRFLOW_HOME") or state_dir() / "airflow")
    home.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("VIGIE_AIRFLOW_PORT") or 8080)
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        if not ESSettings.from_env().external:
            node = LocalNode()
            print(f"Local Elasticsearch {node.version} at {node.url}…", flush=True)
            node.start()
        if not env.get("VIGIE_CONFIG"):
            sites = stack.enter_context(DemoSites())
            env["VIGIE_CONFIG"] = str(write_demo_config(home / "demo-config", sites.base_url))
            env.update(sites.env)
            print(f"Demo territory served at {sites.base_url}; watch file {env['VIGIE_CONFIG']}", flush=True)
        if not (env.get("VIGIE_SMTP_HOST") or env.get("VIGIE_SMTP_CONN_ID")):
            sink = stack.enter_context(SmtpSink(home / "mail"))
            env.update(sink.env)
            print(f"Mail (alerts, digests) goes to a local SMTP sink: {sink.folder}", flush=True)
        print(f"Airflow UI and API: http://127.0.0.1:{port} (local: every user is admin, no login). "
              "Ctrl-C stops everything.", flush=True)
        process = subprocess.Popen([sys.executable, "-m", "airflow", "standalone"],
                                   env=airflow_env(env, home, root / "dags", port), start_new_session=True)

        signal.signal(signal.SIGTERM, lambda signum, frame: _stop(process.pid))
        signal.signal(signal.SIGINT, lambda signum, frame: _stop(process.pid))
        try:
            code = process.wait()
        finally:
            _stop(process.pid)
    return code


def _stop(pid: int, grace: float = 30) -> None:
    """Stop standalone and every process it started (scheduler, API server, triggerer, DAG processor)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for process in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(family, timeout=grace)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
