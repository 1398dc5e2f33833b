"""PostgreSQL and Redis from the distribution's packages, run as plain processes of ours on loopback.

``make airflow-celery`` needs a metadata database and a Celery broker. On Debian or Ubuntu they come
from ``apt-get install postgresql redis-server``; here they are not the system services (no systemd, no
``/etc`` change): each runs from a private folder under the project's state folder, on its own
127.0.0.1 port, and stops with ``stop()`` (or ``make airflow-celery-stop``).

PostgreSQL refuses to run as root: as root it runs in a user namespace like the local Elasticsearch
node (``unprivileged_launcher``). It trusts local connections (loopback only, a development set-up).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from vigie.errors import LocalNodeError
from vigie.indexes.local_node import unprivileged_launcher

INSTALL_HINT = "install it: apt-get install -y postgresql redis-server (Debian/Ubuntu)"


class ServiceError(LocalNodeError):
    """A local service (PostgreSQL, Redis) could not start or stop."""


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int | None, marker: bytes) -> bool:
    if not pid:
        return False
    try:
        return marker in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _terminate(pid: int, marker: bytes, sig: int = signal.SIGTERM, grace: float = 30) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(pid, marker):
        time.sleep(0.2)
    if _alive(pid, marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def postgres_bindir() -> Path:
    """The folder of Debian's PostgreSQL server programs (initdb, pg_ctl, postgres), newest version."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ServiceError(f"PostgreSQL's server programs (initdb, pg_ctl) are missing: {INSTALL_HINT}")


class LocalPostgres:
    """A private PostgreSQL cluster: data in ``<base>/data``, log in ``<base>/postgres.log``."""

    def __init__(self, base: Path, port: int = 5440, database: str = "airflow", user: str = "airflow"):
        self.base, self.port, self.database, self.user = base, port, database, user
        self.data = base / "data"
        self.log = base / "postgres.log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL (psycopg2)."""
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if _alive(pid, b"postgres") else None

    def start(self, timeout: float = 60) -> None:
        if self.pid():
            return
        if _port_open(self.port):
            raise ServiceError(f"port {self.port} on 127.0.0.1 is already used: choose another with VIGIE_PG_PORT")
        bindir = postgres_bindir()
        launcher = unprivileged_launcher("PostgreSQL")
        self.base.mkdir(parents=True, exist_ok=True)
        if not (self.data / "PG_VERSION").exists():
            if self.data.exists():
                shutil.rmtree(self.data)
            done = subprocess.run([*launcher, str(bindir / "initdb"), "-D", str(self.data), "-U", self.user,
                                   "--auth=trust", "--encoding=UTF8", "--no-locale"],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise ServiceError(f"initdb failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200"
        done = subprocess.run([*launcher, str(bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                               "-o", options, "-w", "-t", str(int(timeout)), "start"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise ServiceError(f"PostgreSQL did not start:\n{done.stdout}{done.stderr}\n{self._log_tail()}")
        self._create_database()

    def _create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.database,))
                if not cursor.fetchone():
                    cursor.execute(f'CREATE DATABASE "{self.database}"')
        finally:
            connection.close()

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        return ""

    def stop(self) -> bool:
        """Fast shutdown (SIGINT: sessions closed, data kept); False when it was not running."""
        pid = self.pid()
        if not pid:
            return False
        _terminate(pid, b"postgres", signal.SIGINT)
        return True


class LocalRedis:
    """A private Redis: no persistence (a broker of queued task messages only), pid and log in ``base``."""

    def __init__(self, base: Path, port: int = 6390):
        self.base, self.port = base, port
        self.pid_file = base / "redis.pid"
        self.log = base / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid, b"redis-server") else None

    def start(self, timeout: float = 30) -> None:
        if self.pid():
            return
        server = shutil.which("redis-server")
        if not server:
            raise ServiceError(f"redis-server is missing: {INSTALL_HINT}")
        if _port_open(self.port):
            raise ServiceError(f"port {self.port} on 127.0.0.1 is already used: choose another with VIGIE_REDIS_PORT")
        self.base.mkdir(parents=True, exist_ok=True)
        self.pid_file.unlink(missing_ok=True)
        done = subprocess.run([server, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.base),
                               "--daemonize", "yes", "--pidfile", str(self.pid_file), "--logfile", str(self.log),
                               "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise ServiceError(f"Redis did not start:\n{done.stdout}{done.stderr}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pid() and _port_open(self.port):
                return
            time.sleep(0.2)
        raise ServiceError(f"Redis did not listen on 127.0.0.1:{self.port} in {timeout:.0f}s (log: {self.log})")

    def stop(self) -> bool:
        pid = self.pid()
        if not pid:
            return False
        _terminate(pid, b"redis-server")
        self.pid_file.unlink(missing_ok=True)
        return True
