"""Which transport a market may use, and which destinations the process egress guard grants a crawl.

One meaning, documented in the README ("Operational security"): a definition's ``network`` says where the
market lives (``onion``: .onion mirrors; ``clearnet``: public DNS names); ``--transport`` says how onionwatch
reaches it. ``tor`` (the default) works for every market: a clearnet market is crawled through Tor too, so its
operator sees a Tor exit, not you. ``direct`` connects from this machine and is allowed only for markets
marked ``network: clearnet`` and for loopback testbed mirrors given with ``--mirror``; a definition cannot
choose it (a shared file must not lower anyone's anonymity).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from onionwatch.crawler.markets import MarketDefinition
from onionwatch.errors import CrawlRefused
from onionwatch.netguard import is_loopback, url_endpoint

TRANSPORTS = ("tor", "direct")

__all__ = ["TRANSPORTS", "CrawlRefused", "check_transport", "direct_endpoints", "is_loopback"]


def check_transport(definition: MarketDefinition, transport: str) -> None:
    """Refuse (CrawlRefused) a transport this market may not use, before any request."""
    if transport not in TRANSPORTS:
        raise CrawlRefused(f"transport {transport!r}: must be 'tor' or 'direct'")
    if transport != "direct" or definition.network == "clearnet":
        return
    hosts = [urlsplit(u).hostname or "" for u in definition.mirrors]
    if not all(is_loopback(h) for h in hosts):
        raise CrawlRefused(
            f"{definition.name}: refusing a direct connection to an onion market "
            f"({', '.join(hosts)}); use --transport tor"
        )


def direct_endpoints(definitions: Iterable[MarketDefinition], transport: str) -> set[tuple[str, int]]:
    """host:port the egress guard must grant: the mirrors of clearnet markets crawled directly, nothing else
    (loopback is always allowed; over Tor the only destination is the SOCKS port)."""
    if transport != "direct":
        return set()
    return {ep for d in definitions if d.network == "clearnet"
            for ep in (url_endpoint(m) for m in d.mirrors) if ep is not None}
