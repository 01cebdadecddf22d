"""Mirror failover: every request to a market goes to its current healthy mirror; a mirror that fails
(connection refused at once; timeouts, cut connections and 502/503/504/52x `mirror_failures` times in a row) is left for
the next one, and the request that failed is sent there again; an answer brings a mirror back. With every
mirror down, requests try them in turn; after `mirrors_dead_after` without an answer (or when the crawl ends
so) the crawl fails with one line naming each mirror and its last error; its queued and failed pages stay in
the frontier (the same command resumes it).

A page's frontier key is its path + query (crawler/spiders/market.py), so any mirror serves it: this
middleware only rewrites the scheme and host of requests already addressed to one of the market's mirrors.
All mirrors of a market share one download slot (``download_slot`` = market), so the market's concurrency
and delay hold across a switch. Runs before TorProxyMiddleware and EgressGuardMiddleware, which see the
rewritten URL (the egress rules apply to every mirror as to the first).

Health per mirror (requests, failures, p50 latency, up/down, last error) is kept for the crawl and written to
the store when it closes (`Store.record_mirror_health`, source "crawl"). Stats: onionwatch/mirror/switches,
onionwatch/mirror/failures, onionwatch/mirror/retries.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import signals
from scrapy.exceptions import DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import _schedule_coro

from onionwatch.crawler.middlewares.handler import DownloadInterrupted
from onionwatch.crawler.mirror_health import MirrorPool

logger = logging.getLogger(__name__)

REFUSED = (DownloadConnectionRefusedError, ConnectionRefusedError)
MIRROR_DOWN = (502, 503, 504)  # gateway errors: the mirror's backend is gone (a 500 is one page's error)
MIRROR_META = "onionwatch_mirror"  # the mirror a request was sent to
RETRIES_META = "onionwatch_mirror_retries"


class MirrorMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.pool: MirrorPool | None = None
        self.failed = False
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorMiddleware:
        return cls(crawler)

    def _pool(self) -> MirrorPool | None:
        if self.pool is None:
            definition = getattr(self.crawler.spider, "definition", None)
            if definition is None:
                return None
            self.pool = MirrorPool(definition.name, list(definition.mirrors),
                                   definition.politeness.mirror_failures, definition.politeness.mirrors_dead_after)
        return self.pool

    def process_request(self, request: Request) -> Request | None:
        pool = self._pool()
        if pool is None or request.meta.get("market") != pool.market:
            return None
        parts = urlsplit(request.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in pool.origins:
            return None  # off the market's mirrors: the spider and the egress guard deal with it
        request.meta["download_slot"] = pool.market
        if self.failed:
            raise IgnoreRequest(f"{pool.market}: {request.url}: {pool.all_down_line()}")
        current = pool.current()
        if current != origin:
            new = urlsplit(current)
            url = urlunsplit((new.scheme, new.netloc, parts.path, parts.query, parts.fragment))
            return request.replace(url=url, dont_filter=True, meta={**request.meta, MIRROR_META: current})
        request.meta[MIRROR_META] = current
        request.meta["onionwatch_sent"] = time.monotonic()
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        pool, mirror = self.pool, request.meta.get(MIRROR_META)
        if pool is None or mirror is None:
            return response
        if response.status == 503 and b"Retry-After" in response.headers:
            return response  # alive, asking to slow down: the politeness middleware's
        if response.status in MIRROR_DOWN or 520 <= response.status < 530:
            return self._failed(request, mirror, f"HTTP {response.status}", refused=False) or response
        sent = float(request.meta.get("onionwatch_sent", time.monotonic()))
        latency = float(request.meta.get("download_latency") or time.monotonic() - sent)
        pool.success(mirror, latency * 1000, sent_at=sent)
        return response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        pool, mirror = self.pool, request.meta.get(MIRROR_META)
        if pool is None or mirror is None or isinstance(exception, (IgnoreRequest, DownloadInterrupted)):
            return None  # refused by a guard, or cancelled by a shutdown: says nothing about the mirror
        reason = f"{type(exception).__name__}: {exception}".splitlines()[0][:200]
        return self._failed(request, mirror, reason, refused=isinstance(exception, REFUSED))

    def _failed(self, request: Request, mirror: str, reason: str, refused: bool) -> Request | None:
        """Count the failure; when it moved the market to another mirror, send the request there."""
        assert self.pool is not None
        self._inc("failures")
        if self.pool.failure(mirror, reason, refused=refused):
            self._inc("switches")
            nxt = "none up, trying them in turn" if self.pool.all_down() else self.pool.current()
            logger.warning("%s: mirror %s is down (%s); switching to %s", self.pool.market, mirror, reason, nxt)
        if self.pool.dead():
            self._all_down()
            return None
        if self.pool.current() == mirror:
            return None  # the same mirror: the usual retry rules (RetryMiddleware, block, politeness) apply
        tries = int(request.meta.get(RETRIES_META, 0))
        if tries >= 2 * len(self.pool.mirrors):
            return None
        self._inc("retries")
        return request.replace(dont_filter=True, meta={**request.meta, RETRIES_META: tries + 1})

    def _all_down(self, close: bool = True) -> None:
        if self.failed:
            return
        self.failed = True
        assert self.pool is not None
        from onionwatch.crawler.outcome import ledger_for

        line = f"{self.pool.market}: {self.pool.all_down_line()}; the same command resumes the crawl"
        ledger_for(self.crawler, self.pool.market).fail(line)
        logger.error("%s", line)
        if close and self.crawler.engine is not None:
            _schedule_coro(self.crawler.engine.close_spider_async(reason="mirrors_down"))

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/mirror/{key}")

    def spider_closed(self, spider: Any) -> None:
        if self.pool is None:
            return
        from onionwatch.crawler.outcome import ledger_for

        interrupted = ledger_for(self.crawler, self.pool.market).interrupted
        if self.pool.all_down() and not self.failed and not interrupted:  # pages ran out before it was dead
            self._all_down(close=False)
        if not self.crawler.settings.getbool("ONIONWATCH_INDEX", True):
            return
        from onionwatch.errors import StoreError
        from onionwatch.indexer.store import open_store

        try:
            store = open_store(self.crawler.settings.get("ONIONWATCH_STORE") or None)
            try:
                store.record_mirror_health(self.pool.samples("crawl"))
            finally:
                store.close()
        except StoreError as exc:  # the crawl's pages are safe; only this health record is lost
            logger.error("%s: mirror health not recorded: %s", self.pool.market, exc)
