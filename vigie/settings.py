"""Settings from the environment (never from files that could be committed).

Resolution order everywhere: command-line flag, environment variable, default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ES_PORT = 9200


def project_root() -> Path:
    """The clone Vigie runs from (where setup.cfg is), else the current folder."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "setup.cfg").exists() else Path.cwd()


def state_dir() -> Path:
    """Where the project keeps its runtime data (local node data, runs, rejects)."""
    return Path(os.environ.get("VIGIE_STATE_DIR") or project_root() / ".vigie")


def data_dir() -> Path:
    """Where the stages keep their JSON Lines (raw/, enriched/…): retention and erasure rewrite them."""
    return Path(os.environ.get("VIGIE_DATA_DIR") or state_dir() / "data")


def cache_dir() -> Path:
    """User cache shared by every clone (the Elasticsearch download lives here)."""
    if os.environ.get("VIGIE_CACHE_DIR"):
        return Path(os.environ["VIGIE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vigie"


def index_prefix() -> str:
    return os.environ.get("VIGIE_INDEX_PREFIX", "vigie").strip().lower() or "vigie"


def local_es_port() -> int:
    return int(os.environ.get("VIGIE_ES_PORT") or DEFAULT_ES_PORT)


@dataclass(frozen=True)
class ESSettings:
    url: str
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_certs: str | None = None
    verify_certs: bool = True
    external: bool = False  # True when ELASTICSEARCH_URL names a cluster of the user's

    @property
    def display_url(self) -> str:
        """The URL without any credentials written in it, for messages and logs."""
        from vigie.redact import redact_url

        return redact_url(self.url)

    @classmethod
    def from_env(cls, url: str | None = None) -> ESSettings:
        env = os.environ
        if not (url or env.get("ELASTICSEARCH_URL")) and env.get("VIGIE_ES_CONN_ID"):
            return cls.from_airflow(env["VIGIE_ES_CONN_ID"])
        explicit = url or env.get("ELASTICSEARCH_URL")
        return cls(
            url=(explicit or f"http://127.0.0.1:{local_es_port()}").rstrip("/"),
            api_key=env.get("ELASTICSEARCH_API_KEY") or None,
            username=env.get("ELASTICSEARCH_USERNAME") or None,
            password=env.get("ELASTICSEARCH_PASSWORD") or None,
            ca_certs=env.get("ELASTICSEARCH_CA_CERTS") or None,
            verify_certs=env.get("ELASTICSEARCH_VERIFY_CERTS", "true").lower() not in {"0", "false", "no"},
            external=bool(explicit),
        )

    @classmethod
    def from_airflow(cls, conn_id: str) -> ESSettings:
        """An Airflow connection (``AIRFLOW_CONN_<ID>`` as a URI or JSON, or Airflow's store): host, port,
        login, password; schema ``https`` (or the extra ``scheme``) for TLS; extras ``api_key``,
        ``ca_certs``, ``verify_certs``."""
        from vigie.connections import extras, get

        conn = get(conn_id)
        extra = extras(conn)
        https = (conn.schema or "").lower() == "https" or (conn.conn_type or "").lower() in {"https", "elasticsearchs"}
        scheme = extra.get("scheme") or ("https" if https else "http")
        return cls(url=f"{scheme}://{conn.host or '127.0.0.1'}:{conn.port or 9200}",
                   api_key=extra.get("api_key") or None, username=conn.login or None,
                   password=conn.password or None, ca_certs=extra.get("ca_certs") or None,
                   verify_certs=str(extra.get("verify_certs", "true")).lower() not in {"0", "false", "no"},
                   external=True)
