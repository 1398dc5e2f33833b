"""What the API spiders (mastodon, reddit, bluesky, youtube, facebook_page, decidim) share.

- API endpoints are not web pages: robots.txt does not govern them (the platform's terms and
  rate limits do), so these spiders do not fetch it.
- ``payload(response)``: the JSON body, or None when it is invalid JSON or a platform error
  object (both counted by reason and logged with the URL).  4xx answers reach the callback so
  their error object gives the reason (``api_error:quotaExceeded``…); 5xx and 429 go through
  the core's retry (Retry-After honoured), then its errback.
- ``emit(extracted, url)``: yields the Documents of an ``Extracted`` and counts what it skipped.
- ``secret(name)``: a credential from the environment, or None after logging a clear error
  (``missing_credential``): a source without a required secret collects nothing, its run's
  summary says ``failed`` (``VigieSpider.unusable``), and other sources (other processes) go on.
  An optional secret that the source names but the environment lacks is logged and counted, and
  the crawl goes on with public data.  Secrets travel in headers, never in URLs, so they are
  never logged.
- ``rate_limited(response)``: True when the platform says no request is left in its window.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit, urlunsplit

from vigie.crawlers.extract._api import Extracted, Origin, error_reason
from vigie.crawlers.spiders.base import MissingCredential, VigieSpider

logger = logging.getLogger(__name__)

API_ERROR_STATUSES = [400, 401, 403, 404, 410, 422]
_REMAINING = ("X-RateLimit-Remaining", "X-Ratelimit-Remaining", "RateLimit-Remaining")


class ApiSpider(VigieSpider):
    """Base of the API spiders; see the module docstring."""

    name = "vigie-api"

    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": False}

    def origin(self) -> Origin:
        return Origin(self.source.id, self.source.kind, (self.watch_id,), datetime.now(UTC))

    def secret(self, name: str, required: bool = True) -> str | None:
        """The credential ``name``; None (logged, counted) when it is required or named but not set."""
        named = name in self.source.credentials
        try:
            return self.credential(name, required=required or named)
        except MissingCredential as exc:
            if required:  # the run's summary says failed, with this message
                self.unusable("missing_credential", f"{exc}; this source collects nothing until it is set")
            else:
                self.count("missing_credential")
                logger.error("%s; going on without it (public data only)", exc, extra={"spider": self})
            return None

    @staticmethod
    def base_url(url: str | None, derived: str = "") -> str:
        """An endpoint option without its trailing slash, or ``derived`` (from the source's url) when unset."""
        return (url or derived).rstrip("/")

    def api_request(self, url: str, callback: Any, *, params: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None, json_body: Any = None, form: dict[str, str] | None = None,
                    meta: dict[str, Any] | None = None, **kwargs: Any):
        """A GET (or a POST with ``json_body``/``form``) whose 4xx answers reach ``callback``."""
        if params:
            query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
            url = url + ("&" if "?" in url else "?") + query
        headers = {"Accept": "application/json", **(headers or {})}
        if json_body is not None:
            kwargs.update(method="POST", body=json.dumps(json_body))
            headers["Content-Type"] = "application/json"
        elif form is not None:
            kwargs.update(method="POST", body=urlencode(form))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        meta = {"handle_httpstatus_list": API_ERROR_STATUSES, **(meta or {})}
        return self.request(url, callback, meta=meta, headers=headers, dont_filter=True, **kwargs)

    def payload(self, response: Any) -> Any:
        """Parsed JSON, or None when it is invalid or an error object (counted and logged)."""
        if response.status >= 400:  # an error object, or an HTML page from a proxy or firewall
            try:
                data = json.loads(response.body)
            except (ValueError, UnicodeDecodeError):
                data = None
            problem = error_reason(data) or (f"http_{response.status}", "")
        else:
            data = self.json(response)
            if data is None:
                return None
            problem = error_reason(data)
        if problem is not None:
            reason, message = problem
            self.skip(reason, response.url, message[:200])
            return None
        return data

    def bearer_from(self, response: Any, token_of: Any, hint: str) -> bool:
        """Take the bearer token that ``token_of(payload)`` finds in a login answer; False (counted as
        ``auth_failed``, with ``hint``) when there is none."""
        payload = self.payload(response)
        if payload is None:
            return False
        token = token_of(payload)
        if token is None:
            self.skip("auth_failed", response.url, hint)
            return False
        self.auth = {"Authorization": f"Bearer {token}"}
        return True

    def emit(self, extracted: Extracted, url: str) -> Iterator[Any]:
        for reason, detail in extracted.skipped:
            self.skip(reason, url, detail)
        yield from extracted.documents

    def rate_limited(self, response: Any) -> bool:
        for name in _REMAINING:
            value = response.headers.get(name)
            if value is None:
                continue
            try:
                if float(value.decode("latin-1")) < 1:
                    self.skip("rate_limit_reached", response.url, "no request left in this window; next run goes on")
                    return True
            except ValueError:
                return False
        return False


def rebase(url: str, base: str) -> str:
    """``url`` with the scheme and host of ``base`` (paging URLs given by the API itself), without
    any ``access_token`` parameter."""
    parts, home = urlsplit(url), urlsplit(base)
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("access_token="))
    return urlunsplit((home.scheme, home.netloc, parts.path, query, ""))


def newest(values: list[Any], current: Any = None) -> Any:
    """The largest of ``values`` and ``current`` (numeric strings compared as numbers)."""
    def key(v: Any) -> tuple[int, Any]:
        text = str(v)
        return (len(text), text) if text.isdigit() else (0, text)

    known = [v for v in [*values, current] if v not in (None, "")]
    return max(known, key=key) if known else None
