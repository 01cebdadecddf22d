"""`onionwatch markets try` through the private Tor network: the testbed markets' own onion mirrors, the
login passed over the onion, every request through the onion service (none around it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME
from tests.tor.conftest import ROOT, tor_env

pytestmark = pytest.mark.tor


def _try(net: Any, tmp_path: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **tor_env(net), "ONIONWATCH_DATA_DIR": str(tmp_path / "data"),
           "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"), "ONIONWATCH_CRED_ABYSS_USERNAME": TESTBED_USERNAME,
           "ONIONWATCH_CRED_ABYSS_PASSWORD": TESTBED_PASSWORD}
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "try", *args, "--json"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_try_reaches_a_listing_over_the_market_onion(tornet: Any, testbed: dict[str, Any], tmp_path: Any,
                                                     market: str) -> None:
    testbed[market].clear_log()
    proc = _try(tornet, tmp_path, market)
    assert proc.returncode == 0, proc.stderr
    trial = json.loads(proc.stdout)
    assert trial["transport"] == "tor" and trial["mirror"] == f"http://{tornet.onions[market]}"
    assert trial["pages"][-1]["kind"] == "listing" and trial["pages"][-1]["extracted"]["price"]
    assert trial["logged_in"] is (market == "abyss")
    log = testbed[market].log
    assert {entry.host for entry in log} == {tornet.onions[market]}
    assert (market == "abyss") == any(e.method == "POST" and e.path == "/login" for e in log)
