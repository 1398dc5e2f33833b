"""watch.yaml: one file, one or more watches, validated at load.

Errors name the file, the key path (and its line), what is wrong and what is
expected.  Secrets never live in the file, neither as values nor inside URLs
(``user:pass@``, ``?api_key=``): a source names the environment variables (or
Airflow connections) that hold them.

Source kinds, which of them need a URL and the options each accepts are not
listed here: the crawlers declare them next to their spiders and install their
registry in ``vigie.sourcekinds`` (this core module does not import the
crawlers; see that module).  ``load_config`` checks each source's ``options``
against its kind's model, with the same key paths and lines as the rest of the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vigie import sourcekinds

SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey")
# Query parameters that carry a credential (compared in lower case, '-' read as '_').
SECRET_PARAMS = {"key", "auth", "sig", "signature", "pass", "pwd"}
SECRET_PARAM_ENDINGS = ("_key", "apikey", "_token", "_secret", "_password", "_pass")


class ConfigError(Exception):
    """A watch file that cannot be used; ``problems`` lists each one."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}: {p}" for p in problems))


class UnknownWatch(KeyError):
    """A watch id that the watch file does not have."""

    def __str__(self) -> str:
        return str(self.args[0])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Territory(_Model):
    communes: list[str] = Field(min_length=1)
    departements: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("communes")
    @classmethod
    def _insee(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not INSEE.match(str(code)):
                raise ValueError(
                    f"{code!r} is not an INSEE commune code (5 characters such as '59328' or '2A004')"
                )
        return [str(c) for c in codes]


class Source(_Model):
    id: str = Field(pattern=SLUG)
    kind: str  # checked against the installed registry of kinds (vigie.sourcekinds)
    url: str | None = None
    urls: list[str] = Field(default_factory=list)
    enabled: bool = True
    allow_private_networks: bool = False
    credentials: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("kind")
    @classmethod
    def _kind(cls, kind: str) -> str:
        registry = sourcekinds.installed()
        if registry is None:
            if not re.match(SLUG, kind):
                raise ValueError(f"got {kind!r}; expected a source kind (lowercase letters, digits, '_')")
        elif kind not in registry.names():
            raise ValueError(f"got {kind!r}; expected one of: {', '.join(registry.names())}")
        return kind

    @field_validator("url")
    @classmethod
    def _url(cls, url: str | None) -> str | None:
        if url is not None and not re.match(r"^https?://[^\s/]+", url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url

    @field_validator("credentials")
    @classmethod
    def _env_names(cls, creds: dict[str, str]) -> dict[str, str]:
        for key, name in creds.items():
            if not ENV_NAME.match(str(name)):
                raise ValueError(
                    f"credentials.{key} must name an environment variable (e.g. VIGIE_{key.upper()}),"
                    " never hold the secret itself"
                )
        return creds

    @model_validator(mode="after")
    def _needs_url(self) -> Source:
        kind = _kind_of(self.kind)
        if kind is not None and kind.needs_url and not (self.url or self.urls):
            raise ValueError(f"a source of kind {self.kind!r} needs 'url' (or 'urls')")
        return self


def _kind_of(name: Any) -> sourcekinds.SourceKind | None:
    """The installed declaration of kind ``name`` (None without a registry or for an unknown kind)."""
    registry = sourcekinds.installed()
    if registry is None or not isinstance(name, str) or name not in registry.names():
        return None
    return registry.get(name)


class TopicRule(_Model):
    """Adds a topic to the taxonomy, or extends/re-routes an existing one, for one watch."""

    id: str = Field(pattern=SLUG)
    label: str | None = None
    keywords: list[str] = Field(default_factory=list)
    service: str | None = None


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _emails(emails: list[str]) -> list[str]:
    for email in emails:
        if not EMAIL.match(email):
            raise ValueError(f"{email!r} is not an email address")
    return emails


Emails = Annotated[list[str], AfterValidator(_emails)]


class Digest(_Model):
    recipients: Emails = Field(default_factory=list)
    time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    top_n: int = Field(default=5, ge=1, le=20)                     # entries per list (documents, influencers…)
    subject_prefix: str = Field(default="Veille", max_length=60)   # « Veille Ville de X – 17 nov. 2026 : … »


class Privacy(_Model):
    pseudonymise_authors: bool = False
    retention_days: int | None = Field(default=None, ge=1)
    public_accounts: list[str] = Field(default_factory=list)


ALERT_KINDS = ("emerging_topic", "crisis_keywords", "negative_spike", "toxicity_spike", "saved_query")
WEBHOOK_FORMATS = ("slack", "mattermost", "teams", "teams_adaptive", "json")


class AlertWebhook(_Model):
    """An incoming webhook; its URL is a secret, so the file names the variable that holds it."""

    name: str = Field(pattern=SLUG)
    url_env: str
    format: str = "json"
    kinds: list[str] = Field(default_factory=list)  # empty: every kind

    @field_validator("url_env")
    @classmethod
    def _env(cls, name: str) -> str:
        if not ENV_NAME.match(name):
            raise ValueError(f"{name!r} must name an environment variable holding the URL (e.g. VIGIE_WEBHOOK_SLACK)")
        return name

    @field_validator("format")
    @classmethod
    def _format(cls, fmt: str) -> str:
        if fmt not in WEBHOOK_FORMATS:
            raise ValueError(f"got {fmt!r}; expected one of: {', '.join(WEBHOOK_FORMATS)}")
        return fmt

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, kinds: list[str]) -> list[str]:
        return _check_kinds(kinds)


def _check_kinds(kinds: list[str]) -> list[str]:
    for kind in kinds:
        if kind not in ALERT_KINDS:
            raise ValueError(f"got {kind!r}; expected alert kinds among: {', '.join(ALERT_KINDS)}")
    return kinds


class SavedQuery(_Model):
    """An Elasticsearch query string; an alert when ``threshold`` documents match within ``window``."""

    name: str = Field(pattern=SLUG)
    label: str | None = None
    query: str = Field(min_length=1)
    threshold: int = Field(ge=1)
    window: str = Field(default="1h", pattern=r"^[1-9]\d*[mhd]$")

    @property
    def window_seconds(self) -> int:
        return int(self.window[:-1]) * {"m": 60, "h": 3600, "d": 86400}[self.window[-1]]


class AlertThresholds(_Model):
    similarity: float = Field(default=0.5, gt=0, le=1)        # first-story detection: cosine to join a thread
    fsd_window_hours: float = Field(default=24, gt=0)          # first-story detection: sliding window
    min_docs: int = Field(default=5, ge=1)                    # emerging topic: documents in the burst
    min_magnitude: float = Field(default=4.0, ge=0)           # burst: sum of (observed - expected)
    min_growth: float = Field(default=3.0, ge=1)              # burst: observed / expected
    min_significance: float = Field(default=8.0, ge=0)        # burst: -log10 P(Poisson(expected) >= observed)
    crisis_min_significance: float = Field(default=5.0, ge=0)  # the same for crisis packs and toxicity
    lookback_slices: int = Field(default=16, ge=1, le=672)    # longest burst interval considered
    crisis_min_docs: int = Field(default=3, ge=1)
    negative_min_docs: int = Field(default=5, ge=1)
    negative_share: float = Field(default=0.5, gt=0, le=1)    # negative share of the topic's documents
    toxicity_min_docs: int = Field(default=3, ge=1)
    escalation_factor: float = Field(default=2.0, gt=1)       # a new level each time the volume is ×2
    warmup_hours: float = Field(default=24, ge=0)             # no burst alert before this much history
    close_after_hours: float = Field(default=24, gt=0)        # an alert quiet this long is closed
    same_event_hours: float = Field(default=12, gt=0)         # a pack or topic back after a longer pause: new alert
    history_days: int = Field(default=7, ge=1, le=90)         # history of `alerts run` and of bursts


class Alerts(_Model):
    enabled: bool = True
    recipients: Emails = Field(default_factory=list)
    webhooks: list[AlertWebhook] = Field(default_factory=list)
    slice_minutes: int = Field(default=15, ge=1, le=1440)
    kinds: list[str] = Field(default_factory=lambda: list(ALERT_KINDS))
    crisis_packs: list[str] = Field(default_factory=lambda: ["all"])
    thresholds: AlertThresholds = Field(default_factory=AlertThresholds)
    saved_queries: list[SavedQuery] = Field(default_factory=list)

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, kinds: list[str]) -> list[str]:
        return _check_kinds(kinds)

    @model_validator(mode="after")
    def _unique_names(self) -> Alerts:
        for what, items in (("webhook", self.webhooks), ("saved query", self.saved_queries)):
            names = [i.name for i in items]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{what} names must be unique; repeated: {', '.join(dupes)}")
        return self


class Watch(_Model):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    timezone: str = "Europe/Paris"
    territory: Territory
    sources: list[Source] = Field(default_factory=list)
    own_accounts: list[str] = Field(default_factory=list)
    topics: list[TopicRule] = Field(default_factory=list)
    user_agent_contact: str | None = None  # URL or email put in the crawlers' User-Agent
    digest: Digest = Field(default_factory=Digest)
    privacy: Privacy = Field(default_factory=Privacy)
    alerts: Alerts = Field(default_factory=Alerts)
    nlp_profile: Literal["accurate", "fast"] | None = None  # None: the file's settings.nlp_profile

    @field_validator("timezone")
    @classmethod
    def _tz(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not an IANA timezone (e.g. 'Europe/Paris')") from None
        return name

    @model_validator(mode="after")
    def _unique_sources(self) -> Watch:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} is used twice in watch {self.id!r}")
            seen.add(source.id)
        return self


class FileSettings(_Model):
    """Settings a watch file may carry (a flag or an environment variable overrides them)."""

    index_prefix: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")
    data_dir: str | None = None  # relative to the watch file's folder
    nlp_profile: Literal["accurate", "fast"] | None = None  # NLP profile of watches that set none
    crawl_batch_size: int | None = Field(default=None, ge=1, le=1000)  # sources per crawl process
    index_shards: int | None = Field(default=None, ge=1, le=64)  # primary shards of a new monthly documents index

    @field_validator("index_shards", mode="before")
    @classmethod
    def _shards(cls, value: Any) -> int | None:
        from vigie.settings import check_index_shards

        return check_index_shards(value)


class WatchFile(_Model):
    settings: FileSettings = Field(default_factory=FileSettings)
    watches: list[Watch] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_watches(self) -> WatchFile:
        ids = [w.id for w in self.watches]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"watch ids must be unique; repeated: {', '.join(dupes)}")
        return self

    def watch(self, watch_id: str) -> Watch:
        for w in self.watches:
            if w.id == watch_id:
                return w
        known = ", ".join(w.id for w in self.watches)
        raise UnknownWatch(f"no watch {watch_id!r} in this file (known: {known})")


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Line (1-based) of the deepest YAML node reachable along ``loc``."""
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _secret_literals(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    found = []
    if isinstance(data, dict):
        if path and path[-1] == "credentials":  # values there are environment variable names
            return []
        for key, value in data.items():
            k = str(key).lower()
            if isinstance(value, (str, int)) and any(w in k for w in SECRET_WORDS) and not k.endswith("_env"):
                found.append(((*path, key), k))
            found += _secret_literals(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _secret_literals(value, (*path, i))
    return found


def url_credential(value: str) -> str | None:
    """What credential the URL ``value`` carries (a user part, a secret query parameter), or None.

    The answer never contains the secret itself."""
    if "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if "@" in parts.netloc:
        return "a user part (user:password@host)"
    for part in (parts.query, parts.fragment):
        for name, _value in parse_qsl(part, keep_blank_values=True):
            key = name.lower().replace("-", "_")
            if key in SECRET_PARAMS or key.endswith(SECRET_PARAM_ENDINGS) or any(w in key for w in SECRET_WORDS):
                return f"a secret query parameter ({name}=…)"
    return None


def _url_credentials(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """``(key path, what)`` of every string of the file that is a URL carrying a credential."""
    if isinstance(data, str):
        what = url_credential(data)
        return [(path, what)] if what else []
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _url_credentials(value, (*path, key))]
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in _url_credentials(value, (*path, i))]
    return []


def _describe(err: Any, loc: tuple[Any, ...], root: yaml.Node | None) -> str:
    line = _line_of(root, loc)
    where = _key_path(loc) + (f" (line {line})" if line else "")
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key; check its spelling against config/watch.example.yaml"
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif err["type"] == "string_pattern_mismatch" and loc[-1] in ("id", "name"):
        msg = f"got {err.get('input')!r}; expected lowercase letters, digits, '-' or '_'"
    elif err["type"] not in ("value_error", "assertion_error") and _short(err.get("input")):
        msg = f"{msg} (got {err['input']!r})"
    return f"{where}: {msg}"


def _short(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and len(str(value)) <= 80


def _option_problems(data: dict[str, Any], root: yaml.Node | None) -> list[str]:
    """Each source's ``options`` checked against its kind's model (kinds from the installed registry)."""
    problems = []
    watches = data.get("watches")
    for i, watch in enumerate(watches if isinstance(watches, list) else []):
        sources = watch.get("sources") if isinstance(watch, dict) else None
        for j, source in enumerate(sources if isinstance(sources, list) else []):
            kind = _kind_of(source.get("kind")) if isinstance(source, dict) else None
            options = source.get("options", {}) if kind is not None else None
            if not isinstance(options, dict):
                continue  # no registry, an unknown kind or options that are not a mapping: reported elsewhere
            try:
                kind.options.model_validate(options)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ("watches", i, "sources", j, "options", *err["loc"])
                    if err["type"] == "extra_forbidden":
                        problems.append(_unknown_option(loc, kind, root))
                    elif err["type"] == "missing":
                        line = _line_of(root, loc)
                        problems.append(f"{_key_path(loc)} (line {line}): required option of kind {kind.name!r} "
                                        "is missing")
                    else:
                        problems.append(_describe(err, loc, root))
    return problems


def _unknown_option(loc: tuple[Any, ...], kind: sourcekinds.SourceKind, root: yaml.Node | None) -> str:
    import difflib

    known = sorted(kind.options.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (f"{_key_path(loc)} (line {_line_of(root, loc)}): unknown option for kind {kind.name!r}; {hint}"
            f"its options are: {', '.join(known)} (docs/crawlers.md)")


def load_file_settings(path: str | Path) -> FileSettings:
    """Only the ``settings:`` section, without checking the watches (and so without loading the source
    kinds' option models): what ``Settings.resolve`` needs.  A file with any problem there is loaded in
    full, which reports it with its key path and line."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return FileSettings.model_validate(data.get("settings") or {})
    except Exception:  # the full load says what is wrong, and where
        return load_config(path).settings


def load_config(path: str | Path) -> WatchFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot be read: {exc}"]) from None
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(path, [f"{where}invalid YAML ({getattr(exc, 'problem', exc)})"]) from None
    if not isinstance(data, dict):
        raise ConfigError(path, ["expected a mapping with a 'watches' list at the top level"])

    problems = []
    for loc, key in _secret_literals(data):
        line = _line_of(root, loc)
        problems.append(
            f"{_key_path(loc)} (line {line}): secrets are never written in watch files; put the value "
            f"in an environment variable and name that variable under 'credentials' "
            f"(e.g. credentials: {{{key}: VIGIE_{key.upper()}}})"
        )
    for loc, what in _url_credentials(data):
        line = _line_of(root, loc)
        problems.append(
            f"{_key_path(loc)} (line {line}): credentials are never written in URLs (this one has {what}); "
            "remove it; put the secret in an environment variable and name that variable under the source's "
            "'credentials' (e.g. credentials: {api_key: VIGIE_API_KEY}), which the crawlers send in request "
            "headers, never in URLs (docs/crawlers.md)"
        )
    if problems:
        raise ConfigError(path, problems)
    try:
        watch_file = WatchFile.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err, tuple(err["loc"]), root) for err in exc.errors()]
        watch_file = None
    problems += _option_problems(data, root)
    if problems:
        raise ConfigError(path, problems)
    return watch_file
