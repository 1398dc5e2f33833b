"""Politeness per host across all the sources of a crawl process.

Each source of a batch is its own Scrapy crawler with its own downloader slots (``batch.py``):
on its own, a crawler keeps its ``download_delay`` and ``concurrency`` between *its* requests
to a host, but two sources on the same host would hit it at the same time.  ``HOST_GATE`` is one
gate per process, shared by every crawler of the batch, that every request passes at the moment
it is sent (``PoliteHTTPDownloadHandler`` wraps Scrapy's HTTP handler, after the crawler's own
slot has applied its delay, so the gap measured by the server is the gap kept here):

- two requests to one host (name and port) start at least ``gap`` seconds apart, ``gap`` being
  the largest ``DOWNLOAD_DELAY`` of the sources currently using that host;
- at most ``limit`` requests to that host are in flight, ``limit`` being the smallest
  ``CONCURRENT_REQUESTS_PER_DOMAIN`` of those sources;
- requests wait in arrival order; each source's own AutoThrottle and Retry-After still act on
  its own slot, before the gate.

A request waiting at the gate belongs to its source: when that source closes (its time limit,
``max_pages``, a shutdown), its waiting requests are refused at once (``VigieIgnore``, reason
``cut_at_close``) so that they hold neither the source nor the host.

A crawl process of one source (``vigie crawl`` of a single source, a batch of one) has no one to share
its hosts with: ``batch.py`` gives it Scrapy's plain HTTP handler (``without_gate``).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

CLOSE_POLL = 0.25  # seconds between two looks at whether a source with waiting requests is closing
GATED = "vigie.crawlers.hostgate.PoliteHTTPDownloadHandler"
PLAIN = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


def without_gate(handlers: dict[str, Any]) -> dict[str, Any]:
    """``DOWNLOAD_HANDLERS`` with Scrapy's own HTTP handler in place of the gate's: for a crawl process of
    one source, whose downloader slots already keep its politeness per host (the gate would only count
    its requests, at the price of a wrapper around each download)."""
    return {scheme: PLAIN if handler == GATED else handler for scheme, handler in handlers.items()}


class _Host:
    __slots__ = ("active", "last_start", "timer", "users", "waiters")

    def __init__(self) -> None:
        self.users: dict[int, tuple[float, int]] = {}  # id(user) -> (delay, concurrency)
        self.active = 0
        self.last_start = float("-inf")
        self.waiters: deque[tuple[Deferred, GateUser]] = deque()
        self.timer: Any = None

    def gap(self) -> float:
        return max((delay for delay, _ in self.users.values()), default=0.0)

    def limit(self) -> int:
        return max(1, min((conc for _, conc in self.users.values()), default=1))


class HostGate:
    """The process-wide gate (see the module docstring); ``clock`` is for the gate's own tests."""

    def __init__(self, clock: Any = time.monotonic):
        self.clock = clock
        self.hosts: dict[str, _Host] = {}

    def enter(self, key: str, user: GateUser) -> Deferred | None:
        """None when the request may go now, else a Deferred fired when it may (or failed with
        ``VigieIgnore`` if its source closes first).  Each pass must be followed by ``leave``."""
        if user.closing():  # its source is closing: nothing more goes out for it
            from vigie.crawlers.spiders.base import VigieIgnore

            raise VigieIgnore("cut_at_close", "refused: its source is closing")
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = _Host()
        if id(user) not in host.users:
            host.users[id(user)] = (user.delay, user.concurrency)
            user.hosts.add(key)
        now = self.clock()
        alone = len(host.users) == 1  # one source on this host: its own downloader slot already keeps
        # its delay and concurrency (as in a process of one source), so the gate only counts it
        if not host.waiters and (alone or (host.active < host.limit() and now >= host.last_start + host.gap())):
            host.active += 1
            host.last_start = now
            return None
        waiter: Deferred = Deferred()
        host.waiters.append((waiter, user))
        user.waiting += 1
        user.watch_closing()
        self._pump(key, host)
        return waiter

    def leave(self, key: str) -> None:
        host = self.hosts[key]
        host.active -= 1
        self._pump(key, host)

    def abandon(self, key: str, waiter: Deferred) -> None:
        """A waiting request was cancelled: out of the queue, or, if its turn had come, ``leave``."""
        host = self.hosts[key]
        for entry in host.waiters:
            if entry[0] is waiter:
                host.waiters.remove(entry)
                entry[1].waiting -= 1
                return
        if getattr(waiter, "vigie_granted", False):
            self.leave(key)

    def forget(self, user: GateUser) -> None:
        """``user``'s source has closed: its waiting requests are refused, its delay no longer counts."""
        from vigie.crawlers.spiders.base import VigieIgnore

        for key in list(user.hosts):
            host = self.hosts[key]
            host.users.pop(id(user), None)
            kept: deque[tuple[Deferred, GateUser]] = deque()
            for waiter, owner in host.waiters:
                if owner is user:
                    user.waiting -= 1
                    if waiter.called:  # cancelled while it waited
                        continue
                    waiter.errback(VigieIgnore("cut_at_close", "refused: its source closed while it waited "
                                                               "for its host's turn"))
                else:
                    kept.append((waiter, owner))
            host.waiters = kept
            self._pump(key, host)
        user.hosts.clear()

    def _pump(self, key: str, host: _Host) -> None:
        from twisted.internet import reactor

        if host.timer is not None and host.timer.active():
            host.timer.cancel()
        host.timer = None
        while host.waiters and host.active < host.limit():
            wait = host.last_start + host.gap() - self.clock()
            if wait > 0:
                host.timer = reactor.callLater(wait, self._pump, key, host)
                return
            waiter, user = host.waiters.popleft()
            user.waiting -= 1
            if waiter.called:  # cancelled while it waited
                continue
            waiter.vigie_granted = True
            host.active += 1
            host.last_start = self.clock()
            waiter.callback(None)


HOST_GATE = HostGate()


class GateUser:
    """One source (crawler) at the gate."""

    def __init__(self, crawler: Any, gate: HostGate):
        self.crawler = crawler
        self.gate = gate
        self.delay = max(0.0, crawler.settings.getfloat("DOWNLOAD_DELAY"))
        self.concurrency = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1
        self.hosts: set[str] = set()
        self.waiting = 0
        self.poll: Any = None
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    def closing(self) -> bool:
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        return slot is not None and slot.closing is not None

    def watch_closing(self) -> None:
        """While requests of this source wait, look now and then whether the source is closing."""
        from twisted.internet import reactor

        if self.poll is None or not self.poll.active():
            self.poll = reactor.callLater(CLOSE_POLL, self._look)

    def _look(self) -> None:
        self.poll = None
        if self.waiting <= 0:
            return
        if self.closing():
            self.gate.forget(self)
        else:
            self.watch_closing()

    def closed(self, spider: Any = None, reason: str | None = None) -> None:
        if self.poll is not None and self.poll.active():
            self.poll.cancel()
        self.gate.forget(self)


class PoliteHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler behind the process's per-host gate."""

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self._gate_user = GateUser(crawler, HOST_GATE)

    def crawler_stats_cut(self) -> None:
        self._crawler.stats.inc_value("vigie/cut_at_close")

    async def download_request(self, request: Any) -> Any:
        parts = urlparse_cached(request)
        key = f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
        try:
            waiter = HOST_GATE.enter(key, self._gate_user)
        except IgnoreRequest:
            self.crawler_stats_cut()
            raise
        if waiter is not None:
            try:
                await maybe_deferred_to_future(waiter)
            except BaseException as exc:
                from vigie.crawlers.spiders.base import VigieIgnore

                if isinstance(exc, VigieIgnore):
                    self.crawler_stats_cut()
                else:  # cancelled while it waited: give its place (or its turn) back
                    HOST_GATE.abandon(key, waiter)
                raise
        try:
            return await super().download_request(request)
        finally:
            HOST_GATE.leave(key)
