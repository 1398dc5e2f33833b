"""watch.yaml: one file, one or more watches, validated at load.

Errors name the file, the key path (and its line), what is wrong and what is
expected.  Secrets never live in the file: a source names the environment
variables (or Airflow connections) that hold them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SOURCE_KINDS = (
    "feed", "web", "discourse", "phpbb", "spip", "forum", "mastodon", "reddit", "bluesky",
    "telegram", "youtube", "facebook_page", "decidim", "import",
)
NEEDS_URL = {"feed", "web", "discourse", "phpbb", "spip", "forum", "mastodon", "decidim"}
SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey")


class ConfigError(Exception):
    """A watch file that cannot be used; ``problems`` lists each one."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}: {p}" for p in problems))


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
    kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    url: str | None = None
    urls: list[str] = Field(default_factory=list)
    enabled: bool = True
    allow_private_networks: bool = False
    credentials: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)

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
        if self.kind in NEEDS_URL and not (self.url or self.urls):
            raise ValueError(f"a source of kind {self.kind!r} needs 'url' (or 'urls')")
        return self


class TopicRule(_Model):
    """Adds a topic to the taxonomy, or extends/re-routes an existing one, for one watch."""

    id: str = Field(pattern=SLUG)
    label: str | None = None
    keywords: list[str] = Field(default_factory=list)
    service: str | None = None


class Digest(_Model):
    recipients: list[str] = Field(default_factory=list)
    time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class Privacy(_Model):
    pseudonymise_authors: bool = False
    retention_days: int | None = Field(default=None, ge=1)
    public_accounts: list[str] = Field(default_factory=list)


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


class WatchFile(_Model):
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
        raise KeyError(f"no watch {watch_id!r} in this file (known: {known})")


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
    if problems:
        raise ConfigError(path, problems)
    try:
        return WatchFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _line_of(root, loc)
            where = _key_path(loc) + (f" (line {line})" if line else "")
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key; check its spelling against config/watch.example.yaml"
            elif err["type"] == "missing":
                msg = "required key is missing"
            elif err["type"] == "string_pattern_mismatch":
                msg = f"got {err.get('input')!r}; expected lowercase letters, digits, '-' or '_'"
            elif err["type"] == "literal_error":
                msg = f"got {err.get('input')!r}; expected one of: {', '.join(SOURCE_KINDS)}"
            problems.append(f"{where}: {msg}")
        raise ConfigError(path, problems) from None
