"""A local single Elasticsearch node for the demo, the tests and small set-ups.

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
                 secure: bool = False):
        self.version = version or os.environ.get("VIGIE_ES_VERSION") or ES_VERSION
        self.port = port or settings.local_es_port()
        self.heap = heap or os.environ.get("VIGIE_ES_HEAP") or "512m"
        self.cache = cache or settings.cache_dir()
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
            "cluster.name": "vigie-local",
            "node.name": "vigie-local",
            "network.host": "127.0.0.1",
            "http.port": self.port,
            "discovery.type": "single-node",
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
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if b"elasticsearch" in cmdline else None

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
        if os.geteuid() != 0:
            return []
        unshare = shutil.which("unshare")
        if unshare:
            probe = subprocess.run([unshare, "--user", "--map-user=1000", "--map-group=1000", "true"],
                                   capture_output=True)
            if probe.returncode == 0:
                return [unshare, "--user", "--map-user=1000", "--map-group=1000"]
        raise LocalNodeError(
            "Elasticsearch refuses to run as root and user namespaces are not available here "
            "(`unshare --user` failed). Run Vigie as a normal user, or set ELASTICSEARCH_URL."
        )

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
        for log in (self.log_dir / "startup.log", self.log_dir / "vigie-local.log"):
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pid():
            time.sleep(0.5)
        if self.pid():
            os.kill(pid, signal.SIGKILL)
            time.sleep(1)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict:
        pid = self.pid()
        health = self.health() if pid else None
        return {
            "running": bool(pid and health),
            "pid": pid,
            "url": self.url,
            "version": self.version,
            "cluster_status": (health or {}).get("status"),
            "heap": self.heap,
            "home": str(self.home),
            "data": str(self.base / "data"),
            "logs": str(self.log_dir),
        }
