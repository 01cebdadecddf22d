"""`onionwatch markets probe` through the private Tor network: the testbed markets' own onion mirrors (the
addresses in config/markets/*.yaml) answer, and only through their onion services."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from onionwatch.crawler.markets import get_market
from tests.tor.conftest import ROOT, tor_env

pytestmark = pytest.mark.tor


def _probe(net: Any, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "probe", *args, "--json"], cwd=ROOT,
                          env={**os.environ, **tor_env(net)}, capture_output=True, text=True, timeout=180)  # fmt: skip


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_probe_reaches_the_market_onion(tornet: Any, testbed: dict[str, Any], market: str) -> None:
    assert get_market(market).mirrors == [f"http://{tornet.onions[market]}"]  # the definition's own mirror
    testbed[market].clear_log()
    proc = _probe(tornet, market)
    assert proc.returncode == 0, proc.stderr
    [mirror] = json.loads(proc.stdout)["mirrors"]
    assert mirror["up"] and mirror["status"] in (200, 302, 303) and mirror["latency_ms"] > 0, mirror
    assert {entry.host for entry in testbed[market].log} == {tornet.onions[market]}


def test_unknown_onion_is_down_and_exits_1(tornet: Any) -> None:
    onion = "http://" + "a" * 56 + ".onion"
    proc = _probe(tornet, "abyss", "--mirror", onion, "--timeout", "20")
    assert proc.returncode == 1, proc.stderr
    [mirror] = json.loads(proc.stdout)["mirrors"]
    assert not mirror["up"] and mirror["status"] is None and mirror["error"]
