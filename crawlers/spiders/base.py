"""The base spider every source kind shares.

How a spider for a new kind plugs in
====================================

1. Write the extraction as pure functions in ``crawlers/extract/<kind>.py``: payload or page
   in, plain dicts of Document fields out (``item_id``, ``text``, ``published_at`` with a
   timezone, and any of ``title``, ``url``, ``kind``, ``thread_id``, ``parent_id``,
   ``author``, ``engagement``, ``language``…).  Test them on saved payloads.
2. Write ``crawlers/spiders/<kind>.py`` with one subclass of :class:`VigieSpider`::

       class MastodonOptions(SourceOptions):   # every option the kind reads, typed, with its default
           hashtags: StrList = Field(default_factory=list)
           limit: int = Field(default=40, ge=1, le=40)

       class MastodonSpider(VigieSpider):
           kind = "mastodon"            # the source kind it serves (required, unique)
           Options = MastodonOptions    # checked by `vigie config check`; read as self.options.limit
           needs_url = True             # the watch file must give url or urls
           label_fr = "Mastodon"        # how the digest names the kind
           name = "vigie-mastodon"      # Scrapy's spider name
           platform = "mastodon"        # Document.platform (default: the kind)

           async def start(self):
               token = self.credential("access_token", required=False)
               for url in self.start_urls:
                   yield self.request(url, self.parse_timeline, conditional=True)

           def parse_timeline(self, response):
               payload = self.json(response)          # None (and counted) when invalid
               if payload is None:
                   return
               for fields in extract.statuses(payload):
                   yield self.document(**fields)      # source fields filled in
               ...
               self.state.set_cursor("since_id", newest)   # committed at the end of a complete run

   ``vigie.crawlers.spiders.spider_for(kind)`` finds it by module name, and ``vigie.crawlers.kinds``
   lists the kinds from the module names: nothing to register anywhere else.
3. Test it against the fixture server (``tests/crawlers/server.py``) with
   ``vigie.crawlers.run.crawl_source`` and assert on the JSONL output and the summary.

What the base gives a spider
============================

- ``self.source`` (``vigie.config.Source``), ``self.watch_id``, ``self.watch`` (may be None),
  ``self.config_dir`` (folder of the watch file, for relative paths), ``self.state``
  (``vigie.crawlers.state.SourceState``), ``self.options`` (the kind's ``Options`` model, validated:
  defaults live only there), ``self.credential(name)``
  (reads the environment variable the source names), ``self.start_urls``.
- ``self.request(url, callback, conditional=False, **kwargs)``: a Request whose errback counts
  the failure by reason; ``conditional=True`` sends If-None-Match/If-Modified-Since from the
  state and turns a 304 into "not modified" (nothing to parse).
- ``self.document(**fields)``: a ``vigie.schema.Document`` with ``platform``, ``source_id``,
  ``source_kind``, ``watch_ids`` and ``crawled_at`` filled in; the pipelines then canonicalise
  the URL, hash the content, drop exact duplicates and unchanged items, link
  near-duplicates, write the JSONL output and record the state.  Yielding a plain dict of
  the same fields works too.
- ``self.skip(reason, url, detail)`` / ``self.count(reason)``: bad input never stops a crawl;
  count it by reason (``vigie/errors/<reason>`` in the stats, shown in the summary) and move on.
- ``self.json(response)``, ``self.text(response)``: decoded bodies, with invalid JSON and lying
  charsets counted and handled.
- ``self.error_page(response, main_text)``: True (and counted) for an HTML error page served as 200.

Items are incremental for free: an item whose doc_id was already written with the same
text, title and engagement is dropped as "unchanged".  Spiders may also avoid fetching at
all with ``self.state.seen(doc_id)`` and cursors.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from vigie.config import Source, Watch
from vigie.crawlers.options import SourceOptions
from vigie.crawlers.state import SourceState
from vigie.schema import Document

logger = logging.getLogger(__name__)

STATS_PREFIX = "vigie"


class VigieIgnore(IgnoreRequest):
    """A request refused by one of our middlewares, already counted under ``reason``."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


class MissingCredential(RuntimeError):
    """A source needs an environment variable that is not set."""


def count_error(stats: Any, reason: str, n: int = 1) -> None:
    stats.inc_value(f"{STATS_PREFIX}/errors/{reason}", n)
    stats.inc_value(f"{STATS_PREFIX}/errors", n)


class VigieSpider(scrapy.Spider):
    """Base of every Vigie spider: one source of one watch, with its incremental state."""

    kind: ClassVar[str] = ""
    Options: ClassVar[type[SourceOptions]] = SourceOptions
    needs_url: ClassVar[bool] = False
    label_fr: ClassVar[str] = ""
    platform: ClassVar[str | None] = None
    versioned: ClassVar[bool] = False   # a changed page becomes a new version (web), not an update
    name = "vigie"

    def __init__(self, source: Source, watch_id: str, state: SourceState | None = None, *,
                 watch: Watch | None = None, config_dir: str | Path | None = None, **kwargs: Any):
        if self.kind and source.kind != self.kind:
            raise ValueError(f"{type(self).__name__} crawls {self.kind!r} sources, not {source.kind!r}")
        self.source = source
        self.options = self.Options.model_validate(source.options)  # checked already at load_config
        super().__init__(name=f"{self.name}:{source.id}", **kwargs)
        self.watch_id = watch_id
        self.watch = watch
        self.state = state if state is not None else SourceState()
        self.config_dir = Path(config_dir) if config_dir else Path.cwd()
        self.started_at = datetime.now(UTC)
        self.secret_values: set[str] = set()  # never sent to another origin (middlewares/credentials.py)

    # ------------------------------------------------------------ configuration
    @property
    def start_urls(self) -> list[str]:  # type: ignore[override]
        urls = ([self.source.url] if self.source.url else []) + list(self.source.urls)
        return list(dict.fromkeys(urls))

    def credential(self, name: str, required: bool = True) -> str | None:
        """The secret named ``credentials.<name>`` of the source, read from its environment variable."""
        env_name = self.source.credentials.get(name)
        value = os.environ.get(env_name) if env_name else None
        if required and not value:
            where = f"environment variable {env_name}" if env_name else f"'credentials: {{{name}: …}}'"
            raise MissingCredential(f"source {self.source.id!r} needs {where} to be set")
        if value:
            self.secret_values.add(value)
        return value

    @property
    def platform_name(self) -> str:
        return self.options.platform or self.platform or self.kind or self.source.kind

    # ---------------------------------------------------------------- requests
    async def start(self) -> AsyncIterator[Any]:
        """Default: fetch every start URL with ``self.parse``. Kinds override it."""
        for url in self.start_urls:
            yield self.request(url, self.parse)

    def request(self, url: str, callback: Callable[..., Any] | None = None, *, conditional: bool = False,
                meta: dict[str, Any] | None = None, **kwargs: Any) -> scrapy.Request:
        meta = dict(meta or {})
        if conditional:
            meta["vigie_conditional"] = True
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(url, callback=callback or self.parse, meta=meta, **kwargs)

    def parse(self, response: Response, **kwargs: Any) -> Any:  # pragma: no cover - kinds override it
        raise NotImplementedError(f"{type(self).__name__} must define parse() or its own callbacks")

    def on_error(self, failure: Any) -> None:
        """Errback of every request: count the failure by reason, log it with its URL, go on."""
        from scrapy.spidermiddlewares.httperror import HttpError

        exc = failure.value
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if isinstance(exc, VigieIgnore):
            return  # counted by the middleware that refused it
        if isinstance(exc, HttpError):
            reason = f"http_{exc.response.status}"
        elif isinstance(exc, IgnoreRequest):
            message = str(exc)
            if "redirection" in message:
                reason = "too_many_redirects"
            elif "robots.txt" in message:
                reason = "robots_txt"
            elif "offsite" in message.lower():
                reason = "offsite"
            else:
                reason = "ignored"
        else:
            reason = _failure_reason(exc)
        self.skip(reason, url, str(exc) or type(exc).__name__)

    # ------------------------------------------------------------- accounting
    def count(self, reason: str, n: int = 1) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            count_error(crawler.stats, reason, n)

    def skip(self, reason: str, url: str | None = None, detail: str = "") -> None:
        """Count and log something skipped; the crawl goes on."""
        self.count(reason)
        logger.warning("skipped (%s) %s%s", reason, url or "", f": {detail}" if detail else "", extra={"spider": self})

    def unusable(self, reason: str, message: str) -> None:
        """The source cannot be crawled at all (missing credential, bad options): the run's
        summary gets ``status: failed`` and ``error: message`` (never put a secret in it)."""
        self.count(reason)
        logger.error("source %s: %s", self.source.id, message, extra={"spider": self})
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.set_value(f"{STATS_PREFIX}/source_unusable", message)

    def stat(self, name: str, n: int = 1) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"{STATS_PREFIX}/{name}", n)

    # ------------------------------------------------------------------ bodies
    def text(self, response: Response) -> str:
        """The decoded body; a lying charset is detected and mojibake repaired (counted)."""
        from vigie.crawlers.extract._encoding import decode_body

        declared = None
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        if "charset=" in content_type:
            declared = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'")
        text, repaired = decode_body(response.body, declared)
        if repaired:
            self.stat("encoding_repaired")
            response.meta["vigie_flags"] = ["encoding_repaired"]
        return text

    def json(self, response: Response) -> Any:
        """Parsed JSON body, or None (counted as ``invalid_json``, or ``too_deeply_nested``) when it
        is not JSON or too deep to be read."""
        try:
            return json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            self.skip("invalid_json", response.url, str(exc)[:120])
            return None
        except RecursionError:
            self.skip("too_deeply_nested", response.url, "JSON nested too deeply to be read")
            return None

    def error_page(self, response: Response, html_text: str | None = None,
                   main_text: str | None = None) -> bool:
        """True (and counted) when a 200 response is an HTML error page."""
        from vigie.crawlers.extract._html import looks_like_error_page

        reason = looks_like_error_page(html_text if html_text is not None else self.text(response), main_text)
        if reason:
            self.skip(reason, response.url, "HTML error page served with status 200")
            return True
        return False

    # --------------------------------------------------------------- documents
    def document(self, **fields: Any) -> Document:
        """A Document of this source: ``platform``, ``source_id``, ``source_kind``, ``watch_ids``
        and ``crawled_at`` are filled in (explicit fields win)."""
        fields.setdefault("platform", self.platform_name)
        fields.setdefault("source_id", self.source.id)
        fields.setdefault("source_kind", self.source.kind)
        fields.setdefault("watch_ids", [self.watch_id])
        fields.setdefault("crawled_at", datetime.now(UTC))
        return Document.model_validate(fields)

    def emit_items(self, items: Any, url: str) -> Iterator[Document]:
        """The Documents of an ``extract._items.Items``; what it skipped is counted (errors), what it
        noted goes to the stats as ``<kind>/<reason>``."""
        for reason, detail in items.skipped:
            self.skip(reason, url, detail)
        for reason, _ in items.noted:
            self.stat(f"{self.kind}/{reason}")
        for fields in items.fields:
            yield self.document(**fields)

    def doc_id(self, item_id: str, platform: str | None = None) -> str:
        from vigie.schema import make_doc_id

        return make_doc_id(platform or self.platform_name, item_id)


def _failure_reason(exc: BaseException) -> str:
    from scrapy import exceptions as se
    from twisted.internet import error as te

    table = (
        ((se.DownloadTimeoutError, te.TimeoutError, te.TCPTimedOutError), "timeout"),
        ((se.DownloadCancelledError,), "too_large"),
        ((se.CannotResolveHostError, te.DNSLookupError), "dns"),
        ((se.DownloadConnectionRefusedError, te.ConnectionRefusedError), "connection_refused"),
        ((se.ResponseDataLossError,), "truncated_response"),
        ((te.ConnectionLost, te.ConnectionDone, te.ConnectError, se.DownloadFailedError), "connection"),
    )
    for types, reason in table:
        if isinstance(exc, types):
            return reason
    name = type(exc).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
