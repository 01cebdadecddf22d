"""A DDoS queue and a captcha over the private Tor network: the crawl waits out the queue, the analyst answers
the captcha with `onionwatch session solve`, and the answer goes out on the market's circuit; every listing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.testbed.analyst import Analyst
from onionwatch.testbed.gates import GateFaults
from onionwatch.testbed.server import MarketServer
from tests.tor.conftest import ROOT, tor_env, tor_required

pytestmark = [pytest.mark.tor, pytest.mark.slow]


@pytest.fixture(scope="module")
def gated() -> Iterator[MarketServer]:
    server = MarketServer("kladmen", n_vendors=6, n_listings=40,
                          gates=GateFaults(queue_seconds=2, captcha=True, age_gate=True, pass_expire_after=60)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def net(gated: MarketServer) -> Iterator[object]:
    tor_required()
    from onionwatch.testbed.tornet import TorNet

    with TorNet(targets={"kladmen": f"127.0.0.1:{gated.port}"}, timeout=180) as tornet:  # kladmen's onion address
        yield tornet


def test_queue_and_captcha_over_tor(net: object, gated: MarketServer, tmp_path: Path) -> None:
    env = {**os.environ, **tor_env(net), "ONIONWATCH_MARKETS_DIR": str(ROOT / "tests" / "fixtures" / "markets"),
           "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config")}
    onion = net.onions["kladmen"]  # type: ignore[attr-defined]
    analyst = Analyst("kladgate", tmp_path / "data", gated.url, env)
    analyst.start()
    store = tmp_path / "s.sqlite"
    try:
        proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "kladgate", "--mirror",
                               f"http://{onion}", "--transport", "tor", "--store", f"sqlite:///{store}", "--json",
                               "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    finally:
        analyst.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)[0]
    assert out["status"] == "complete"
    with sqlite3.connect(store) as db:
        ids = [r[0] for r in db.execute("SELECT listing_id FROM listings")]
    assert set(ids) == {li.listing_id for li in gated.market.listings} and len(ids) == len(set(ids))
    assert len(analyst.solved) >= 2 and gated.site.counts["expired"] >= 1 and analyst.errors == []
    crawl_hosts = {e.host for e in gated.log if not e.path.startswith("/__testbed/")}
    assert crawl_hosts == {onion}  # the crawl reached the market only through its onion service
