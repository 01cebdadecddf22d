"""Testbed network faults: reproducible shares, first request(s) only, each fault as a client sees it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from onionwatch.testbed.netfaults import NetFaults, start_mirror, take_down
from onionwatch.testbed.server import MarketServer, start_market


@pytest.fixture(scope="module")
def server() -> Iterator[MarketServer]:
    s = start_market("kladmen", n_vendors=5, n_listings=20)
    yield s
    s.stop()


def test_share_is_stable_and_only_the_first_request_of_a_page_is_hit() -> None:
    faults = NetFaults(throttle=0.3)
    paths = [f"/p/{i}" for i in range(1000)]
    hit = [p for p in paths if faults.pick(p) == "throttle"]
    assert 250 < len(hit) < 350
    assert [p for p in paths if NetFaults(throttle=0.3).pick(p)] == hit  # same pages every run
    assert all(faults.pick(p) is None for p in hit)  # the second request is served


def test_throttle_answers_with_retry_after(server: MarketServer) -> None:
    server.faults = NetFaults(throttle=1.0, throttle_status=503, retry_after=7)
    r = httpx.get(server.url + "/")
    assert (r.status_code, r.headers["retry-after"]) == (503, "7")
    assert httpx.get(server.url + "/").status_code == 200
    server.faults = NetFaults(throttle=1.0, retry_after=30, retry_after_date=True)
    r = httpx.get(server.url + "/")
    assert r.status_code == 429 and r.headers["retry-after"].endswith("GMT")
    assert server.log[-1].blocked == "throttle" and abs(server.log[-1].at - time.time()) < 5


def test_truncate_is_honest_and_cut_is_not(server: MarketServer) -> None:
    server.faults = NetFaults(truncate=1.0)
    half = httpx.get(server.url + "/")
    whole = httpx.get(server.url + "/")  # the second request of "/": served whole
    assert half.status_code == 200 and len(half.content) == int(half.headers["content-length"])
    assert "</html>" not in half.text and "</html>" in whole.text
    assert whole.content.startswith(half.content) and len(half.content) == len(whole.content) // 2
    server.faults = NetFaults(cut=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(server.url + "/")


def test_slow(server: MarketServer) -> None:
    server.faults = NetFaults(slow=1.0, slow_seconds=3)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(server.url + "/", timeout=1)
    server.faults = None


def test_control_endpoint(server: MarketServer) -> None:
    r = httpx.get(server.url + "/__testbed/faults?throttle=0.5&retry_after=3&throttle_status=503")
    assert r.json()["faults"]["throttle"] == 0.5 and server.faults is not None
    assert server.faults.throttle_status == 503
    for bad in ("nosuch=1", "throttle=lots", "throttle_status=500"):
        assert httpx.get(server.url + "/__testbed/faults?" + bad).status_code == 400
    server.faults = None


def test_a_mirror_serves_the_same_market_until_taken_down(server: MarketServer) -> None:
    mirror = start_mirror(server)
    assert mirror.market is server.market and mirror.port != server.port
    with httpx.Client() as client:
        assert client.get(mirror.url + "/").text == httpx.get(server.url + "/").text
        take_down(mirror)
        with pytest.raises(httpx.TransportError):  # the open keep-alive connection is dropped too
            client.get(mirror.url + "/")
    with pytest.raises(httpx.ConnectError):
        httpx.get(mirror.url + "/")
