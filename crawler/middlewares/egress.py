"""Fail-closed egress: a market's requests go only to its listed mirrors, and over Tor only via SOCKS.

Any other host, port or scheme is refused (IgnoreRequest) and counted in the crawl stats as
``onionwatch/egress_refused`` (plus ``onionwatch/egress_refused/<host:port>``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from onionwatch.crawler.transport import TorEndpoint
from onionwatch.netguard import url_endpoint

logger = logging.getLogger(__name__)


class EgressRefused(IgnoreRequest):
    """Raised by the egress guard or the Tor handler: this request must not leave the machine."""


def allowed_endpoints(mirrors: list[str]) -> set[tuple[str, int]]:
    return {ep for ep in (url_endpoint(m) for m in mirrors) if ep is not None}


def tor_proxy_problem(proxy: str | None, tor: TorEndpoint) -> str | None:
    """None when `proxy` is the configured Tor SOCKS port with remote DNS (socks5h), else why not."""
    if not proxy:
        return f"not routed through Tor (no proxy; expected socks5h://{tor.socks})"
    try:
        parts = urlsplit(proxy)
        host, port = parts.hostname, parts.port
    except ValueError:
        return f"malformed proxy URL {proxy!r}"
    if parts.scheme != "socks5h":
        return f"proxy scheme {parts.scheme!r} is not socks5h (Tor must resolve the hostname)"
    if (host, port) != (tor.socks_host, tor.socks_port):
        return f"proxy {host}:{port} is not the configured Tor SOCKS port {tor.socks}"
    return None


def refusal(
    url: str, allowed: set[tuple[str, int]], transport: str, proxy: str | None, tor: TorEndpoint, market: str
) -> str | None:
    """Why this request must not be sent (one sentence), or None when it may go."""
    ep = url_endpoint(url)
    if ep is None:
        return f"{market}: {url[:200]!r}: only http(s) URLs with a host are allowed"
    if not allowed:
        return f"{market}: no mirrors known for this spider; refusing every request"
    if ep not in allowed:
        return f"{market}: {ep[0]}:{ep[1]} is not a listed mirror"
    if transport == "tor":
        problem = tor_proxy_problem(proxy, tor)
        if problem:
            return f"{market}: {ep[0]}:{ep[1]}: {problem}"
    elif ep[0].endswith(".onion"):
        return f"{market}: {ep[0]}: an onion host needs transport 'tor'"
    return None


class EgressGuardMiddleware:
    """The last downloader middleware before the handler: refuse anything off the market's mirror list."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.transport = crawler.settings.get("ONIONWATCH_TRANSPORT", "tor")
        self.tor = TorEndpoint.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> EgressGuardMiddleware:
        return cls(crawler)

    def _allowed(self, request: Request) -> tuple[str, set[tuple[str, int]]]:
        definition = getattr(self.crawler.spider, "definition", None)
        if definition is None:
            return str(request.meta.get("market") or "?"), set()
        market = request.meta.get("market", definition.name)
        if market != definition.name:
            return str(market), set()  # a request tagged for another market: refuse
        return definition.name, allowed_endpoints(definition.mirrors)

    def process_request(self, request: Request) -> None:
        market, allowed = self._allowed(request)
        reason = refusal(request.url, allowed, self.transport, request.meta.get("proxy"), self.tor, market)
        if reason is None:
            return
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("onionwatch/egress_refused")
            ep = url_endpoint(request.url)
            stats.inc_value(f"onionwatch/egress_refused/{ep[0]}:{ep[1]}" if ep else "onionwatch/egress_refused/bad-url")
        logger.warning("egress refused: %s", reason)
        raise EgressRefused(reason)
