"""The Tor client pool's pure logic: the env value, a stable spread of markets, failover of a client's markets."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.crawler.tor_pool import (
    TorClient,
    assign,
    client_torrc,
    market_settings,
    parse_clients,
    route,
    route_settings,
)
from onionwatch.errors import InputError, TorUnavailable

CLIENTS = parse_clients("9060:9061,9062:9063:/var/tor1/control_auth_cookie, 9064:9065")
MARKETS = [f"market{i}" for i in range(40)]


def test_parse_clients() -> None:
    assert [(c.index, c.socks_port, c.control_port, c.cookie) for c in CLIENTS] == [
        (0, 9060, 9061, ""), (1, 9062, 9063, "/var/tor1/control_auth_cookie"), (2, 9064, 9065, "")]
    for bad in ("9060", "x:9061", "9060:70000", " , "):
        with pytest.raises(InputError, match="ONIONWATCH_TOR_CLIENTS"):
            parse_clients(bad)


def test_markets_spread_stably_over_the_clients() -> None:
    first = assign(MARKETS, CLIENTS)
    assert first == assign(list(reversed(MARKETS)), list(reversed(CLIENTS)))  # order does not matter
    per_client = {c.index: sum(1 for m in MARKETS if first[m] == c) for c in CLIENTS}
    assert min(per_client.values()) >= 6, per_client  # every client carries a share


def test_a_client_down_moves_only_its_markets() -> None:
    said: list[str] = []
    before = assign(MARKETS, CLIENTS)
    after = route(MARKETS, CLIENTS, said.append, problem=lambda c: "refused" if c.index == 1 else None)
    moved = sorted(m for m in MARKETS if before[m].index == 1)
    assert all(after[m] == before[m] for m in MARKETS if m not in moved)
    assert all(after[m].index != 1 for m in moved)
    assert said == [f"Tor client 1 (127.0.0.1:9062) is down (refused); {', '.join(moved)} moved to other clients"]


def test_no_client_up_refuses_with_one_line() -> None:
    with pytest.raises(TorUnavailable, match="none of the 3 Tor clients of ONIONWATCH_TOR_CLIENTS is up"):
        route(MARKETS, CLIENTS, print, problem=lambda c: "connection refused")


def test_route_settings_and_torrc() -> None:
    routes = {"abyss": TorClient(1, 9062, 9063, "/c")}
    settings = {"ONIONWATCH_TOR_ROUTES": route_settings(routes)}
    assert market_settings(settings, "abyss") == {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": 9062,
                                                  "TOR_CONTROL_PORT": 9063, "TOR_CONTROL_COOKIE": "/c"}
    assert market_settings(settings, "kladmen") == {} and market_settings({}, "abyss") == {}
    text = client_torrc(9062, 9063, Path("/d"), 42, ["TestingTorNetwork 1"])
    assert "SocksPort 127.0.0.1:9062 IsolateSOCKSAuth" in text and "ControlPort 127.0.0.1:9063" in text
    assert text.endswith("TestingTorNetwork 1\n")
