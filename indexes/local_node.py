"""A local single Elasticsearch node for the demo, the tests and small set-ups, and a local cluster
of several such nodes on loopback (``LocalCluster``, for ``make airflow-celery``).

The distribution is ``org.elasticsearch.distribution.integ-test-zip:elasticsearch``
from Maven Central.  It is downloaded once with Maven into the user cache
(``~/.cache/vigie`` or ``$VIGIE_CACHE_DIR``), shared by every clone; the node's
configuration, data and logs live under the project (``.vigie/es``).

That distribution ships without the ``analysis-common`` module, so French
analysis (elision, light stemming, ASCII folding) comes from a small analysis
plugin of ours built on Elasticsearch's stable plugin API (``es_plugin/``),
compiled at install time against the downloaded distribution's own jars.

Elasticsearch refuses to run as root.  When Vigie runs as root (containers, CI)
the node is started in a user namespace (``unshare --user``) where it runs as an
unprivileged user id; its files stay owned by the caller.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vigie import settings
from vigie.errors import LocalNodeError

ES_VERSION = "8.19.21"
MAVEN_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
JAVA_RANGE = (17, 24)  # Java versions Elasticsearch 8.19 supports
JVM_DIRS = [Path("/usr/lib/jvm"), Path("/usr/local/lib/jvm")]  # where distributions install JDKs
PLUGIN_NAME = "vigie-analysis-fr"
PLUGIN_DIR = Path(__file__).resolve().parent / "es_plugin"
NAMED_COMPONENTS = {
    "org.elasticsearch.plugin.analysis.TokenFilterFactory": {
        "vigie_french_elision": "org.vigie.analysis.FrenchElisionFactory",
        "vigie_french_light_stem": "org.vigie.analysis.FrenchLightStemFactory",
        "vigie_asciifolding": "org.vigie.analysis.AsciiFoldingFactory",
        "pattern_capture": "org.vigie.analysis.PatternCaptureFactory",
        "unique": "org.vigie.analysis.UniqueFactory",
    },
    "org.elasticsearch.plugin.analysis.TokenizerFactory": {
        "uax_url_email": "org.vigie.analysis.UaxUrlEmailTokenizerFactory",
    },
}


def _is_elasticsearch(pid: int) -> bool:
    """The process runs Elasticsearch and has not exited (a zombie's command line is empty)."""
    try:
        return b"elasticsearch" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@dataclass(frozen=True)
class Java:
    home: Path
    major: int

    @property
    def javac(self) -> Path:
        return self.home / "bin" / "javac"


def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def _java_candidates() -> list[Path]:
    homes: list[Path] = []
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            homes.append(Path(os.environ[var]))
    on_path = shutil.which("java")
    if on_path:
        homes.append(Path(on_path).resolve().parent.parent)
    for jvm in JVM_DIRS:
        if jvm.is_dir():
            homes += sorted(p for p in jvm.iterdir() if p.is_dir() and not p.is_symlink())
    seen, unique = set(), []
    for home in homes:
        if home not in seen:
            seen.add(home)
            unique.append(home)
    return unique


def find_java() -> Java:
    """A JDK (java and javac) whose version Elasticsearch 8.19 supports."""
    low, high = JAVA_RANGE
    found = []
    for home in _java_candidates():
        java = home / "bin" / "java"
        if not java.exists():
            continue
        major = _java_major(java)
        found.append(f"{home} (Java {major})")
        if major and low <= major <= high and (home / "bin" / "javac").exists():
            return Java(home, major)
        if os.environ.get("ES_JAVA_HOME") and home == Path(os.environ["ES_JAVA_HOME"]):
            raise LocalNodeError(
                f"ES_JAVA_HOME={home} is Java {major} or has no javac; Elasticsearch {ES_VERSION} "
                f"needs a JDK {low} to {high}."
            )
    seen = "; found: " + ", ".join(found) if found else ""
    raise LocalNodeError(
        f"No Java Development Kit {low}-{high} found{seen}. Elasticsearch {ES_VERSION} needs one "
        f"(java and javac). Install it (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) "
        f"or point ES_JAVA_HOME at one."
    )


def unprivileged_launcher(program: str, alternative: str = "") -> list[str]:
    """The command prefix that runs a server refusing root (Elasticsearch, PostgreSQL) as an unprivileged
    user id in a user namespace when we are root; nothing otherwise. Its files stay owned by the caller."""
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    if unshare:
        probe = subprocess.run([unshare, "--user", "--map-user=1000", "--map-group=1000", "true"],
                               capture_output=True)
        if probe.returncode == 0:
            return [unshare, "--user", "--map-user=1000", "--map-group=1000"]
    raise LocalNodeError(
        f"{program} refuses to run as root and user namespaces are not available here "
        f"(`unshare --user` failed). Run Vigie as a normal user{', ' + alternative if alternative else ''}."
    )


@contextlib.contextmanager
def _lock(path: Path):
    """An exclusive lock across processes (two clones installing at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


class LocalNode:
    def __init__(self, port: int | None = None, version: str | None = None,
                 heap: str | None = None, state: Path | None = None, cache: Path | None = None,
                 secure: bool = False, cluster: ClusterPlan | None = None):
        self.version = version or os.environ.get("VIGIE_ES_VERSION") or ES_VERSION
        self.port = port or settings.local_es_port()
        self.heap = heap or os.environ.get("VIGIE_ES_HEAP") or "512m"
        self.cache = cache or settings.cache_dir()
        # cluster: this node is one of several on loopback (``LocalCluster``); None: a single-node cluster.
        self.cluster = cluster
        self.name = cluster.node_name(port=self.port) if cluster else "vigie-local"
        self.base = (state or settings.state_dir()) / "es"
        self.pid_file = self.base / "es.pid"
        self.log_dir = self.base / "logs"
        # secure: HTTPS with a CA of its own and security on (file-realm admin, API keys), as a
        # production cluster would be; used to test Vigie against such clusters.
        self.secure = secure
        self.certs = self.base / "certs"
        self.url = f"{'https' if secure else 'http'}://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ install
    @property
    def zip_path(self) -> Path:
        return self.cache / "downloads" / f"elasticsearch-{self.version}.zip"

    def download(self) -> Path:
        """The distribution zip, downloaded from Maven Central on first use."""
        if self.zip_path.exists():
            return self.zip_path
        mvn = shutil.which("mvn")
        if not mvn:
            raise LocalNodeError(
                "Maven (mvn) is needed to download Elasticsearch from Maven Central: install it "
                f"(apt-get install maven), or put the zip of {MAVEN_ARTIFACT.format(version=self.version)} "
                f"at {self.zip_path} yourself, or set ELASTICSEARCH_URL to use an existing cluster."
            )
        self.zip_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.zip_path.parent) as tmp:
            cmd = [mvn, "-q", "-B", "dependency:copy",
                   f"-Dartifact={MAVEN_ARTIFACT.format(version=self.version)}", f"-DoutputDirectory={tmp}"]
            done = subprocess.run(cmd, capture_output=True, text=True)
            got = Path(tmp) / f"elasticsearch-{self.version}.zip"
            if done.returncode != 0 or not got.exists():
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
                raise LocalNodeError(
                    f"Downloading Elasticsearch {self.version} with Maven failed "
                    f"(exit {done.returncode}):\n{tail}\nCheck that Maven Central is reachable, or set "
                    "ELASTICSEARCH_URL to use an existing cluster."
                )
            try:
                with zipfile.ZipFile(got) as zf:
                    bad = zf.testzip()
            except zipfile.BadZipFile as exc:
                raise LocalNodeError(f"The downloaded Elasticsearch zip is damaged: {exc}") from None
            if bad:
                raise LocalNodeError(f"The downloaded Elasticsearch zip is damaged at {bad}")
            os.replace(got, self.zip_path)
        return self.zip_path

    def _plugin_hash(self) -> str:
        digest = hashlib.sha256(json.dumps(NAMED_COMPONENTS, sort_keys=True).encode())
        for src in sorted((PLUGIN_DIR / "src").rglob("*.java")):
            digest.update(src.name.encode() + src.read_bytes())
        return digest.hexdigest()[:12]

    @property
    def home(self) -> Path:
        return self.cache / f"elasticsearch-{self.version}-{PLUGIN_NAME}-{self._plugin_hash()}"

    def _build_plugin(self, home: Path, java: Java, work: Path) -> Path:
        lib = home / "lib"
        jars = [*lib.glob("elasticsearch-plugin-*api-*.jar"), *lib.glob("lucene-core-*.jar"),
                *lib.glob("lucene-analysis-common-*.jar")]
        classes = work / "classes"
        sources = [str(p) for p in sorted((PLUGIN_DIR / "src").rglob("*.java"))]
        cmd = [str(java.javac), "--release", "17", "-nowarn", "-d", str(classes),
               "-cp", os.pathsep.join(map(str, jars)), *sources]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise LocalNodeError(f"Compiling the French analysis plugin failed:\n{done.stderr[-3000:]}")
        jar = work / f"{PLUGIN_NAME}.jar"
        with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(classes.rglob("*.class")):
                zf.write(path, path.relative_to(classes).as_posix())
        descriptor = (PLUGIN_DIR / "stable-plugin-descriptor.properties").read_text()
        descriptor = descriptor.replace("@ES_VERSION@", self.version)
        bundle = work / f"{PLUGIN_NAME}.zip"
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(jar, jar.name)
            zf.writestr("stable-plugin-descriptor.properties", descriptor)
            zf.writestr("named_components.json", json.dumps(NAMED_COMPONENTS, indent=2))
        return bundle

    def install(self) -> Path:
        """Download, unpack and add the analysis plugin; reused when already done."""
        if (self.home / ".vigie-ready").exists():
            return self.home
        java = find_java()
        archive = self.download()
        with _lock(self.cache / ".install.lock"):
            if (self.home / ".vigie-ready").exists():
                return self.home
            with tempfile.TemporaryDirectory(dir=self.cache) as tmp:
                tmp_path = Path(tmp)
                with zipfile.ZipFile(archive) as zf:
                    for info in zf.infolist():
                        zf.extract(info, tmp_path)
                        mode = (info.external_attr >> 16) & 0o777
                        if mode:
                            os.chmod(tmp_path / info.filename, mode)
                unpacked = tmp_path / f"elasticsearch-{self.version}"
                bundle = self._build_plugin(unpacked, java, tmp_path)
                done = subprocess.run(
                    [str(unpacked / "bin" / "elasticsearch-plugin"), "install", "--batch", bundle.as_uri()],
                    capture_output=True, text=True, env=self._env(java),
                )
                if done.returncode != 0:
                    raise LocalNodeError(f"Installing the analysis plugin failed:\n{done.stdout}{done.stderr}")
                (unpacked / ".vigie-ready").write_text(self.version)
                if self.home.exists():
                    shutil.rmtree(self.home)
                os.replace(unpacked, self.home)
        return self.home

    # ------------------------------------------------------------------- run
    def _env(self, java: Java) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "ELASTICSEARCH_"))}
        env["ES_JAVA_HOME"] = str(java.home)
        env.pop("JAVA_TOOL_OPTIONS", None)
        return env

    def _write_config(self, home: Path) -> Path:
        conf = self.base / "config"
        if conf.exists():
            shutil.rmtree(conf)
        shutil.copytree(home / "config", conf)
        data = self.base / "data"
        data.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        yml = {
            "cluster.name": self.cluster.name if self.cluster else "vigie-local",
            "node.name": self.name,
            "network.host": "127.0.0.1",
            "http.port": self.port,
            **(self.cluster.node_settings(self.port) if self.cluster else {"discovery.type": "single-node"}),
            "xpack.security.enabled": self.secure,
            "path.data": str(data),
            "path.logs": str(self.log_dir),
            # A laptop disk that fills up must not turn the demo read-only.
            "cluster.routing.allocation.disk.threshold_enabled": False,
        }
        if self.secure:
            yml.update({
                "xpack.security.http.ssl.enabled": True,
                # Elasticsearch reads SSL files only inside its config folder.
                "xpack.security.http.ssl.certificate": "certs/node.crt",
                "xpack.security.http.ssl.key": "certs/node.key",
                "xpack.security.http.ssl.certificate_authorities": ["certs/ca.crt"],
                "xpack.security.authc.api_key.enabled": True,
            })
        (conf / "elasticsearch.yml").write_text(
            "# Written by `vigie es start`; edits are overwritten.\n"
            + "".join(f"{k}: {json.dumps(v)}\n" for k, v in yml.items())
        )
        if self.secure:
            self._secure_config(home, conf)
        (conf / "jvm.options.d" / "vigie.options").write_text(
            f"-Xms{self.heap}\n-Xmx{self.heap}\n-Xlog:disable\n-XX:HeapDumpPath={self.log_dir}\n"
        )
        return conf

    @property
    def ca_cert(self) -> Path:
        return self.certs / "ca.crt"

    @property
    def admin(self) -> tuple[str, str]:
        return "vigie-admin", (self.base / "admin-password").read_text().strip()

    def _secure_config(self, home: Path, conf: Path) -> None:
        """A CA and a node certificate for 127.0.0.1 (openssl), and a file-realm superuser."""
        openssl = shutil.which("openssl")
        if not openssl:
            raise LocalNodeError("openssl is needed to make the certificates of a secure local node")
        self.certs.mkdir(parents=True, exist_ok=True)
        if not (self.certs / "node.crt").exists():
            run = lambda *args: subprocess.run([openssl, *args], check=True, capture_output=True)  # noqa: E731
            c = self.certs
            run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Vigie local CA",
                "-keyout", str(c / "ca.key"), "-out", str(c / "ca.crt"))
            run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", str(c / "node.key"), "-out", str(c / "node.csr"))
            (c / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
            run("x509", "-req", "-in", str(c / "node.csr"), "-CA", str(c / "ca.crt"), "-CAkey", str(c / "ca.key"),
                "-CAcreateserial", "-days", "30", "-extfile", str(c / "san.cnf"), "-out", str(c / "node.crt"))
        (conf / "certs").mkdir(exist_ok=True)
        for name in ("ca.crt", "node.crt", "node.key"):
            shutil.copy2(self.certs / name, conf / "certs" / name)
        password_file = self.base / "admin-password"
        if not password_file.exists():
            password_file.write_text(os.urandom(12).hex())
            password_file.chmod(0o600)
        user, password = self.admin
        env = {**self._env(find_java()), "ES_PATH_CONF": str(conf)}
        done = subprocess.run([str(home / "bin" / "elasticsearch-users"), "useradd", user, "-p", password,
                               "-r", "superuser"], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise LocalNodeError(f"Creating the local admin user failed: {done.stdout}{done.stderr}")

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _is_elasticsearch(pid) else None

    def health(self, wait: str | None = None) -> dict | None:
        url = f"{self.url}/_cluster/health"
        if wait:
            url += f"?wait_for_status=yellow&timeout={wait}"
        request = urllib.request.Request(url)  # noqa: S310 (http(s)://127.0.0.1 only)
        context = None
        if self.secure:
            import base64
            import ssl

            context = ssl.create_default_context(cafile=str(self.ca_cert))
            user, password = self.admin
            request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as resp:  # noqa: S310 (127.0.0.1)
                return json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def _port_in_use(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def _launcher(self) -> list[str]:
        return unprivileged_launcher("Elasticsearch", "or set ELASTICSEARCH_URL")

    def start(self, timeout: float = 180) -> dict:
        """Start the node (or find it running) and wait until the cluster is healthy."""
        if self.pid() and self.health():
            return self.status()
        if self._port_in_use():
            raise LocalNodeError(
                f"Port {self.port} on 127.0.0.1 is already used by another program. Choose another "
                "with VIGIE_ES_PORT, or point ELASTICSEARCH_URL at the cluster listening there."
            )
        java = find_java()
        home = self.install()
        conf = self._write_config(home)
        self.pid_file.unlink(missing_ok=True)
        env = self._env(java)
        env["ES_PATH_CONF"] = str(conf)
        cmd = [*self._launcher(), str(home / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        out = self.log_dir / "startup.log"
        with open(out, "w") as sink:
            done = subprocess.run(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env,
                                  stdin=subprocess.DEVNULL, cwd=self.base)
        if done.returncode != 0:
            raise LocalNodeError(f"Elasticsearch did not start (exit {done.returncode}):\n{self._log_tail()}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.health(wait="2s")
            if health and health.get("status") in {"green", "yellow"}:
                return self.status()
            if not self.pid() and time.monotonic() > deadline - timeout + 10:
                raise LocalNodeError(f"Elasticsearch stopped while starting:\n{self._log_tail()}")
            time.sleep(1)
        raise LocalNodeError(f"Elasticsearch did not become healthy in {timeout:.0f}s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 25) -> str:
        chunks = []
        cluster_name = self.cluster.name if self.cluster else "vigie-local"
        for log in (self.log_dir / "startup.log", self.log_dir / f"{cluster_name}.log"):
            with contextlib.suppress(OSError):
                text = log.read_text(errors="replace").splitlines()
                errors = [ln for ln in text if "ERROR" in ln or "Exception" in ln]
                chunks.append(f"--- {log}\n" + "\n".join((errors or text)[-lines:]))
        return "\n".join(chunks) or "(no log written)"

    def stop(self, timeout: float = 60) -> bool:
        """Stop the node; False when it was not running."""
        pid = self.pid()
        if not pid:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        # Elasticsearch removes its pid file before the JVM has exited: wait for the process itself.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _is_elasticsearch(pid):
            time.sleep(0.5)
        if _is_elasticsearch(pid):
            os.kill(pid, signal.SIGKILL)
            while _is_elasticsearch(pid):
                time.sleep(0.2)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict:
        pid = self.pid()
        health = self.health() if pid else None
        return {
            "running": bool(pid and health),
            "name": self.name,
            "pid": pid,
            "url": self.url,
            "version": self.version,
            "cluster_status": (health or {}).get("status"),
            "heap": self.heap,
            "home": str(self.home),
            "data": str(self.base / "data"),
            "logs": str(self.log_dir),
        }


# ------------------------------------------------------------------ cluster
@dataclass(frozen=True)
class ClusterPlan:
    """N nodes on loopback forming one cluster: node i listens on ``http_port + i`` (HTTP) and
    ``transport_port + i`` (transport). The first node is the only master-eligible one (a voting
    configuration of one: with two master-eligible nodes, losing the one that votes stops the cluster);
    the others hold data only, so any of them may stop while the cluster goes on (yellow), and come back."""

    name: str
    http_port: int
    transport_port: int
    size: int = 2

    def index_of(self, port: int) -> int:
        return port - self.http_port

    def node_name(self, *, port: int) -> str:
        return f"{self.name}-{self.index_of(port) + 1}"

    def node_settings(self, port: int) -> dict:
        first = f"{self.name}-1"
        index = self.index_of(port)
        return {
            "transport.port": self.transport_port + index,
            "discovery.seed_hosts": [f"127.0.0.1:{self.transport_port}"],
            "cluster.initial_master_nodes": [first],
            "node.roles": ["master", "data", "ingest"] if index == 0 else ["data", "ingest"],
        }


class LocalCluster:
    """Several ``LocalNode``s on loopback forming one cluster (``ClusterPlan``); each keeps its own
    configuration, data and logs under ``<state>/es-cluster/<node name>``."""

    def __init__(self, size: int = 2, http_port: int = 9270, transport_port: int | None = None,
                 state: Path | None = None, name: str = "vigie-cluster", heap: str | None = None,
                 cache: Path | None = None):
        if size < 1:
            raise LocalNodeError("a local cluster has at least one node")
        self.plan = ClusterPlan(name, http_port, transport_port or http_port + 100, size)
        root = (state or settings.state_dir()) / "es-cluster"
        self.nodes = [LocalNode(port=http_port + i, heap=heap, cache=cache, cluster=self.plan,
                                state=root / self.plan.node_name(port=http_port + i)) for i in range(size)]

    @property
    def url(self) -> str:
        """The master-eligible node's URL (it stays up while a data node stops)."""
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, timeout: float = 240) -> dict:
        """Start every node (the master-eligible one first) and wait until all joined and the cluster is healthy."""
        for node in self.nodes:
            node.start(timeout=timeout)
        self.wait(nodes=len(self.nodes), timeout=timeout)
        return self.status()

    def wait(self, nodes: int | None = None, status: str = "yellow", timeout: float = 240) -> dict:
        """Cluster health once ``nodes`` nodes joined and it is at least ``status`` (green or yellow)."""
        query = f"wait_for_status={status}&timeout=5s" + (f"&wait_for_nodes={nodes}" if nodes else "")
        deadline = time.monotonic() + timeout
        health: dict | None = None
        while time.monotonic() < deadline:
            health = _get_json(f"{self.url}/_cluster/health?{query}")
            if health and not health.get("timed_out") and health.get("status") in ({"green"} if status == "green"
                                                                                 else {"green", "yellow"}):
                return health
            time.sleep(1)
        raise LocalNodeError(f"the local cluster did not reach {status} with {nodes or 'its'} nodes in "
                             f"{timeout:.0f}s (last health: {health})")

    def stop(self) -> list[str]:
        """Stop every node at once; the names of those that were running."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(self.nodes)) as pool:
            stopped = list(pool.map(lambda node: node.stop(), self.nodes))
        return [node.name for node, was in zip(self.nodes, stopped, strict=True) if was]

    def status(self) -> dict:
        health = _get_json(f"{self.url}/_cluster/health")
        return {"name": self.plan.name, "url": self.url, "cluster_status": (health or {}).get("status"),
                "nodes_joined": (health or {}).get("number_of_nodes"),
                "nodes": [node.status() for node in self.nodes]}


def _get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=15) as resp:  # noqa: S310 (http://127.0.0.1 only)
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:  # 408: a health wait that timed out still says the health
        try:
            return json.loads(exc.read())
        except (OSError, ValueError):
            return None
    except (urllib.error.URLError, OSError, ValueError):
        return None
