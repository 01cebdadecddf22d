"""Through the private Tor network: onions only, canary untouched, per-market circuits, block -> new circuit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scrapy.settings import Settings

from onionwatch.crawler.middlewares.tor import isolation_user
from onionwatch.crawler.transport import TorEndpoint, open_controller, preflight, tor_status
from tests.tor.conftest import run_probe, tor_settings
from tests.tor.servers import PageServer

pytestmark = [pytest.mark.tor, pytest.mark.slow]


def _endpoint(net: Any) -> TorEndpoint:
    return TorEndpoint(socks_port=net.socks_port, control_port=net.control_port, control_cookie=str(net.cookie_path))


class StreamLog:
    """Successful Tor streams (target host, circuit id) seen on the client's control port."""

    def __init__(self, net: Any) -> None:
        from stem.control import EventType

        self.streams: list[tuple[str, str]] = []
        self.controller = open_controller(_endpoint(net))
        self.controller.add_event_listener(self._on_stream, EventType.STREAM)

    def _on_stream(self, event: Any) -> None:
        if event.status == "SUCCEEDED":
            self.streams.append((event.target_address, event.circ_id))

    def circuits_to(self, host: str) -> set[str]:
        return {circ for target, circ in self.streams if target == host}

    def circuits(self) -> dict[str, Any]:
        return {c.id: c for c in self.controller.get_circuits()}


@pytest.fixture
def streams(tornet: Any) -> Iterator[StreamLog]:
    log = StreamLog(tornet)
    yield log
    log.controller.close()


def _market(net: Any, name: str, targets: list[str]) -> dict[str, Any]:
    return {"name": name, "mirrors": [f"http://{net.onions[name]}"], "targets": targets}


def test_onions_are_the_fixed_testbed_addresses(tornet: Any) -> None:
    from onionwatch.testbed.onion import onion_address

    assert tornet.onions["abyss"] == onion_address("abyss")
    assert tornet.onions["kladmen"] == onion_address("kladmen")


def test_preflight_passes_and_status_reports_circuits(tornet: Any) -> None:
    status = preflight(Settings({"ONIONWATCH_TRANSPORT": "tor", **tor_settings(tornet)}))
    assert status is not None and status.bootstrap == 100 and status.circuit_established
    full = tor_status(_endpoint(tornet), with_circuits=True)
    assert full.ready and full.version.startswith("0.4") and full.circuits


def test_requests_reach_markets_only_via_their_onions_and_canary_gets_nothing(
    tornet: Any, markets: dict[str, PageServer], canary: PageServer, streams: StreamLog
) -> None:
    for srv in markets.values():
        srv.requests.clear()
    onion_a, onion_b = tornet.onions["probe-a"], tornet.onions["probe-b"]
    stats = run_probe({"transport": "tor", "settings": tor_settings(tornet), "markets": [
        _market(tornet, "probe-a", ["/a1", "/a2", "/a3", canary.url + "/leak", f"http://{onion_b}/cross"]),
        _market(tornet, "probe-b", ["/k1", "/k2", f"http://127.0.0.1:{markets['probe-b'].port}/direct"]),
    ]})
    assert canary.requests == []
    assert sorted(markets["probe-a"].requests) == [(p, onion_a) for p in ("/a1", "/a2", "/a3")]
    assert sorted(markets["probe-b"].requests) == [(p, onion_b) for p in ("/k1", "/k2")]
    assert stats["probe-a"]["probe/ok"] == 3 and stats["probe-a"]["onionwatch/egress_refused"] == 2
    assert stats["probe-b"]["probe/ok"] == 2 and stats["probe-b"]["onionwatch/egress_refused"] == 1
    # two markets, two isolated circuits, each tagged with its market's SOCKS username
    circuits = streams.circuits()
    a_circs, k_circs = streams.circuits_to(onion_a), streams.circuits_to(onion_b)
    assert a_circs and k_circs and not (a_circs & k_circs)
    assert {circuits[c].socks_username for c in a_circs if c in circuits} == {isolation_user("probe-a")}
    assert {circuits[c].socks_username for c in k_circs if c in circuits} == {isolation_user("probe-b")}


def test_injected_block_triggers_newnym_and_a_new_circuit(
    tornet: Any, markets: dict[str, PageServer], streams: StreamLog
) -> None:
    srv = markets["probe-a"]
    srv.requests.clear()
    srv.block_next(1, "429")
    stats = run_probe({"transport": "tor", "settings": {**tor_settings(tornet), "ONIONWATCH_BACKOFF_BASE": 0.2},
                       "markets": [_market(tornet, "probe-a", ["/blocked-then-ok"])]})["probe-a"]
    assert stats["onionwatch/blocked/http-429"] == 1
    assert stats["onionwatch/newnym"] == 1
    assert stats["probe/ok"] == 1 and stats.get("probe/failed", 0) == 0
    assert [p for p, _ in srv.requests] == ["/blocked-then-ok", "/blocked-then-ok"]
    used = streams.circuits_to(tornet.onions["probe-a"])
    assert len(used) == 2, streams.streams  # the blocked request's circuit and a new one for the retry


def test_captcha_page_is_a_block_too(tornet: Any, markets: dict[str, PageServer]) -> None:
    markets["probe-b"].block_next(1, "captcha")
    stats = run_probe({"transport": "tor", "settings": {**tor_settings(tornet), "ONIONWATCH_BACKOFF_BASE": 0.2},
                       "markets": [_market(tornet, "probe-b", ["/c"])]})["probe-b"]
    assert stats["onionwatch/blocked/captcha"] == 1 and stats["probe/ok"] == 1


def test_unreachable_onion_retries_with_newnym_then_fails_clearly(tornet: Any) -> None:
    from onionwatch.testbed.onion import onion_address

    ghost = onion_address("ghost")  # a valid v3 address that no service publishes
    settings = {**tor_settings(tornet), "ONIONWATCH_BACKOFF_BASE": 0.2, "ONIONWATCH_BLOCK_MAX_RETRIES": 2,
                "TOR_CIRCUIT_FAILURES": 2}
    stats = run_probe({"transport": "tor", "settings": settings,
                       "markets": [{"name": "ghost", "mirrors": [f"http://{ghost}"], "targets": ["/"]}]})["ghost"]
    assert stats["probe/failed"] == 1 and "probe/ok" not in stats
    assert stats["onionwatch/circuit_errors"] == 3  # first try + 2 retries, then give up
    assert stats["onionwatch/newnym"] == 1  # after the 2nd consecutive failure
    [error] = stats["probe/errors"]
    assert f"ghost: http://{ghost}/: Tor SOCKS/circuit error via 127.0.0.1:{tornet.socks_port}" in error
    assert error.endswith("gave up after 2 retries")
