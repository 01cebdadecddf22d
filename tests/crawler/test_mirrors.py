"""`onionwatch markets probe`: one capped GET per mirror, the crawl's transport rule, fail-closed on Tor.

Real HTTP servers on 127.0.0.1 (`--transport direct` is allowed for loopback mirrors only); the probe
through the private Tor network is in tests/tor/test_tor_probe.py.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onionwatch.crawler.markets import get_market, with_mirror
from onionwatch.crawler.mirrors import MAX_BODY, probe_market, probe_mirror
from onionwatch.crawler.transport import TorEndpoint
from onionwatch.errors import CrawlRefused, TorUnavailable
from tests.crawler.conftest import run

ROOT = Path(__file__).resolve().parents[2]


class Mirror(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.seen.append((self.path, self.headers.get("Proxy-Authorization", "")))
        if self.path.startswith("/elsewhere"):
            self.send_response(302)
            self.send_header("Location", "http://other-host.example/steal")
            self.end_headers()
        elif self.path.startswith("/huge"):
            self.send_response(200)
            self.send_header("Content-Length", str(50 * MAX_BODY))
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"x" * MAX_BODY)
            except OSError:
                pass  # the probe hung up after MAX_BODY bytes
        elif self.path.startswith("/broken"):
            self.send_response(500)
            self.end_headers()
        else:
            body = b"<html><title>market</title></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


DOWN_TOR = TorEndpoint(socks_port=_closed_port(), control_port=_closed_port())


def test_up_mirror_status_latency_and_no_proxy(mirror: str) -> None:
    [status] = probe_market(with_mirror(get_market("abyss"), mirror), "direct", DOWN_TOR, timeout=10)
    assert status.up and status.status == 200 and status.latency_ms is not None and status.latency_ms >= 0
    assert status.bytes_read > 0 and status.error is None and status.mirror == mirror


def test_redirect_to_another_host_is_reported_not_followed(mirror: str) -> None:
    Mirror.seen.clear()
    status = probe_mirror(f"{mirror}/elsewhere", None, timeout=10)
    assert status.status == 302 and status.redirect == "http://other-host.example/steal"
    assert [p for p, _ in Mirror.seen] == ["/elsewhere/"]  # one request, nothing followed


def test_body_is_capped(mirror: str) -> None:
    status = probe_mirror(f"{mirror}/huge", None, timeout=10)
    assert status.up and status.bytes_read == MAX_BODY


def test_server_error_answers_but_is_not_up(mirror: str) -> None:
    status = probe_mirror(f"{mirror}/broken", None, timeout=10)
    assert status.answered and not status.up and status.status == 500


def test_closed_port_is_down_with_a_reason() -> None:
    status = probe_mirror(f"http://127.0.0.1:{_closed_port()}", None, timeout=5)
    assert not status.answered and not status.up and "Connection" in (status.error or "")


def test_environment_proxies_are_ignored(mirror: str, monkeypatch: pytest.MonkeyPatch) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert probe_mirror(mirror, None, timeout=10).status == 200


def test_direct_to_an_onion_market_is_refused_before_any_request() -> None:
    with pytest.raises(CrawlRefused, match="refusing a direct connection to an onion market"):
        probe_market(get_market("abyss"), "direct", DOWN_TOR)


def test_tor_down_refuses_before_any_request(mirror: str) -> None:
    Mirror.seen.clear()
    with pytest.raises(TorUnavailable, match=r"^refusing to probe: Tor SOCKS port 127.0.0.1:\d+: connection refused"):
        probe_market(with_mirror(get_market("abyss"), mirror), "tor", DOWN_TOR)
    assert Mirror.seen == []


def _cli(*args: str, env: dict[str, str] | None = None):
    return run([sys.executable, "-m", "onionwatch.cli", "markets", "probe", *args],
               {**os.environ, "TOR_SOCKS_PORT": str(DOWN_TOR.socks_port),
                "TOR_CONTROL_PORT": str(DOWN_TOR.control_port), **(env or {})})  # fmt: skip


@pytest.mark.integration
def test_cli_json_and_exit_status(mirror: str) -> None:
    up = _cli("abyss", "--mirror", mirror, "--transport", "direct", "--json")
    assert up.returncode == 0, up.stderr
    out = json.loads(up.stdout)
    assert out["market"] == "abyss" and out["answered"] == 1 and out["mirrors"][0]["status"] == 200
    down = _cli("abyss", "--mirror", f"http://127.0.0.1:{_closed_port()}", "--transport", "direct", "--timeout", "5")
    assert down.returncode == 1 and down.stdout.startswith("DOWN")
    tor_down = _cli("abyss")
    assert tor_down.returncode == 1 and tor_down.stdout == ""
    assert tor_down.stderr.startswith("onionwatch: error: refusing to probe: Tor SOCKS port")
