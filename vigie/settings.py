"""Settings: built once at the edge (the CLI, a DAG task, the demo) and passed down.

Resolution order for every value: command-line flag, then environment variable, then the watch
file's ``settings:`` section, then the default. ``Settings.resolve()`` is the one place that reads
the environment for them; the stages receive the ``Settings`` object (its ``env`` is the environment
the run sees, so the demo can add its own variables without changing ``os.environ``).

| setting | flag | environment | watch file | default |
|---|---|---|---|---|
| watch file | ``--config`` | ``VIGIE_CONFIG`` | | the demo territory's watch file (packaged) |
| index prefix | | ``VIGIE_INDEX_PREFIX`` | ``settings.index_prefix`` | ``vigie`` |
| state folder | | ``VIGIE_STATE_DIR`` | | ``.vigie`` of the clone, else ``$XDG_STATE_HOME/vigie`` |
| data folder | | ``VIGIE_DATA_DIR`` | ``settings.data_dir`` | ``<state>/data`` |
| cache folder | | ``VIGIE_CACHE_DIR`` | | ``$XDG_CACHE_HOME/vigie`` |
| search time limit | | ``VIGIE_SEARCH_TIMEOUT`` | | 30 s |
| crawl batch size | ``--batch-size`` | ``VIGIE_CRAWL_BATCH_SIZE`` | ``settings.crawl_batch_size`` | 50 |
| shards of a new monthly index | ``--shards`` (setup) | ``VIGIE_INDEX_SHARDS`` | ``settings.index_shards`` | kept; 1 |
| Elasticsearch | | ``ELASTICSEARCH_*``, ``VIGIE_ES_CONN_ID`` | | the local node on ``VIGIE_ES_PORT`` (9200) |
| NLP profile | ``--profile`` | ``VIGIE_NLP_PROFILE`` | ``nlp_profile`` (watch, then settings) | ``accurate`` |

The NLP profile (``accurate`` or ``fast``, see docs/nlp.md) is chosen per watch: a flag or the
environment variable applies to every watch of the run; otherwise each watch's own ``nlp_profile``, then
the file's ``settings.nlp_profile``, then ``accurate`` (``Settings.profile_for``).

The shard count (an integer from 1 to 64) is applied by the index template, so only to monthly indices
created afterwards (docs/DEPLOY.md). When no flag, variable or file sets it, installing the template keeps
the count it already has: a command run without the setting never takes a configured cluster back to one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigie.errors import SettingsError

if TYPE_CHECKING:
    from vigie.config import WatchFile
    from vigie.indexnames import IndexNames

DEFAULT_ES_PORT = 9200
NLP_PROFILES = ("accurate", "fast")
DEFAULT_NLP_PROFILE = "accurate"
MAX_INDEX_SHARDS = 64
PACKAGE = Path(__file__).resolve().parent
DEMO_CONFIG = PACKAGE / "demo" / "demo.yaml"


def clone_root() -> Path | None:
    """The clone Vigie runs from (where setup.cfg is), or None when it is installed as a package."""
    here = PACKAGE.parent
    return here if (here / "setup.cfg").exists() else None


def project_root() -> Path:
    """The clone Vigie runs from, else the current folder (only for files a user names relative to it)."""
    return clone_root() or Path.cwd()


def _state_dir(env: Mapping[str, str]) -> Path:
    if env.get("VIGIE_STATE_DIR"):
        return Path(env["VIGIE_STATE_DIR"])
    root = clone_root()
    if root:
        return root / ".vigie"
    return Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "vigie"


def state_dir() -> Path:
    """Where the project keeps its runtime data (local node data, runs, rejects)."""
    return _state_dir(os.environ)


def data_dir() -> Path:
    """Where the stages keep their JSON Lines (raw/, enriched/…): retention and erasure rewrite them."""
    return Path(os.environ.get("VIGIE_DATA_DIR") or state_dir() / "data")


def _cache_dir(env: Mapping[str, str]) -> Path:
    if env.get("VIGIE_CACHE_DIR"):
        return Path(env["VIGIE_CACHE_DIR"])
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vigie"


def cache_dir() -> Path:
    """User cache shared by every clone (the Elasticsearch download lives here)."""
    return _cache_dir(os.environ)


def config_path(flag: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The watch file: ``--config``, else ``VIGIE_CONFIG``, else the demo territory's (the one default)."""
    env = os.environ if env is None else env
    chosen = flag or env.get("VIGIE_CONFIG")
    return Path(chosen).expanduser().absolute() if chosen else DEMO_CONFIG


def local_es_port(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    return int(env.get("VIGIE_ES_PORT") or DEFAULT_ES_PORT)


def _prefix(value: str) -> str:
    return value.strip().lower() or "vigie"


def check_profile(value: str | None, where: str) -> str | None:
    """``value`` when it names an NLP profile (or is empty: None); a SettingsError naming ``where`` otherwise."""
    if not value:
        return None
    value = value.strip().lower()
    if value not in NLP_PROFILES:
        raise SettingsError(f"{where}: unknown NLP profile {value!r} (expected one of {', '.join(NLP_PROFILES)})")
    return value


def env_number(env: Mapping[str, str], name: str, kind: type, minimum: float) -> int | float | None:
    """The number an environment variable holds (None when unset or empty); a SettingsError naming it when
    it is not a ``kind`` of at least ``minimum``."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value != value or value < minimum:  # value != value: NaN
        raise SettingsError(f"{name}: {text!r} is not {'an integer' if kind is int else 'a number'} "
                            f"of at least {minimum}")
    return value


def check_index_shards(value: Any, where: str | None = None) -> int | None:
    """``value`` as a number of primary shards (1 to 64), None when empty; a SettingsError naming ``where``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()  # True and 3.0 do not match: an integer, written as one
    if re.fullmatch(r"[0-9]{1,3}", text) and 1 <= int(text) <= MAX_INDEX_SHARDS:
        return int(text)
    message = (f"{value!r} is not a number of primary shards per monthly documents index: "
               f"expected an integer from 1 to {MAX_INDEX_SHARDS}")
    raise SettingsError(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Settings:
    """What a run needs to know besides its watch: built by ``resolve()`` at the edge, passed down."""

    config_path: Path
    state_dir: Path
    data_dir: Path
    cache_dir: Path
    index_prefix: str
    env: Mapping[str, str] = field(repr=False, compare=False)
    search_timeout: float = 30.0
    nlp_profile: str | None = None  # flag or VIGIE_NLP_PROFILE: every watch of the run
    file_nlp_profile: str | None = None  # the watch file's settings.nlp_profile
    crawl_batch_size: int = 50  # sources crawled together by one crawl process
    index_shards: int | None = None  # primary shards of a new monthly documents index; None: the template's

    @classmethod
    def resolve(cls, config: str | Path | None = None, *, index_prefix: str | None = None,
                env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Flag (the arguments), then environment (``env``, default ``os.environ``), then the watch file."""
        env = dict(os.environ if env is None else env)
        path = config_path(config, env)
        from vigie.config import load_file_settings

        in_file = load_file_settings(path)
        state = _state_dir(env)
        data = Path(env["VIGIE_DATA_DIR"]) if env.get("VIGIE_DATA_DIR") else (
            (path.parent / in_file.data_dir) if in_file.data_dir else state / "data")
        prefix = index_prefix or env.get("VIGIE_INDEX_PREFIX") or in_file.index_prefix or "vigie"
        made = cls(config_path=path, state_dir=state, data_dir=data, cache_dir=_cache_dir(env),
                   index_prefix=_prefix(prefix), env=env,
                   search_timeout=env_number(env, "VIGIE_SEARCH_TIMEOUT", float, 0.1) or 30.0,
                   nlp_profile=check_profile(env.get("VIGIE_NLP_PROFILE"), "VIGIE_NLP_PROFILE"),
                   file_nlp_profile=getattr(in_file, "nlp_profile", None),
                   crawl_batch_size=max(1, int(env_number(env, "VIGIE_CRAWL_BATCH_SIZE", int, 1)
                                               or getattr(in_file, "crawl_batch_size", None) or 50)),
                   index_shards=check_index_shards(env.get("VIGIE_INDEX_SHARDS"), "VIGIE_INDEX_SHARDS")
                   or getattr(in_file, "index_shards", None))
        if overrides.get("nlp_profile"):
            overrides["nlp_profile"] = check_profile(overrides["nlp_profile"], "--profile")
        if overrides.get("index_shards") is not None:
            overrides["index_shards"] = check_index_shards(overrides["index_shards"], "--shards")
        return replace(made, **overrides) if overrides else made

    def profile_for(self, watch_id: str | None = None) -> str:
        """The NLP profile of a watch: flag or environment, else the watch's, else the file's, else accurate."""
        if self.nlp_profile:
            return self.nlp_profile
        if watch_id:
            own = getattr(self.watch(watch_id), "nlp_profile", None)
            if own:
                return own
        return self.file_nlp_profile or DEFAULT_NLP_PROFILE

    @cached_property
    def watch_file(self) -> WatchFile:
        from vigie.config import load_config

        return load_config(self.config_path)

    @property
    def watches(self) -> list:
        return self.watch_file.watches

    def watch(self, watch_id: str):
        return self.watch_file.watch(watch_id)

    @cached_property
    def names(self) -> IndexNames:
        from vigie.indexnames import IndexNames

        return IndexNames(self.index_prefix)

    @cached_property
    def es(self) -> ESSettings:
        from vigie.connections import ConnectionInvalid
        from vigie.errors import ClusterUnavailable

        try:
            return ESSettings.from_env(env=self.env)
        except ConnectionInvalid as exc:  # an unreadable VIGIE_ES_CONN_ID connection; the message has no secret
            raise ClusterUnavailable(str(exc)) from None

    def child_env(self) -> dict[str, str]:
        """The environment of a process this run starts (a crawl): the run's, with the settings made explicit."""
        return {**self.env, "VIGIE_CONFIG": str(self.config_path), "VIGIE_STATE_DIR": str(self.state_dir),
                "VIGIE_DATA_DIR": str(self.data_dir), "VIGIE_CACHE_DIR": str(self.cache_dir),
                "VIGIE_INDEX_PREFIX": self.index_prefix}


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
    def from_env(cls, url: str | None = None, env: Mapping[str, str] | None = None) -> ESSettings:
        env = os.environ if env is None else env
        if not (url or env.get("ELASTICSEARCH_URL")) and env.get("VIGIE_ES_CONN_ID"):
            return cls.from_airflow(env["VIGIE_ES_CONN_ID"], env)
        explicit = url or env.get("ELASTICSEARCH_URL")
        return cls(
            url=(explicit or f"http://127.0.0.1:{local_es_port(env)}").rstrip("/"),
            api_key=env.get("ELASTICSEARCH_API_KEY") or None,
            username=env.get("ELASTICSEARCH_USERNAME") or None,
            password=env.get("ELASTICSEARCH_PASSWORD") or None,
            ca_certs=env.get("ELASTICSEARCH_CA_CERTS") or None,
            verify_certs=env.get("ELASTICSEARCH_VERIFY_CERTS", "true").lower() not in {"0", "false", "no"},
            external=bool(explicit),
        )

    @classmethod
    def from_airflow(cls, conn_id: str, env: Mapping[str, str] | None = None) -> ESSettings:
        """An Airflow connection (``AIRFLOW_CONN_<ID>`` as a URI or JSON, or Airflow's store): host, port,
        login, password; schema ``https`` (or the extra ``scheme``) for TLS; extras ``api_key``,
        ``ca_certs``, ``verify_certs``."""
        from vigie.connections import extras, get

        conn = get(conn_id, env)
        extra = extras(conn)
        https = (conn.schema or "").lower() == "https" or (conn.conn_type or "").lower() in {"https", "elasticsearchs"}
        scheme = extra.get("scheme") or ("https" if https else "http")
        return cls(url=f"{scheme}://{conn.host or '127.0.0.1'}:{conn.port or 9200}",
                   api_key=extra.get("api_key") or None, username=conn.login or None,
                   password=conn.password or None, ca_certs=extra.get("ca_certs") or None,
                   verify_certs=str(extra.get("verify_certs", "true")).lower() not in {"0", "false", "no"},
                   external=True)
