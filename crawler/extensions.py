"""Crawl extensions: the progress line on stderr, the market's caps, and a prompt end on Ctrl-C / SIGTERM."""

from __future__ import annotations

import logging
import signal
import sys
import time
import weakref
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import _schedule_coro

from onionwatch.crawler.outcome import Shortfall, ledger_for

logger = logging.getLogger(__name__)

_LINES: dict[str, str] = {}
_LAST_DRAW = 0.0


def _draw(force: bool = False) -> None:
    global _LAST_DRAW
    now = time.monotonic()
    if not force and now - _LAST_DRAW < 0.25:
        return
    _LAST_DRAW = now
    line = " | ".join(_LINES[k] for k in sorted(_LINES))
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K" + line[:200])
    elif force:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


class Progress:
    """Enabled by ONIONWATCH_PROGRESS; the spider argument `expect` (listings) turns counts into a bar."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.t0 = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("ONIONWATCH_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.update, signal=signals.response_received)
        crawler.signals.connect(ext.finish, signal=signals.spider_closed)
        return ext

    def _line(self) -> str:
        spider: Any = self.crawler.spider
        stats = self.crawler.stats
        assert stats is not None
        pages = stats.get_value("onionwatch/pages", 0)
        listings = stats.get_value("onionwatch/listings", 0)
        vendors = stats.get_value("onionwatch/vendors", 0)
        rate = pages / max(time.monotonic() - self.t0, 1e-6)
        expect = int(getattr(spider, "expect", 0) or 0)
        if expect:
            done = min(listings / expect, 1.0)
            bar = "#" * int(done * 20) + "-" * (20 - int(done * 20))
            head = f"{spider.market} [{bar}] {done:4.0%}"
        else:
            head = f"{spider.market}"
        return f"{head} {pages} pages {listings} listings {vendors} vendors {rate:.0f} p/s"

    def update(self, **_: Any) -> None:
        _LINES[self.crawler.spider.market] = self._line()  # type: ignore[union-attr]
        _draw()

    def finish(self, **_: Any) -> None:
        _LINES[self.crawler.spider.market] = self._line()  # type: ignore[union-attr]
        _draw(force=True)


def end_progress() -> None:
    """Finish the progress line (call once after all crawls)."""
    if _LINES and sys.stderr.isatty():
        sys.stderr.write("\n")
        sys.stderr.flush()
    _LINES.clear()


class CrawlLimits:
    """The market's caps (definition `limits:`): pages, response bytes and duration. A cap reached notes its
    Shortfall on the crawl's ledger and closes the spider gracefully (reason "cap_pages", "cap_bytes" or
    "cap_duration"): the crawl ends as partial with what it collected. Downloads in flight may finish (within
    their deadline), except at the time cap: they are cancelled after ONIONWATCH_SHUTDOWN_GRACE (5 s). Also
    sets DEPTH_LIMIT from `limits.depth` (a `-s DEPTH_LIMIT=N` on the command line wins)."""

    def __init__(self, crawler: Crawler, limits: Any, market: str) -> None:
        self.crawler = crawler
        self.limits = limits
        self.market = market
        self.pages = 0
        self.bytes = 0
        self.reached: Shortfall | None = None
        self.grace = crawler.settings.getfloat("ONIONWATCH_SHUTDOWN_GRACE", 5.0)
        self._timer: Any = None
        self._cancel: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLimits:
        from onionwatch.crawler.limits import Limits

        spider: Any = crawler.spider
        definition = getattr(spider, "definition", None)
        limits = definition.limits if definition is not None else Limits()
        crawler.settings.set("DEPTH_LIMIT", limits.depth, priority="spider")
        ext = cls(crawler, limits, str(getattr(spider, "market", None) or getattr(spider, "name", "?")))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.received, signal=signals.response_received)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, **_: Any) -> None:
        reactor = _reactor()
        self._timer = reactor.callLater(self.limits.max_duration, self._reach, Shortfall.CAP_DURATION, None)

    def received(self, response: Any, **_: Any) -> None:
        self.pages += 1
        self.bytes += len(response.body)
        if self.pages >= self.limits.max_pages:
            self._reach(Shortfall.CAP_PAGES, response.url)
        elif self.bytes >= self.limits.max_bytes:
            self._reach(Shortfall.CAP_BYTES, response.url)

    def _reach(self, kind: Shortfall, url: str | None) -> None:
        from onionwatch.crawler.limits import format_duration, format_size

        if self.reached is not None or self.crawler.engine is None:
            return
        self.reached = kind
        detail = {
            Shortfall.CAP_PAGES: f"page cap {self.limits.max_pages} reached (limits.max_pages)",
            Shortfall.CAP_BYTES: f"byte cap {format_size(self.limits.max_bytes)} reached (limits.max_bytes)",
            Shortfall.CAP_DURATION: f"time cap {format_duration(self.limits.max_duration)} reached "
                                    "(limits.max_duration)",
        }[kind]
        ledger_for(self.crawler, self.market).note(kind, detail, example=url)
        logger.warning("%s: %s: ending the crawl", self.market, detail)
        _schedule_coro(self.crawler.engine.close_spider_async(reason=kind.value))
        if kind is Shortfall.CAP_DURATION:  # time is up: downloads in flight get the shutdown grace, not the deadline
            self._cancel = _reactor().callLater(self.grace, self._cancel_downloads)

    def _cancel_downloads(self) -> None:
        from onionwatch.crawler.middlewares.handler import cancel_downloads

        self.crawler.signals.send_catch_log(cancel_downloads)

    def closed(self, **_: Any) -> None:
        for call in (self._timer, self._cancel):
            if call is not None and call.active():
                call.cancel()


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


_SHUTDOWNS: weakref.WeakSet[Shutdown] = weakref.WeakSet()
_CHAINED: dict[int, Any] = {}  # signal number -> the handler we wrapped (Scrapy's)


def _on_signal(signum: int, frame: Any) -> None:
    """Wraps Scrapy's shutdown handler: Scrapy starts its graceful stop, we start the clock on it."""
    reactor = _reactor()
    for ext in list(_SHUTDOWNS):
        reactor.callFromThread(ext.begin, signum)
    previous = _CHAINED.get(signum)
    if callable(previous):
        previous(signum, frame)


def _chain_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        current = signal.getsignal(signum)
        if current is not _on_signal:
            _CHAINED[signum] = current
            signal.signal(signum, _on_signal)


class Shutdown:
    """Ctrl-C / SIGTERM end a crawl within seconds, even with stuck downloads, leaving it resumable.

    Scrapy's first signal stops scheduling and closes the spider, but the close waits for every download in
    flight (up to the download deadline). On the first signal this extension marks the crawl's ledger
    `interrupted`; after ONIONWATCH_SHUTDOWN_GRACE seconds (5) it cancels every download still in flight
    (they fail with DownloadInterrupted); after ONIONWATCH_SHUTDOWN_FORCE seconds (8) it stops the reactor
    if the crawl has still not closed. A second signal is Scrapy's immediate stop, as before.
    """

    def __init__(self, crawler: Crawler, grace: float, force: float) -> None:
        self.crawler = crawler
        self.grace = grace
        self.force = max(force, grace)
        self.signum: int | None = None
        self.closed = False
        self._calls: list[Any] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Shutdown:
        if not crawler.settings.getbool("ONIONWATCH_SHUTDOWN_ENABLED", True):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("ONIONWATCH_SHUTDOWN_GRACE", 5.0),
                  crawler.settings.getfloat("ONIONWATCH_SHUTDOWN_FORCE", 8.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        reactor = _reactor()
        _SHUTDOWNS.add(self)
        # Scrapy installs its handlers when the reactor starts; ours must wrap them, so come after
        if reactor.running:
            _chain_signals()
        else:
            reactor.callWhenRunning(_chain_signals)

    def begin(self, signum: int) -> None:
        reactor = _reactor()
        if self.signum is not None or self.closed:
            return
        self.signum = signum
        spider: Any = self.crawler.spider
        market = getattr(spider, "market", None) or getattr(spider, "name", "?")
        ledger_for(self.crawler, market).interrupted = True
        logger.warning("%s: %s: stopping (in-flight downloads cancelled after %gs)", market,
                       signal.Signals(signum).name, self.grace)
        self._calls = [reactor.callLater(self.grace, self.cancel_downloads),
                       reactor.callLater(self.force, self.stop_reactor)]

    def cancel_downloads(self) -> None:
        from onionwatch.crawler.middlewares.handler import cancel_downloads

        if not self.closed:
            self.crawler.signals.send_catch_log(cancel_downloads)

    def stop_reactor(self) -> None:
        reactor = _reactor()
        if not self.closed and reactor.running:
            logger.error("%s: crawl did not close within %gs of the signal: stopping now",
                         getattr(self.crawler.spider, "market", "?"), self.force)
            reactor.stop()

    def spider_closed(self, **_: Any) -> None:
        self.closed = True
        for call in self._calls:
            if call.active():
                call.cancel()
        _SHUTDOWNS.discard(self)
