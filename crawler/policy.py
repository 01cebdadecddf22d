"""Which transport a market may use: Tor always; a direct connection only for clearnet markets or
loopback testbed mirrors — never for an onion market."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from onionwatch.crawler.markets import MarketDefinition
from onionwatch.errors import CrawlRefused


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport(definition: MarketDefinition, transport: str) -> None:
    if transport not in ("tor", "direct"):
        raise CrawlRefused(f"transport {transport!r}: must be 'tor' or 'direct'")
    if transport == "direct" and definition.network == "onion":
        hosts = [urlsplit(u).hostname or "" for u in definition.mirrors]
        if not all(is_loopback(h) for h in hosts):
            raise CrawlRefused(
                f"{definition.name}: refusing a direct connection to an onion market "
                f"({', '.join(hosts)}); use --transport tor"
            )
