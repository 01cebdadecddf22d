"""Over the private Tor network: a market with two onion mirrors, the first taken down mid-crawl. The crawl
switches to the second and still reaches the whole ground truth with no duplicate."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from onionwatch.groundtruth import score_market
from onionwatch.indexer.store import open_store
from onionwatch.testbed.netfaults import take_down
from tests.tor.conftest import ROOT, TESTBED_SIZE, tor_env

pytestmark = [pytest.mark.tor, pytest.mark.slow]


def _stop_after(server: Any, requests: int) -> None:
    deadline = time.monotonic() + 300
    while len(server.log) < requests and time.monotonic() < deadline:
        time.sleep(0.05)
    take_down(server)


def test_onion_mirror_going_down_fails_over_to_the_next(tornet: Any, testbed: dict[str, Any],
                                                        kladmen_mirror: Any, tmp_path: Path) -> None:
    markets = tmp_path / "markets"
    markets.mkdir()
    definition = yaml.safe_load((ROOT / "config" / "markets" / "kladmen.yaml").read_text())
    definition["politeness"] = {"mirror_failures": 2, "backoff_base": "0.2s", "backoff_max": "2s"}
    (markets / "kladmen.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    env = {**os.environ, **tor_env(tornet), "ONIONWATCH_MARKETS_DIR": str(markets),
           "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config")}
    primary = testbed["kladmen"]
    primary.clear_log()
    first, second = f"http://{tornet.onions['kladmen-mirror']}", f"http://{tornet.onions['kladmen']}"
    threading.Thread(target=_stop_after, args=(kladmen_mirror, 40), daemon=True).start()
    store = tmp_path / "s.sqlite"
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", first, "--mirror",
                           second, "--transport", "tor", "--store", f"sqlite:///{store}", "--json", "--no-progress"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)[0]
    assert out["status"] == "complete"
    # both onions served part of the crawl, each only through its own onion service
    assert len(kladmen_mirror.log) >= 40 and len(primary.log) > 0
    assert {e.host for e in kladmen_mirror.log} == {tornet.onions["kladmen-mirror"]}
    assert {e.host for e in primary.log} == {tornet.onions["kladmen"]}
    s = open_store(f"sqlite:///{store}")
    try:
        score = score_market(s, "kladmen", primary.market.truth()).to_dict()
        health = {h["mirror"]: h for h in s.mirror_health("kladmen")}
    finally:
        s.close()
    assert score["listings_found"] == score["ground_truth_listings"] == TESTBED_SIZE["n_listings"]
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) - count(DISTINCT listing_id) FROM listings").fetchone()[0] == 0
    assert health[first]["up"] is False and health[first]["failures"] >= 1
    assert health[second]["up"] is True and health[second]["latency_ms"] is not None
