"""End to end: both testbed markets crawled as onion services through the private Tor network, with
injected blocks, reach the same ground-truth completeness as the same crawl over plain HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.tor.conftest import ROOT, tor_settings
from tests.tor.servers import PageServer

pytestmark = [pytest.mark.tor, pytest.mark.slow]

_CRAWL = """
import json, sys
from onionwatch.crawler.run import CrawlSpec, crawl
spec = json.loads(sys.argv[1])
outcomes = crawl([CrawlSpec(market=m, mirror=u) for m, u in spec["mirrors"].items()], store_url=spec["store"],
                 transport=spec["transport"], progress=False, log_level="WARNING", overrides=spec["settings"])
print(json.dumps({o.market: {"ok": o.ok, "error": o.error, "pages": o.pages, "listings": o.listings,
                             "refused": o.refused_requests, "stats": o.stats} for o in outcomes}))
"""


def _crawl(tmp: Path, transport: str, mirrors: dict[str, str], settings: dict[str, Any]) -> tuple[dict, str]:
    from onionwatch.crawler.credentials import env_names
    from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

    user_var, pass_var = env_names("abyss")
    env = {**os.environ, user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD,
           "ONIONWATCH_DATA_DIR": str(tmp / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp / "config")}
    store = f"sqlite:///{tmp / (transport + '.sqlite')}"
    spec = {"mirrors": mirrors, "store": store, "transport": transport, "settings": settings}
    proc = subprocess.run([sys.executable, "-c", _CRAWL, json.dumps(spec)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), store


def _scores(store_url: str, testbed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from onionwatch.groundtruth import score_market
    from onionwatch.indexer.store import open_store

    store = open_store(store_url)
    try:
        return {m: score_market(store, m, srv.market.truth()).to_dict() for m, srv in testbed.items()}
    finally:
        store.close()


def test_both_markets_over_tor_as_complete_as_over_http(
    tornet: Any, testbed: dict[str, Any], canary: PageServer, tmp_path: Path
) -> None:
    direct, direct_store = _crawl(tmp_path, "direct", {m: s.url for m, s in testbed.items()}, {})
    assert all(o["ok"] for o in direct.values()), direct
    for server in testbed.values():
        server.clear_log()
    testbed["abyss"].block_next(2, "captcha")
    testbed["kladmen"].block_next(2, "429")
    settings = {**tor_settings(tornet), "ONIONWATCH_BACKOFF_BASE": 0.2, "ONIONWATCH_BACKOFF_MAX": 1.0}
    over_tor, tor_store = _crawl(tmp_path, "tor", {m: f"http://{tornet.onions[m]}" for m in testbed}, settings)
    assert all(o["ok"] for o in over_tor.values()), over_tor

    want, got = _scores(direct_store, testbed), _scores(tor_store, testbed)
    for market in testbed:
        assert want[market]["listings_found"] == want[market]["ground_truth_listings"] == 150
        assert got[market] == want[market], market  # same completeness and the same extracted fields
        stats = over_tor[market]["stats"]
        assert stats["onionwatch/blocked"] == 2 and stats["onionwatch/newnym"] >= 1
        assert stats.get("onionwatch/egress_refused", 0) == 0
        # the testbed saw this crawl only through its onion service
        hosts = {entry.host for entry in testbed[market].log}
        assert hosts == {tornet.onions[market]}, hosts
    assert canary.requests == []
