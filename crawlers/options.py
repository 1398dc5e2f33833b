"""Typed source options: the base every kind's options model extends, and the field types they share.

Each kind declares its model next to its spider (``crawlers/spiders/<kind>.py``, ``Options``) with
every option it reads and its default; ``vigie config check`` reports an unknown or ill-typed option
with its key path and line, and spiders read ``self.options.<field>``.  The options below apply to
every kind: they become Scrapy settings (``crawlers/settings.py``, whose defaults apply when they
are not set) or the Document platform.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictInt


def _as_list(value: Any) -> Any:
    """One value where a list is expected is a list of one; numbers in it are read as text."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list):
        return [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
    return value


def _as_text(value: Any) -> Any:
    """An id written without quotes (``page_id: 104857600123456``) is read as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a regular expression ({exc})") from None
    return value


StrList = Annotated[list[str], BeforeValidator(_as_list)]
Text = Annotated[str, BeforeValidator(_as_text)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Regex = Annotated[str, AfterValidator(_regex)]
RegexList = Annotated[list[Regex], BeforeValidator(_as_list)]
UrlList = Annotated[list[HttpUrl], BeforeValidator(_as_list)]
Pages = Annotated[int, Field(ge=1)]  # a bound on pages, items or threads per run


class SourceOptions(BaseModel):
    """Options every kind accepts; a kind's model adds its own.

    The settings options are strict (a YAML boolean or number, not a string): ``crawlers/settings.py``
    casts the raw values, and ``obey_robots: "no"`` must not be read as true there and false here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    obey_robots: StrictBool | None = None                            # ROBOTSTXT_OBEY
    download_delay: StrictFloat | None = Field(default=None, ge=0)   # DOWNLOAD_DELAY (seconds)
    concurrency: StrictInt | None = Field(default=None, ge=1)        # CONCURRENT_REQUESTS_PER_DOMAIN
    max_pages: StrictInt | None = Field(default=None, ge=1)          # CLOSESPIDER_PAGECOUNT (responses per run)
    depth: StrictInt | None = Field(default=None, ge=0)              # DEPTH_LIMIT (web and feed)
    max_page_size: StrictInt | None = Field(default=None, ge=1)      # DOWNLOAD_MAXSIZE (bytes)
    timeout: StrictFloat | None = Field(default=None, gt=0)          # DOWNLOAD_TIMEOUT (seconds)
    max_redirects: StrictInt | None = Field(default=None, ge=0)      # REDIRECT_MAX_TIMES
    platform: str | None = Field(default=None, min_length=1)         # Document.platform (default: the kind's)
