"""Transport settings and the Tor preflight against closed and wrong ports (no Tor needed)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from scrapy.settings import Settings

from onionwatch.crawler.transport import (
    DIRECT_HANDLER,
    HANDLER,
    TorEndpoint,
    TorUnavailable,
    _parse_bootstrap,
    check_socks,
    preflight,
    scrapy_settings,
    tor_status,
)


def test_tor_settings_route_http_through_the_tor_handler_only() -> None:
    s = scrapy_settings("tor")
    assert s["DOWNLOAD_HANDLERS"]["http"] == HANDLER and s["DOWNLOAD_HANDLERS"]["https"] == HANDLER
    assert s["DOWNLOAD_HANDLERS"]["ftp"] is None and s["DOWNLOAD_HANDLERS"]["s3"] is None
    mws = s["DOWNLOADER_MIDDLEWARES"]
    assert mws["onionwatch.crawler.middlewares.tor.TorProxyMiddleware"] < 750  # before HttpProxyMiddleware
    assert mws["onionwatch.crawler.middlewares.block.BlockMiddleware"] > 550  # sees responses before RetryMiddleware
    assert mws["onionwatch.crawler.middlewares.egress.EgressGuardMiddleware"] == max(mws.values())


def test_direct_settings_still_guard_egress() -> None:
    s = scrapy_settings("direct")
    assert "onionwatch.crawler.middlewares.egress.EgressGuardMiddleware" in s["DOWNLOADER_MIDDLEWARES"]
    assert "onionwatch.crawler.middlewares.tor.TorProxyMiddleware" not in s["DOWNLOADER_MIDDLEWARES"]
    assert s["DOWNLOAD_HANDLERS"]["http"] == DIRECT_HANDLER  # HTTP/1.1 with the whole-download deadline
    # direct means direct: an http_proxy from the environment is not used (it would be a clear-net hop)
    assert s["DOWNLOADER_MIDDLEWARES"]["scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"] is None


def test_unknown_transport() -> None:
    with pytest.raises(TorUnavailable, match="transport 'i2p': must be 'tor' or 'direct'"):
        scrapy_settings("i2p")


def test_endpoint_from_settings() -> None:
    ep = TorEndpoint.from_settings(Settings({"TOR_SOCKS_PORT": "19050", "TOR_CONTROL_PORT": 19051}))
    assert (ep.socks, ep.control) == ("127.0.0.1:19050", "127.0.0.1:19051")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_port() -> Iterator[int]:
    """A listener that answers like an HTTP server (a wrong port for SOCKS)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(16)
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()


def test_socks_down_names_the_port() -> None:
    port = _free_port()
    msg = check_socks(TorEndpoint(socks_port=port))
    assert msg is not None and f"Tor SOCKS port 127.0.0.1:{port}: connection refused" in msg
    assert "apt-get install tor" in msg


def test_wrong_port_is_not_socks(http_port: int) -> None:
    msg = check_socks(TorEndpoint(socks_port=http_port))
    assert msg is not None and f"127.0.0.1:{http_port}: not a SOCKS5 server" in msg and "wrong port?" in msg


def test_preflight_refuses_when_tor_is_down() -> None:
    port = _free_port()
    settings = Settings({"ONIONWATCH_TRANSPORT": "tor", "TOR_SOCKS_PORT": port, "TOR_CONTROL_PORT": _free_port()})
    with pytest.raises(TorUnavailable, match=rf"refusing to crawl: Tor SOCKS port 127.0.0.1:{port}"):
        preflight(settings)


def test_preflight_control_port_wrong(http_port: int) -> None:
    status = tor_status(TorEndpoint(socks_port=_free_port(), control_port=http_port))
    assert not status.control_ok and f"Tor control port 127.0.0.1:{http_port}" in status.control_error


def test_preflight_direct_needs_no_tor() -> None:
    assert preflight(Settings({"ONIONWATCH_TRANSPORT": "direct", "TOR_SOCKS_PORT": _free_port()})) is None


def test_parse_bootstrap() -> None:
    assert _parse_bootstrap('NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"') == (100, "Done")
    assert _parse_bootstrap('NOTICE BOOTSTRAP PROGRESS=45 TAG=x SUMMARY="Asking for relay descriptors"') == (
        45, "Asking for relay descriptors")
    assert _parse_bootstrap("garbage PROGRESS=x") == (0, "")
