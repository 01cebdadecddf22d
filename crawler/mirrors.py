"""Mirror health probe: one GET per mirror of a market, through Tor (requests over socks5h), timed.

A one-off fetch outside Scrapy, so `requests` with its defaults tightened: Tor resolves the host name
(``socks5h://``: no local DNS lookup of an onion or clearnet name), no proxy or credentials from the
environment or ~/.netrc (``trust_env=False``), no redirect followed (a 3xx is an answer; its Location is
reported, never fetched), a connect/read timeout, and at most :data:`MAX_BODY` bytes of the body read.
Each probe uses its own SOCKS credentials, so Tor builds it a circuit of its own (IsolateSOCKSAuth),
apart from the crawls'. The transport rule is the crawl's (:func:`crawler.policy.check_transport`): Tor
always; ``direct`` only for clearnet markets and loopback testbed mirrors.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

from onionwatch.crawler.markets import MarketDefinition
from onionwatch.crawler.policy import check_transport
from onionwatch.crawler.settings import USER_AGENT
from onionwatch.crawler.transport import TorEndpoint, tor_status
from onionwatch.errors import TorUnavailable

MAX_BODY = 64 * 1024  # bytes of a mirror's answer read before the connection is dropped
DEFAULT_TIMEOUT = 30.0  # seconds to connect (an onion rendezvous takes a while) and again to read


@dataclass
class MirrorStatus:
    mirror: str
    up: bool  # answered with an HTTP status below 500
    status: int | None = None  # None: no HTTP answer (see error)
    latency_ms: float | None = None  # request sent -> response headers received
    bytes_read: int = 0
    redirect: str | None = None  # Location of a 3xx answer (not followed)
    error: str | None = None

    @property
    def answered(self) -> bool:
        return self.status is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def tor_endpoint() -> TorEndpoint:
    """The Tor client the crawls use (TOR_SOCKS_HOST/PORT, TOR_CONTROL_* read by crawler.settings)."""
    from onionwatch.crawler import settings

    return TorEndpoint(socks_host=settings.TOR_SOCKS_HOST, socks_port=settings.TOR_SOCKS_PORT,
                       control_port=settings.TOR_CONTROL_PORT, control_password=settings.TOR_CONTROL_PASSWORD,
                       control_cookie=settings.TOR_CONTROL_COOKIE)  # fmt: skip


def tor_ready(endpoint: TorEndpoint) -> None:
    """The crawl's Tor preflight: TorUnavailable unless the SOCKS port answers and Tor is bootstrapped."""
    problem = tor_status(endpoint).problem()
    if problem:
        raise TorUnavailable(f"refusing to probe: {problem}")


def probe_market(definition: MarketDefinition, transport: str, endpoint: TorEndpoint,
                 timeout: float = DEFAULT_TIMEOUT) -> list[MirrorStatus]:  # fmt: skip
    """Probe every mirror of `definition`; CrawlRefused / TorUnavailable before any request."""
    check_transport(definition, transport)
    if transport == "tor":
        tor_ready(endpoint)
    proxy = _socks_url(endpoint, definition.name) if transport == "tor" else None
    return [probe_mirror(mirror, proxy, timeout) for mirror in definition.mirrors]


def _socks_url(endpoint: TorEndpoint, market: str) -> str:
    return f"socks5h://probe-{market}:{secrets.token_hex(8)}@{endpoint.socks_host}:{endpoint.socks_port}"


def probe_mirror(mirror: str, proxy: str | None, timeout: float = DEFAULT_TIMEOUT) -> MirrorStatus:
    """GET the mirror's front page once (through `proxy`, a socks5h:// URL, when given)."""
    import requests

    with requests.Session() as session:
        session.trust_env = False  # no HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, no ~/.netrc
        session.proxies = {"http": proxy, "https": proxy} if proxy else {}
        session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        started = time.monotonic()
        try:
            response = session.get(mirror + "/", timeout=(timeout, timeout), allow_redirects=False, stream=True)
        except requests.RequestException as exc:
            return MirrorStatus(mirror, up=False, error=_reason(exc))
        with response:
            latency = round((time.monotonic() - started) * 1000, 1)
            read = _read_capped(response)
            location = response.headers.get("Location") if response.is_redirect else None
            return MirrorStatus(mirror, up=response.status_code < 500, status=response.status_code,
                                latency_ms=latency, bytes_read=read, redirect=location)  # fmt: skip


def _read_capped(response: Any) -> int:
    """Read at most MAX_BODY bytes of the body; a broken or slow body after the headers is still an answer."""
    import requests

    read = 0
    try:
        for chunk in response.iter_content(chunk_size=16 * 1024):
            read += len(chunk)
            if read >= MAX_BODY:
                break
    except requests.RequestException:
        pass
    return min(read, MAX_BODY)


def _reason(exc: Exception) -> str:
    """One line: the innermost cause of a requests error (SOCKS refusal, timeout, connection reset)."""
    cause: BaseException = exc
    while cause.__context__ is not None and cause.__context__ is not cause:
        cause = cause.__context__
    text = str(cause) or cause.__class__.__name__
    return f"{exc.__class__.__name__}: {text}".splitlines()[0][:300]
