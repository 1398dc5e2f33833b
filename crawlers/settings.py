"""Scrapy settings of Vigie's crawlers: polite and safe by default.

The module-level constants are the project defaults.  ``source_settings`` adds what
one source changes (its ``options``) and the caller's overrides (tests, benchmark),
so that every crawl is configured from three layers, in this order of priority:
overrides > source options > these defaults.

Source options read here (all optional, see docs/crawlers.md):

``obey_robots`` (bool, default true), ``download_delay`` (seconds, default 1),
``concurrency`` (requests per domain, default 2), ``max_pages`` (download attempts per run, failed ones included,
default 500), ``depth`` (link depth, default 3; only ``web`` and ``feed`` follow links, the
other kinds page with their own options and have no depth limit unless this is set), ``max_page_size`` (bytes,
default 10 MB), ``timeout`` (seconds, default 30), ``max_redirects`` (default 5).
"""

from __future__ import annotations

from typing import Any

BOT_NAME = "vigie"
# When a watch sets no user_agent_contact, the User-Agent says what the crawler is without
# inventing an address; operators should set one (see docs/crawlers.md).
DEFAULT_CONTACT = "social listening for a French local authority; contact not configured"

# Only http(s) is ever fetched: a hostile feed linking to file:///etc/… or ftp://10.0.0.1/ gets nothing,
# even on a source that allows private networks (the SSRF guard is off there).
# http(s) goes through the process's per-host gate: politeness per host across the sources of a batch.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None,
                     "http": "vigie.crawlers.hostgate.PoliteHTTPDownloadHandler",
                     "https": "vigie.crawlers.hostgate.PoliteHTTPDownloadHandler"}

SPIDER_MODULES = ["vigie.crawlers.spiders"]
NEWSPIDER_MODULE = "vigie.crawlers.spiders"

# Politeness
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5",
    "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5",
}

# Safety limits
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 5
DEPTH_LIMIT = 3
CLOSESPIDER_PAGECOUNT = 500
URLLENGTH_LIMIT = 2083
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_AFTER_MAX = 600            # a Retry-After longer than this gives up on the request
RETRY_AFTER_DEFAULT = 30         # 429/503 without Retry-After: wait this long before retrying
VIGIE_ALLOW_PRIVATE_NETWORKS = False
VIGIE_PRIVATE_NETWORK_EXCEPTIONS: list[str] = []   # "host:port" reachable anyway (tests only)
VIGIE_ALLOWED_CONTENT_TYPES = [
    "text/html", "application/xhtml+xml", "text/xml", "application/xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "application/feed+json", "application/json",
    "text/json", "application/ld+json", "text/plain", "text/csv", "application/x-gzip",
    "application/gzip", "application/octet-stream",
]

# Runtime
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 0
STATS_DUMP = False
FEED_EXPORT_ENCODING = "utf-8"
VIGIE_STATE_CHECKPOINT_ITEMS = 1000   # state snapshot every N written items… (the output is the log:
VIGIE_STATE_CHECKPOINT_SECONDS = 60   # …or every N seconds; snapshots only shorten a replay)
CONCURRENT_ITEMS = 8                  # our pipelines are synchronous: Scrapy's 100 only adds asyncio tasks
VIGIE_NEAR_DUPLICATE_THRESHOLD = 0.8  # Jaccard similarity (MinHash LSH) to link near-duplicates
VIGIE_NEAR_DUPLICATE_MIN_WORDS = 40   # shorter texts are never linked as near-duplicates
VIGIE_EXACT_DUPLICATE_MIN_CHARS = 80  # shorter texts ("Merci !") are never dropped as copies

DOWNLOADER_MIDDLEWARES = {
    "vigie.crawlers.middlewares.ssrf.SSRFGuardMiddleware": 90,            # before robots.txt (100)
    "vigie.crawlers.middlewares.credentials.CredentialOriginMiddleware": 95,  # secrets stay on their origin
    "vigie.crawlers.middlewares.conditional.ConditionalGetMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "vigie.crawlers.middlewares.retryafter.RetryAfterMiddleware": 550,
    "vigie.crawlers.middlewares.contenttype.ContentTypeMiddleware": 595,  # after decompression (590)
    "vigie.crawlers.middlewares.redirectloop.RedirectLoopMiddleware": 605,  # sees 3xx before redirects (600)
    "vigie.crawlers.middlewares.budget.AttemptBudgetMiddleware": 960,  # next to the downloader: every attempt
}
SPIDER_MIDDLEWARES = {
    "vigie.crawlers.middlewares.callbackerrors.CallbackErrorMiddleware": 950,  # next to the spider
}
ITEM_PIPELINES = {
    "vigie.crawlers.pipelines.normalize.NormalizePipeline": 100,
    "vigie.crawlers.pipelines.privacy.PrivacyPipeline": 150,
    "vigie.crawlers.pipelines.dedup.ExactDuplicatePipeline": 200,
    "vigie.crawlers.pipelines.neardup.NearDuplicatePipeline": 300,
    "vigie.crawlers.pipelines.jsonl.JsonLinesWriterPipeline": 800,
    "vigie.crawlers.pipelines.state.StateUpdatePipeline": 900,
}


def vigie_version() -> str:
    from vigie import __version__

    return __version__


def user_agent(contact: str | None = None) -> str:
    """``Vigie/<version> (+<contact>)``: who we are and how to reach the operator."""
    return f"Vigie/{vigie_version()} (+{contact})" if contact else f"Vigie/{vigie_version()} ({DEFAULT_CONTACT})"


def defaults() -> dict[str, Any]:
    """The constants of this module as a settings dict."""
    return {k: v for k, v in globals().items() if k.isupper()}


_OPTION_SETTINGS = {
    "obey_robots": ("ROBOTSTXT_OBEY", bool),
    "download_delay": ("DOWNLOAD_DELAY", float),
    "concurrency": ("CONCURRENT_REQUESTS_PER_DOMAIN", int),
    "max_pages": ("CLOSESPIDER_PAGECOUNT", int),
    "depth": ("DEPTH_LIMIT", int),
    "max_page_size": ("DOWNLOAD_MAXSIZE", int),
    "timeout": ("DOWNLOAD_TIMEOUT", float),
    "max_redirects": ("REDIRECT_MAX_TIMES", int),
}
SETTINGS_OPTIONS = frozenset(_OPTION_SETTINGS)
LINK_FOLLOWING_KINDS = frozenset({"web", "feed"})  # the kinds DEPTH_LIMIT applies to


def source_settings(source: Any, contact: str | None = None,
                    overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings of one crawl: defaults, then the source's options, then ``overrides``."""
    settings = defaults()
    settings["USER_AGENT"] = user_agent(contact)
    settings["VIGIE_ALLOW_PRIVATE_NETWORKS"] = bool(getattr(source, "allow_private_networks", False))
    options = getattr(source, "options", {}) or {}
    if getattr(source, "kind", "web") not in LINK_FOLLOWING_KINDS:
        settings["DEPTH_LIMIT"] = 0  # forums and APIs page with their own max_* options, not link depth
    for key, (name, cast) in _OPTION_SETTINGS.items():
        if options.get(key) is not None:
            settings[name] = cast(options[key])
    if settings["DOWNLOAD_DELAY"] == 0:
        settings["AUTOTHROTTLE_START_DELAY"] = 0.0
    for name, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(settings.get(name), dict):
            settings[name] = {**settings[name], **value}
        else:
            settings[name] = value
    return settings
