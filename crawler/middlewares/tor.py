"""Route every request to Tor's SOCKS port (socks5h) with one isolated circuit per market.

Tor isolates circuits by SOCKS username/password (IsolateSOCKSAuth, on by default): each market gets
the username ``onionwatch-<market>`` and a password ``<nonce>-<generation>``; the block middleware bumps
the generation after a block, which moves that market to a fresh circuit at once (NEWNYM is rate-limited).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from onionwatch.crawler.transport import TorEndpoint

USER_PREFIX = "onionwatch-"


def isolation_user(market: str) -> str:
    return f"{USER_PREFIX}{market}"


@dataclass
class Isolation:
    """Per-crawl SOCKS credentials: a random nonce (fresh circuits per crawl) and a generation per market."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    generations: dict[str, int] = field(default_factory=dict)

    def credentials(self, market: str) -> tuple[str, str]:
        return isolation_user(market), f"{self.nonce}-{self.generations.get(market, 0)}"

    def rotate(self, market: str) -> int:
        self.generations[market] = self.generations.get(market, 0) + 1
        return self.generations[market]


def isolation(crawler: Any) -> Isolation:
    """The crawler's shared Isolation (created on first use)."""
    iso = getattr(crawler, "_onionwatch_isolation", None)
    if iso is None:
        iso = Isolation()
        crawler._onionwatch_isolation = iso
    return iso


def proxy_url(tor: TorEndpoint, user: str, password: str) -> str:
    return f"socks5h://{user}:{password}@{tor.socks_host}:{tor.socks_port}"


class TorProxyMiddleware:
    """Sets meta["proxy"] to the market's isolated Tor SOCKS identity on every request."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.tor = TorEndpoint.from_settings(crawler.settings)
        self.isolation = isolation(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> TorProxyMiddleware:
        if crawler.settings.get("ONIONWATCH_TRANSPORT", "tor") != "tor":
            raise NotConfigured("transport is not tor")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        definition = getattr(self.crawler.spider, "definition", None)
        market = definition.name if definition is not None else str(request.meta.get("market", "unknown"))
        user, password = self.isolation.credentials(market)
        request.meta["proxy"] = proxy_url(self.tor, user, password)
        request.meta["tor_isolation"] = user
        request.headers.pop(b"Proxy-Authorization", None)  # HttpProxyMiddleware re-derives it from the URL
