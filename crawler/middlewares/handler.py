"""Scrapy's httpx download handler, restricted to Tor: a request without the Tor SOCKS proxy is refused.

This is the last line of the fail-closed design: even if a middleware is disabled or misordered, the
handler never uses its direct (proxy-less) client and never a proxy other than the configured one.
Scrapy marks its httpx handler experimental; this subclass is the path the Tor integration tests
(tests/tor/) and the demo exercise, so the per-crawler warning is not repeated here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler

from onionwatch.crawler.middlewares.egress import EgressRefused, tor_proxy_problem
from onionwatch.crawler.transport import TorEndpoint


class TorDownloadHandler(HttpxDownloadHandler):
    experimental: ClassVar[bool] = False

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
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
