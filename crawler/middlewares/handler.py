"""Download handlers of both transports, each with a whole-download deadline.

`TorDownloadHandler`: Scrapy's httpx handler, restricted to Tor: a request without the Tor SOCKS proxy is
refused. This is the last line of the fail-closed design: even if a middleware is disabled or misordered, the
handler never uses its direct (proxy-less) client and never a proxy other than the configured one.
Scrapy marks its httpx handler experimental; this subclass is the path the Tor integration tests
(tests/tor/) and the demo exercise, so the per-crawler warning is not repeated here.

`DirectDownloadHandler`: Scrapy's HTTP/1.1 handler (transport "direct": clearnet markets, loopback testbeds).

The deadline: httpx applies DOWNLOAD_TIMEOUT to each read, so a page trickling a byte every few seconds never
times out; HTTP/1.1 applies it to the whole download, but a timeout is retried (RETRY_TIMES), so the same page
holds a crawl four times over. Both handlers here cancel a download that has not completed (connect, headers
and whole body) within the deadline: `ONIONWATCH_DOWNLOAD_DEADLINE` (seconds, a Scrapy setting) or else the
market's `limits.download_deadline` (120 s). The page fails with `DownloadDeadlineExceeded`, which is not
retried (a page that trickled past the deadline once will again), and the crawl's ledger notes
`Shortfall.DEADLINE`. On direct, DOWNLOAD_TIMEOUT keeps Scrapy's whole-download meaning, so its deadline is
min(DOWNLOAD_TIMEOUT, deadline).

The shutdown extension (crawler/extensions.py) sends `cancel_downloads` when a Ctrl-C / SIGTERM's grace
period is over: every download still in flight then fails at once with `DownloadInterrupted`.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Request, Response

from onionwatch.crawler.limits import DEFAULT_DOWNLOAD_DEADLINE
from onionwatch.crawler.middlewares.egress import EgressRefused, tor_proxy_problem
from onionwatch.crawler.outcome import Shortfall, ledger_for
from onionwatch.crawler.transport import TorEndpoint

DEADLINE_RETRY_META = "onionwatch_deadline_retry"  # set by the politeness middleware when a cut page is retried
cancel_downloads = object()  # signal: fail every download in flight now (sent by the shutdown extension)


class DownloadDeadlineExceeded(DownloadCancelledError):
    """A download did not complete within its deadline; not in RETRY_EXCEPTIONS, so it is not retried."""


class DownloadInterrupted(DownloadCancelledError):
    """A download cancelled because the crawl is shutting down (Ctrl-C / SIGTERM)."""


def download_deadline(crawler: Any) -> float:
    """Seconds: ONIONWATCH_DOWNLOAD_DEADLINE if set, else the market's limits.download_deadline, else 120."""
    setting = crawler.settings.getfloat("ONIONWATCH_DOWNLOAD_DEADLINE", 0.0)
    if setting > 0:
        return setting
    definition = getattr(crawler.spider, "definition", None)
    limits = getattr(definition, "limits", None)
    return float(limits.download_deadline) if limits is not None else DEFAULT_DOWNLOAD_DEADLINE


class _Deadline:
    """Mixin over a Scrapy download handler: every download runs as a task cancelled at its deadline."""

    crawler: Any
    _deadline: float | None = None

    def _watch(self, crawler: Any) -> None:
        self.crawler = crawler
        self._inflight: dict[asyncio.Task[Response], str] = {}  # task -> "" or why it was cancelled
        crawler.signals.connect(self._cancel_all, signal=cancel_downloads)

    def _deadline_for(self, request: Request) -> float:
        if self._deadline is None:  # the spider (and its definition) exists by the first download
            self._deadline = download_deadline(self.crawler)
        return self._deadline

    async def download_request(self, request: Request) -> Response:
        deadline = self._deadline_for(request)
        loop = asyncio.get_running_loop()
        task = loop.create_task(super().download_request(request))  # type: ignore[misc]
        self._inflight[task] = ""
        timer = loop.call_later(deadline, self._cancel, task, "deadline")
        try:
            return await task
        except asyncio.CancelledError:
            why = self._inflight.get(task)
            if why == "deadline":
                if not request.meta.get(DEADLINE_RETRY_META):  # else politeness retries it (timeout_retries)
                    self._note_deadline(request, deadline)
                raise DownloadDeadlineExceeded(
                    f"{request.url}: not downloaded within the {deadline:g}s deadline (cancelled; "
                    "limits.download_deadline / ONIONWATCH_DOWNLOAD_DEADLINE)") from None
            if why == "interrupt":
                raise DownloadInterrupted(f"{request.url}: download cancelled (crawl shutting down)") from None
            raise
        finally:
            timer.cancel()
            self._inflight.pop(task, None)

    def _cancel(self, task: asyncio.Task[Response], why: str) -> None:
        if not task.done() and not self._inflight.get(task):
            self._inflight[task] = why
            task.cancel()

    def _cancel_all(self) -> int:
        tasks = [t for t in self._inflight if not t.done()]
        for task in tasks:
            self._cancel(task, "interrupt")
        return len(tasks)

    def _note_deadline(self, request: Request, deadline: float) -> None:
        market = request.meta.get("market") or getattr(self.crawler.spider, "market", None) or "?"
        ledger_for(self.crawler, market).note(
            Shortfall.DEADLINE, f"downloads cut at the {deadline:g}s whole-download deadline", example=request.url)


class TorDownloadHandler(_Deadline, HttpxDownloadHandler):
    experimental: ClassVar[bool] = False

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._watch(crawler)
        self._tor = TorEndpoint.from_settings(crawler.settings)
        self._stats = crawler.stats

    def _get_client(self, proxy_url: str | None) -> Any:
        problem = tor_proxy_problem(proxy_url, self._tor)
        if problem is not None:
            if self._stats is not None:
                self._stats.inc_value("onionwatch/egress_refused")
                self._stats.inc_value("onionwatch/egress_refused/handler")
            raise EgressRefused(f"Tor handler: {problem}")
        return super()._get_client(proxy_url)


class DirectDownloadHandler(_Deadline, HTTP11DownloadHandler):
    """HTTP/1.1 with the deadline: min(DOWNLOAD_TIMEOUT, deadline), cut here (typed, counted, not retried)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._watch(crawler)
        self._timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180)

    def _deadline_for(self, request: Request) -> float:
        deadline = min(super()._deadline_for(request), request.meta.get("download_timeout") or self._timeout)
        # HTTP/1.1's own whole-download timer (a retried DownloadTimeoutError) stays a backstop behind ours
        request.meta["download_timeout"] = deadline + 5
        return deadline
