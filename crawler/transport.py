"""How crawl requests leave the machine: Scrapy settings per transport and the Tor preflight check.

Transport "tor" (default): every request goes to Tor's SOCKS port with the hostname resolved by Tor
(socks5h), through :class:`crawler.middlewares.handler.TorDownloadHandler`, which refuses any request
not addressed to that proxy: there is no direct-connection code path. Transport "direct" exists only
for clearnet markets and loopback testbed mirrors (checked by ``crawler.policy.check_transport``) and ignores
``http_proxy`` from the environment. Both download handlers cut a download at its whole-download deadline
(crawler/middlewares/handler.py). Both transports go through the egress middleware (only the market's
mirrors), the block detector and, in every onionwatch command, the process egress guard (onionwatch.netguard).

Why a SOCKS-capable handler rather than Privoxy in front of Tor: per-market circuit isolation needs a
distinct SOCKS username per market (IsolateSOCKSAuth); Privoxy has one SOCKS identity, so it would
need one Privoxy per market. It is one process fewer to supervise, and it measured faster
(`python -m bench.bench_tor --crawl` in a loopback namespace, private Tor network, 2 shared cores):

    raw GETs of listing pages, pages/s (p50 ms)   c=1          c=8          c=32
    httpx -> Tor SOCKS                            24.5 (20)    95.9 (73)    245.5 (99)
    httpx -> Privoxy -> Tor SOCKS                  9.5 (103)   63.2 (122)   228.0 (112)
    Scrapy crawl, 500 listings/market, pages/s    abyss 39.8 via SOCKS handler, 34.5 via Privoxy;
                                                  kladmen 45.3 vs 40.8 (extraction-bound: direct 37-40)
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onionwatch.errors import TorUnavailable

TRANSPORTS = ("tor", "direct")
HANDLER = "onionwatch.crawler.middlewares.handler.TorDownloadHandler"
DIRECT_HANDLER = "onionwatch.crawler.middlewares.handler.DirectDownloadHandler"  # HTTP/1.1 + the deadline
_CLOSED_SCHEMES = {"ftp": None, "s3": None, "file": None}  # never fetched by a market crawl

GATES = "onionwatch.crawler.gates.GateMiddleware"  # 570: a defined gate page reaches the spider, not the block retry
MIDDLEWARES_TOR = {
    GATES: 570,
    "onionwatch.crawler.middlewares.block.BlockMiddleware": 560,  # sees responses before RetryMiddleware (550)
    "onionwatch.crawler.middlewares.mirrors.MirrorMiddleware": 570,  # current healthy mirror; failover
    "onionwatch.crawler.middlewares.truncated.TruncatedPageMiddleware": 575,  # HTML without </html>: again
    "onionwatch.crawler.middlewares.politeness.PolitenessMiddleware": 580,  # Retry-After, backoff: first look
    "onionwatch.crawler.middlewares.tor.TorProxyMiddleware": 740,  # before HttpProxyMiddleware (750)
    "onionwatch.crawler.middlewares.egress.EgressGuardMiddleware": 950,  # last look before the download handler
}
MIDDLEWARES_DIRECT = {
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,  # direct means no http_proxy from the env
    GATES: 570,
    "onionwatch.crawler.middlewares.block.BlockMiddleware": 560,
    "onionwatch.crawler.middlewares.mirrors.MirrorMiddleware": 570,
    "onionwatch.crawler.middlewares.truncated.TruncatedPageMiddleware": 575,
    "onionwatch.crawler.middlewares.politeness.PolitenessMiddleware": 580,
    "onionwatch.crawler.middlewares.egress.EgressGuardMiddleware": 950,
}


def scrapy_settings(transport: str) -> dict[str, Any]:
    """Settings to merge into a crawl's settings for this transport."""
    if transport == "tor":
        return {
            "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER, **_CLOSED_SCHEMES},
            "DOWNLOADER_MIDDLEWARES": dict(MIDDLEWARES_TOR),
        }
    if transport == "direct":
        return {
            "DOWNLOAD_HANDLERS": {"http": DIRECT_HANDLER, "https": DIRECT_HANDLER, **_CLOSED_SCHEMES},
            "DOWNLOADER_MIDDLEWARES": dict(MIDDLEWARES_DIRECT),
        }
    raise TorUnavailable(f"transport {transport!r}: must be 'tor' or 'direct'")


@dataclass(frozen=True)
class TorEndpoint:
    """Where the client tor listens and how to authenticate to its control port."""

    socks_host: str = "127.0.0.1"
    socks_port: int = 9050
    control_port: int = 9051
    control_password: str = ""
    control_cookie: str = ""  # path; empty: stem finds it through PROTOCOLINFO

    @classmethod
    def from_settings(cls, settings: Any) -> TorEndpoint:
        return cls(
            socks_host=settings.get("TOR_SOCKS_HOST") or "127.0.0.1",
            socks_port=settings.getint("TOR_SOCKS_PORT", 9050),
            control_port=settings.getint("TOR_CONTROL_PORT", 9051),
            control_password=settings.get("TOR_CONTROL_PASSWORD") or "",
            control_cookie=settings.get("TOR_CONTROL_COOKIE") or "",
        )

    @property
    def socks(self) -> str:
        return f"{self.socks_host}:{self.socks_port}"

    @property
    def control(self) -> str:
        return f"{self.socks_host}:{self.control_port}"


@dataclass
class TorStatus:
    """What `onionwatch tor check` reports and `preflight` requires."""

    endpoint: TorEndpoint
    socks_ok: bool = False
    socks_error: str = ""
    control_ok: bool = False
    control_error: str = ""
    version: str = ""
    bootstrap: int = 0
    bootstrap_summary: str = ""
    circuit_established: bool = False
    circuits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.socks_ok and self.control_ok and self.bootstrap == 100

    def problem(self) -> str | None:
        """The first reason the crawl must not start, as one sentence; None when ready."""
        if not self.socks_ok:
            return self.socks_error
        if not self.control_ok:
            return self.control_error
        if self.bootstrap < 100:
            return (f"Tor is not bootstrapped ({self.bootstrap}%: {self.bootstrap_summary}); "
                    "wait until it reaches 100% (`onionwatch tor check`)")
        return None


def check_socks(endpoint: TorEndpoint, timeout: float = 5.0) -> str | None:
    """None when a SOCKS5 server answers at the SOCKS port, else why not (naming the port)."""
    where = f"Tor SOCKS port {endpoint.socks}"
    try:
        with socket.create_connection((endpoint.socks_host, endpoint.socks_port), timeout=timeout) as s:
            s.sendall(b"\x05\x01\x00")  # SOCKS5, one method: no authentication
            reply = s.recv(2)
    except ConnectionRefusedError:
        return (f"{where}: connection refused (is tor running? set TOR_SOCKS_PORT; "
                "install with apt-get install tor)")
    except TimeoutError:
        return f"{where}: no SOCKS answer within {timeout:.0f}s (wrong port? tor answers at once)"
    except OSError as exc:
        return f"{where}: {exc.strerror or exc}"
    if reply[:1] != b"\x05":
        return f"{where}: not a SOCKS5 server (answered {reply!r}); wrong port?"
    return None


def open_controller(endpoint: TorEndpoint, timeout: float = 10.0) -> Any:
    """An authenticated stem Controller, or TorUnavailable naming the port and the auth problem."""
    import stem
    import stem.connection
    from stem.control import Controller

    where = f"Tor control port {endpoint.control}"
    try:
        controller = Controller.from_port(address=endpoint.socks_host, port=endpoint.control_port)
    except stem.SocketError as exc:
        raise TorUnavailable(f"{where}: cannot connect ({exc}); set TOR_CONTROL_PORT") from None
    try:
        if endpoint.control_cookie and not endpoint.control_password:
            cookie = Path(endpoint.control_cookie)
            if not cookie.is_file():
                raise TorUnavailable(f"{where}: cookie file {cookie} not found (TOR_CONTROL_COOKIE)")
            stem.connection.authenticate_cookie(controller, str(cookie))
            controller._post_authentication()  # what Controller.authenticate() does after auth (events)
        else:
            controller.authenticate(password=endpoint.control_password or None)
    except TorUnavailable:
        controller.close()
        raise
    except stem.connection.MissingPassword:
        controller.close()
        raise TorUnavailable(f"{where}: tor wants a password (set TOR_CONTROL_PASSWORD)") from None
    except stem.connection.AuthenticationFailure as exc:
        controller.close()
        raise TorUnavailable(
            f"{where}: authentication failed ({exc}); check TOR_CONTROL_PASSWORD / TOR_CONTROL_COOKIE"
        ) from None
    except (stem.SocketError, stem.ProtocolError) as exc:
        controller.close()
        raise TorUnavailable(f"{where}: not a Tor control port? ({exc})") from None
    return controller


def _parse_bootstrap(phase: str) -> tuple[int, str]:
    progress, summary = 0, ""
    for part in phase.split(" "):
        if part.startswith("PROGRESS="):
            with contextlib.suppress(ValueError):
                progress = int(part.split("=", 1)[1])
    if 'SUMMARY="' in phase:
        summary = phase.split('SUMMARY="', 1)[1].split('"', 1)[0]
    return progress, summary


def tor_status(endpoint: TorEndpoint, with_circuits: bool = False) -> TorStatus:
    status = TorStatus(endpoint)
    err = check_socks(endpoint)
    status.socks_ok, status.socks_error = err is None, err or ""
    try:
        controller = open_controller(endpoint)
    except TorUnavailable as exc:
        status.control_error = str(exc)
        return status
    with controller:
        status.control_ok = True
        status.version = str(controller.get_version()).split(" ")[0]
        status.bootstrap, status.bootstrap_summary = _parse_bootstrap(
            controller.get_info("status/bootstrap-phase", "")
        )
        status.circuit_established = controller.get_info("status/circuit-established", "0") == "1"
        if with_circuits:
            for circ in controller.get_circuits():
                status.circuits.append({
                    "id": circ.id, "status": circ.status, "purpose": circ.purpose,
                    "path": [nick or fp[:8] for fp, nick in circ.path],
                    "socks_username": circ.socks_username,
                    "rend_query": circ.rend_query,
                })
    return status


def preflight(settings: Any) -> TorStatus | None:
    """Refuse to start (TorUnavailable) unless Tor's SOCKS port answers and Tor is bootstrapped."""
    transport = settings.get("ONIONWATCH_TRANSPORT", "tor")
    if transport not in TRANSPORTS:
        raise TorUnavailable(f"transport {transport!r}: must be 'tor' or 'direct'")
    if transport != "tor":
        return None
    status = tor_status(TorEndpoint.from_settings(settings))
    problem = status.problem()
    if problem:
        raise TorUnavailable(f"refusing to crawl: {problem}")
    return status
