"""`make airflow-celery`: the scale-out deployment, for real, on one machine.

    .venv/bin/python -m vigie.demo.celery start     # or: make airflow-celery (Ctrl-C stops everything)
    .venv/bin/python -m vigie.demo.celery stop      # or: make airflow-celery-stop (from another terminal)
    .venv/bin/python -m vigie.demo.celery status

``start`` runs in the foreground and starts, each as processes of its own on 127.0.0.1:

- PostgreSQL (Airflow's metadata database) and Redis (the Celery broker), from the distribution's
  packages (``apt-get install postgresql redis-server``), in private folders (``vigie.demo.services``);
- a two-node Elasticsearch cluster (``LocalCluster``: node 1 master and data, node 2 data; one replica),
  unless ``ELASTICSEARCH_URL`` names a cluster;
- unless ``VIGIE_CONFIG`` names your watch file: the demo territory's sites, and the demo watch file
  pointed at them; unless ``VIGIE_SMTP_HOST`` is set: a local SMTP sink (``.eml`` files);
- Airflow 3 with the CeleryExecutor and the project's DAGs: the scheduler, the DAG processor, the API
  server (UI and REST API, every user admin without login: a local set-up, never a deployment) and
  ``VIGIE_CELERY_WORKERS`` (2) Celery workers named ``worker1@<host>``, ``worker2@<host>``…

When everything answers it writes ``ready.json`` (URLs, ports, process ids) in its folder and prints
the URLs; it stops everything on SIGINT/SIGTERM (``stop``), or when one component dies. Every Airflow
component runs in a process group of its own, ended as a whole (its task processes too).

| variable | default | meaning |
|---|---|---|
| ``VIGIE_STATE_DIR`` | ``.vigie`` | the deployment lives in ``<state>/celery`` (databases, nodes, logs) |
| ``VIGIE_PG_PORT`` / ``VIGIE_REDIS_PORT`` | 5440 / 6390 | PostgreSQL / Redis |
| ``VIGIE_CLUSTER_ES_PORT`` | 9270 | HTTP port of node 1 (node *i*: +i−1; transport: +100) |
| ``VIGIE_AIRFLOW_PORT`` | 8090 | API server and UI |
| ``VIGIE_CELERY_WORKERS`` / ``VIGIE_CELERY_CONCURRENCY`` | 2 / 2 | workers, task slots per worker |
| ``VIGIE_SCALEOUT_ES_URL`` | node 1 | the Elasticsearch URL Airflow's tasks use (e.g. a relay in tests) |
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

MARKER = b"vigie.demo.celery"


def _int(env: dict[str, str], name: str, default: int) -> int:
    return int(env.get(name) or default)


@dataclass
class Deployment:
    """Where the deployment lives and which ports it uses (from the environment)."""

    base: Path
    pg_port: int = 5440
    redis_port: int = 6390
    es_port: int = 9270
    api_port: int = 8090
    workers: int = 2
    concurrency: int = 2
    env: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Deployment:
        from vigie.settings import _state_dir

        env = dict(os.environ if env is None else env)
        return cls(base=_state_dir(env) / "celery", pg_port=_int(env, "VIGIE_PG_PORT", 5440),
                   redis_port=_int(env, "VIGIE_REDIS_PORT", 6390), es_port=_int(env, "VIGIE_CLUSTER_ES_PORT", 9270),
                   api_port=_int(env, "VIGIE_AIRFLOW_PORT", 8090), workers=_int(env, "VIGIE_CELERY_WORKERS", 2),
                   concurrency=_int(env, "VIGIE_CELERY_CONCURRENCY", 2), env=env)

    # the parts, each from its own module
    def postgres(self):
        from vigie.demo.services import LocalPostgres

        return LocalPostgres(self.base / "postgres", port=self.pg_port)

    def redis(self):
        from vigie.demo.services import LocalRedis

        return LocalRedis(self.base / "redis", port=self.redis_port)

    def cluster(self):
        from vigie.indexes.local_node import LocalCluster

        return LocalCluster(size=2, http_port=self.es_port, state=self.base)

    @property
    def home(self) -> Path:
        return self.base / "airflow"

    @property
    def logs(self) -> Path:
        return self.base / "logs"

    @property
    def supervisor_pid(self) -> Path:
        return self.base / "supervisor.pid"

    @property
    def ready_file(self) -> Path:
        return self.base / "ready.json"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def worker_names(self) -> list[str]:
        host = socket.gethostname()
        return [f"worker{i}@{host}" for i in range(1, self.workers + 1)]

    def _secret(self, name: str) -> str:
        """A random secret kept in the deployment's folder, shared by every component (JWT, sessions)."""
        path = self.base / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_text(secrets.token_urlsafe(64))
            path.chmod(0o600)
        return path.read_text().strip()

    def airflow_env(self, base: dict[str, str], es_url: str) -> dict[str, str]:
        from vigie.demo.airflow import airflow_env
        from vigie.settings import project_root

        pg = self.postgres()
        env = airflow_env(base, self.home, project_root() / "dags", self.api_port)
        env.update({
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg.url,
            "AIRFLOW__CELERY__BROKER_URL": self.redis().url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + pg.url,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.concurrency),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "vigie.demo.workername.hostname",
            "AIRFLOW__API_AUTH__JWT_SECRET": self._secret("jwt"),
            "AIRFLOW__API__SECRET_KEY": self._secret("api"),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.logs / "tasks"),
            # The workers share the data and state folders (one machine: one disk; several machines: NFS).
            "VIGIE_STATE_DIR": str(self.base / "vigie"),
            "ELASTICSEARCH_URL": es_url,
            "VIGIE_ENRICH_PROCESSES": base.get("VIGIE_ENRICH_PROCESSES") or "1",
        })
        return env


# ---------------------------------------------------------------------------------------- processes
def _alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_groups(pgids: list[int], grace: float = 30, reap=None) -> None:
    """End process groups we started, all at once: SIGTERM, then SIGKILL what is left after ``grace``
    seconds. ``reap`` (optional) collects our own exited children so they do not linger as zombies."""
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if reap:
            reap()
        if not any(_group_alive(pgid) for pgid in pgids):
            return
        time.sleep(0.3)
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


class Components:
    """The Airflow processes, each the leader of its own process group (pid file per component)."""

    def __init__(self, deployment: Deployment):
        self.deployment = deployment
        self.running: dict[str, subprocess.Popen] = {}
        self.pids = deployment.base / "pids"

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        self.deployment.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        with open(self.deployment.logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "airflow", *args], env=env, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                       cwd=str(self.deployment.base))
        (self.pids / f"{name}.pid").write_text(str(process.pid))
        self.running[name] = process
        return process

    def dead(self) -> list[str]:
        return [name for name, process in self.running.items() if process.poll() is not None]

    def stop(self) -> None:
        """Every component's whole process group (its task processes too) at once."""
        stop_groups([p.pid for p in self.running.values()],
                    reap=lambda: [p.poll() for p in self.running.values()])
        for name, process in self.running.items():
            process.wait()
            (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def stop_leftovers(self) -> list[str]:
        """The groups a supervisor that died left behind (pid files whose process is still airflow)."""
        found: dict[str, int] = {}
        for pid_file in sorted(self.pids.glob("*.pid")) if self.pids.exists() else []:
            with contextlib.suppress(ValueError, OSError):
                pid = int(pid_file.read_text())
                if b"airflow" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found[pid_file.stem] = pid
            pid_file.unlink(missing_ok=True)
        stop_groups(list(found.values()))
        return list(found)


def _get(url: str, timeout: float = 5):
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (http://127.0.0.1 only)
        return json.load(answer)


def _workers_ready(deployment: Deployment, names: list[str]) -> bool:
    for name in names:
        with contextlib.suppress(OSError):
            if f"{name} ready." in (deployment.logs / f"{name.split('@')[0]}.log").read_text(errors="replace"):
                continue
        return False
    return True


def wait_ready(deployment: Deployment, components: Components, names: list[str], timeout: float) -> dict:
    """The API server answers, the scheduler and the DAG processor are healthy, the DAGs are parsed and
    every worker is ready; raises when a component dies first or time runs out."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        if components.dead():
            raise RuntimeError(f"{', '.join(components.dead())} stopped while starting; logs in {deployment.logs}")
        with contextlib.suppress(OSError, ValueError, KeyError):
            health = _get(f"{deployment.api_url}/api/v2/monitor/health")
            dags = _get(f"{deployment.api_url}/api/v2/dags")["dags"]
            state = {"health": health, "dags": sorted(d["dag_id"] for d in dags)}
            if (health["scheduler"]["status"] == "healthy" and health["dag_processor"]["status"] == "healthy"
                    and {"vigie_collect", "vigie_alerts"} <= set(state["dags"]) and _workers_ready(deployment, names)):
                return state
        time.sleep(2)
    raise RuntimeError(f"the deployment was not ready in {timeout:.0f}s ({state}); logs in {deployment.logs}")


# ------------------------------------------------------------------------------------------- start
def start(deployment: Deployment, say=print, timeout: float = 600) -> int:
    from vigie.demo.services import ServiceError
    from vigie.errors import LocalNodeError

    base_env = dict(deployment.env)
    if deployment.supervisor_pid.exists():
        with contextlib.suppress(ValueError, OSError):
            pid = int(deployment.supervisor_pid.read_text())
            if pid != os.getpid() and MARKER in Path(f"/proc/{pid}/cmdline").read_bytes():
                say(f"already running (pid {pid}); stop it with `make airflow-celery-stop`")
                return 1
    deployment.base.mkdir(parents=True, exist_ok=True)
    deployment.supervisor_pid.write_text(str(os.getpid()))
    deployment.ready_file.unlink(missing_ok=True)
    components = Components(deployment)
    components.stop_leftovers()
    stopping: list[int] = []

    def on_signal(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    pg, redis, cluster = deployment.postgres(), deployment.redis(), None
    code = 0
    try:
        with contextlib.ExitStack() as stack:
            say(f"PostgreSQL on 127.0.0.1:{pg.port}, Redis on 127.0.0.1:{redis.port}…")
            pg.start()
            redis.start()
            if base_env.get("ELASTICSEARCH_URL"):
                es_url = base_env["ELASTICSEARCH_URL"]
            else:
                cluster = deployment.cluster()
                say(f"Elasticsearch cluster of {len(cluster.nodes)} nodes at {', '.join(cluster.urls)} "
                    "(the first run downloads it)…")
                cluster.start()
                es_url = base_env.get("VIGIE_SCALEOUT_ES_URL") or cluster.url
            if not base_env.get("VIGIE_CONFIG"):
                from vigie.demo.sites import DemoSites, write_demo_config

                sites = stack.enter_context(DemoSites())
                base_env["VIGIE_CONFIG"] = str(write_demo_config(deployment.base / "demo-config", sites.base_url))
                base_env.update(sites.env)
                say(f"Demo territory served at {sites.base_url}")
            if not (base_env.get("VIGIE_SMTP_HOST") or base_env.get("VIGIE_SMTP_CONN_ID")):
                from vigie.demo.smtp_sink import SmtpSink

                sink = stack.enter_context(SmtpSink(deployment.base / "mail"))
                base_env.update(sink.env)
            env = deployment.airflow_env(base_env, es_url)
            say("Airflow: migrating the metadata database…")
            deployment.logs.mkdir(parents=True, exist_ok=True)
            with open(deployment.logs / "db-migrate.log", "wb") as log:
                done = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env, stdout=log,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=600)
            if done.returncode != 0:
                raise RuntimeError(f"airflow db migrate failed; see {deployment.logs / 'db-migrate.log'}")
            components.start("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(deployment.api_port)],
                             env)
            components.start("scheduler", ["scheduler"], env)
            components.start("dag-processor", ["dag-processor"], env)
            names = deployment.worker_names()
            for name in names:
                short = name.split("@")[0]
                components.start(short, ["celery", "worker", "--celery-hostname", name, "--queues", "default",
                                         "--concurrency", str(deployment.concurrency)],
                                 {**env, "VIGIE_WORKER_NAME": name})
            say(f"Airflow CeleryExecutor: scheduler, DAG processor, API server, workers {', '.join(names)}…")
            state = wait_ready(deployment, components, names, timeout)
            ready = {"api": deployment.api_url, "elasticsearch": es_url,
                     "es_nodes": cluster.urls if cluster else [es_url], "postgres": pg.url, "redis": redis.url,
                     "workers": names, "dags": state["dags"], "state": str(deployment.base),
                     "watch_file": base_env["VIGIE_CONFIG"], "data_dir": str(deployment.base / "vigie" / "data"),
                     "pids": {n: p.pid for n, p in components.running.items()}}
            deployment.ready_file.write_text(json.dumps(ready, indent=2))
            say(f"Ready: Airflow UI and REST API at {deployment.api_url} (local: every user is admin, no login); "
                f"DAGs {', '.join(state['dags'])} (paused: unpause or trigger them). Ctrl-C or "
                "`make airflow-celery-stop` stops everything.")
            while not components.dead():
                time.sleep(2)
            say(f"{', '.join(components.dead())} stopped: stopping everything (logs in {deployment.logs})")
            code = 1
    except KeyboardInterrupt:
        say("Stopping…")
    except (RuntimeError, ServiceError, LocalNodeError, OSError, subprocess.TimeoutExpired) as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        deployment.ready_file.unlink(missing_ok=True)
        components.stop()
        (cluster or deployment.cluster()).stop()
        redis.stop()
        pg.stop()
        deployment.supervisor_pid.unlink(missing_ok=True)
        say("Stopped.")
    return code


def stop(deployment: Deployment, say=print, timeout: float = 180) -> int:
    """Stop the running supervisor (it stops everything); if it died, stop what it left."""
    pid = None
    with contextlib.suppress(ValueError, OSError):
        pid = int(deployment.supervisor_pid.read_text())
        if MARKER not in Path(f"/proc/{pid}/cmdline").read_bytes():
            pid = None
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.5)
        if not _alive(pid):
            say(f"stopped (supervisor {pid})")
            return 0
        say(f"the supervisor {pid} did not stop in {timeout:.0f}s: stopping what it started")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    left = Components(deployment).stop_leftovers()
    left += deployment.cluster().stop()
    left += ["redis"] if deployment.redis().stop() else []
    left += ["postgres"] if deployment.postgres().stop() else []
    deployment.supervisor_pid.unlink(missing_ok=True)
    deployment.ready_file.unlink(missing_ok=True)
    say(f"stopped: {', '.join(left)}" if left else "nothing was running")
    return 0


def status(deployment: Deployment, say=print) -> int:
    ready = json.loads(deployment.ready_file.read_text()) if deployment.ready_file.exists() else None
    say(json.dumps({"ready": ready, "cluster": deployment.cluster().status(),
                    "postgres_pid": deployment.postgres().pid(), "redis_pid": deployment.redis().pid()}, indent=2))
    return 0 if ready else 1


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m vigie.demo.celery", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the deployment (start)")
    args = parser.parse_args(argv)
    deployment = Deployment.from_env()
    say = lambda text: print(text, flush=True)  # noqa: E731
    if args.command == "start":
        return start(deployment, say, args.timeout)
    if args.command == "stop":
        return stop(deployment, say)
    return status(deployment, say)


if __name__ == "__main__":
    sys.exit(main())
